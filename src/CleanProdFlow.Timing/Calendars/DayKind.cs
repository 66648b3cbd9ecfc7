namespace CleanProdFlow.Timing.Calendars;

/// <summary>Why a day is, or is not, a working day — what an explanation says about it.</summary>
public enum DayKind
{
    /// <summary>Monday to Friday, not off.</summary>
    Weekday,

    /// <summary>Saturday or Sunday worked under the notice (调休上班日).</summary>
    MakeUpWorkday,

    /// <summary>Saturday or Sunday.</summary>
    Weekend,

    /// <summary>A day off under the notice or the regulation (放假).</summary>
    DayOff,
}

public static class DayKinds
{
    public static bool IsWorking(this DayKind kind) => kind is DayKind.Weekday or DayKind.MakeUpWorkday;

    public static string Describe(this DayKind kind, Language language) => (kind, language) switch
    {
        (DayKind.Weekday, Language.ZhCn) => "工作日",
        (DayKind.MakeUpWorkday, Language.ZhCn) => "调休上班日",
        (DayKind.Weekend, Language.ZhCn) => "周末",
        (DayKind.DayOff, Language.ZhCn) => "法定节假日",
        (DayKind.Weekday, _) => "working day",
        (DayKind.MakeUpWorkday, _) => "make-up working day",
        (DayKind.Weekend, _) => "weekend",
        _ => "public holiday",
    };
}
