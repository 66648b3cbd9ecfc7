using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Facts;

/// <summary>
/// An environmental accident to record. Grades follow the national classification of environmental emergencies:
/// general 一般, larger 较大, major 重大, especially-major 特别重大; 较大 and above withdraw the incentives.
/// </summary>
public sealed record NewAccident(string? OccurredOn, string? Grade, string? Description)
{
    public static readonly IReadOnlyDictionary<string, string> Grades = new Dictionary<string, string>
    {
        ["general"] = "一般", ["larger"] = "较大", ["major"] = "重大", ["especially-major"] = "特别重大",
    };

    /// <summary>Grades that withdraw the incentives (notice section 三 (一)).</summary>
    public static bool IsLargerOrWorse(string grade) => grade is "larger" or "major" or "especially-major";

    public (DateOnly OccurredOn, string Grade, string? Description)? Check(DateOnly today, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        var occurredOn = FactInput.Date(OccurredOn, "occurredOn", today, found);
        var grade = Grade?.Trim();
        // Accept the Chinese grade names the bureaus write as well as the codes.
        var code = grade is null ? null : Grades.FirstOrDefault(g => g.Key == grade || g.Value == grade).Key;
        if (code is null)
            found.Add(new("grade", new($"事故等级须为 一般/较大/重大/特别重大 之一（或 {string.Join("/", Grades.Keys)}）",
                $"grade must be one of {string.Join(", ", Grades.Keys)} (一般/较大/重大/特别重大)")));
        var description = FactInput.Text(Description, "description", 2000, false, found);
        errors = found;
        return found.Count > 0 ? null : (occurredOn!.Value, code!, description);
    }
}
