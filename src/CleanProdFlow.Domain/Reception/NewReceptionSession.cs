using System.Globalization;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Reception;

/// <summary>A checked reception-day session (接待日场次), ready to be stored.</summary>
public sealed record ReceptionSessionInput(string Organisation, DateOnly Date, string Place, string Host, string? Topic);

/// <summary>
/// A session as submitted to <c>POST /api/v1/reception/sessions</c>, checked field by field. The organisation is
/// the caller's unless named (the province may schedule for a city).
/// </summary>
public sealed record NewReceptionSession(string? Date, string? Place, string? Host, string? Topic, string? Organisation)
{
    public const int MaxPlaceLength = 200;
    public const int MaxHostLength = 100;
    public const int MaxTopicLength = 200;

    /// <summary>How far from today a session may be scheduled or recorded (the clocks need the calendar of its year).</summary>
    public const int MaxDaysFromToday = 366;

    public ReceptionSessionInput? Check(string callerOrganisation, DateOnly today, out IReadOnlyList<FieldError> problems)
    {
        var errors = new List<FieldError>();
        var organisation = string.IsNullOrWhiteSpace(Organisation) ? callerOrganisation : Organisation.Trim();
        if (Access.Organisation.Find(organisation) is null)
            errors.Add(new("organisation", new($"单位“{organisation}”无效，须为 province 或 13 个设区市之一", $"organisation '{organisation}' must be province or one of the 13 cities")));

        DateOnly? date = null;
        if (string.IsNullOrWhiteSpace(Date))
            errors.Add(new("date", new("须填写接待日日期（yyyy-MM-dd）", "date is required (yyyy-MM-dd)")));
        else if (!DateOnly.TryParseExact(Date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            errors.Add(new("date", new($"日期“{Date}”格式不正确，须为 yyyy-MM-dd", $"date '{Date}' must be yyyy-MM-dd")));
        else if (Math.Abs(parsed.DayNumber - today.DayNumber) > MaxDaysFromToday)
            errors.Add(new("date", new($"接待日日期须在今天前后 {MaxDaysFromToday} 天以内", $"date must be within {MaxDaysFromToday} days of today")));
        else
            date = parsed;

        var place = Required(Place, "place", "接待地点", MaxPlaceLength, errors);
        var host = Required(Host, "host", "接待领导", MaxHostLength, errors);
        var topic = string.IsNullOrWhiteSpace(Topic) ? null : Topic.Trim();
        if (topic is { Length: > MaxTopicLength })
            errors.Add(new("topic", new($"主题不能超过 {MaxTopicLength} 个字符", $"topic must be at most {MaxTopicLength} characters")));

        problems = errors;
        return errors.Count > 0 ? null : new ReceptionSessionInput(organisation, date!.Value, place!, host!, topic);
    }

    internal static string? Required(string? value, string field, string nameZh, int maxLength, List<FieldError> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(new(field, new($"须填写{nameZh}", $"{field} is required")));
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            errors.Add(new(field, new($"{nameZh}不能超过 {maxLength} 个字符", $"{field} must be at most {maxLength} characters")));
            return null;
        }
        return trimmed;
    }
}
