namespace CleanProdFlow.Timing.Deadlines;

/// <summary>How a period is counted. JSON: workingDays | naturalDays | months | years.</summary>
public enum PeriodUnit
{
    /// <summary>工作日: weekdays not off plus make-up working days (行政许可法 art. 82).</summary>
    WorkingDays,

    /// <summary>日 (natural days); a last day that is not a working day moves to the next working day (民法典 art. 203).</summary>
    NaturalDays,

    /// <summary>月: ends on the corresponding date, or month end (民法典 art. 202).</summary>
    Months,

    /// <summary>年: ends on the corresponding date, or month end (民法典 art. 202).</summary>
    Years,
}

/// <summary>How a halved odd limit is rounded. JSON: down | up.</summary>
public enum HalfRounding
{
    /// <summary>The default: fewer days for the authority, in the applicant's favour.</summary>
    Down,
    Up,
}

public static class PeriodUnits
{
    public static readonly IReadOnlyList<string> JsonNames = ["workingDays", "naturalDays", "months", "years"];

    public static bool TryParse(string text, out PeriodUnit unit)
    {
        var index = JsonNames.ToList().IndexOf(text);
        unit = index < 0 ? default : (PeriodUnit)index;
        return index >= 0;
    }

    public static string JsonName(this PeriodUnit unit) => JsonNames[(int)unit];

    /// <summary>"5 个工作日" / "5 working days".</summary>
    public static string Describe(this PeriodUnit unit, int amount, Language language) => (unit, language) switch
    {
        (PeriodUnit.WorkingDays, Language.ZhCn) => $"{amount} 个工作日",
        (PeriodUnit.NaturalDays, Language.ZhCn) => $"{amount} 日（自然日）",
        (PeriodUnit.Months, Language.ZhCn) => $"{amount} 个月",
        (PeriodUnit.Years, Language.ZhCn) => $"{amount} 年",
        (PeriodUnit.WorkingDays, _) => amount == 1 ? "1 working day" : $"{amount} working days",
        (PeriodUnit.NaturalDays, _) => amount == 1 ? "1 natural day" : $"{amount} natural days",
        (PeriodUnit.Months, _) => amount == 1 ? "1 month" : $"{amount} months",
        _ => amount == 1 ? "1 year" : $"{amount} years",
    };
}

public static class HalfRoundings
{
    public static readonly IReadOnlyList<string> JsonNames = ["down", "up"];

    public static bool TryParse(string text, out HalfRounding rounding)
    {
        var index = JsonNames.ToList().IndexOf(text);
        rounding = index < 0 ? default : (HalfRounding)index;
        return index >= 0;
    }
}
