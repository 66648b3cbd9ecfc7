using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Programmes;

/// <summary>
/// The yearly top-10 typical cases of clean-production audits (measure 3, 清洁生产审核十大典型案例): the city bureaus
/// nominate, experts score, the province selects at most ten and publishes them; the technologies of a published case
/// are recommended to the national catalogue of advanced clean-production technologies (国家清洁生产先进技术目录).
/// </summary>
public static class TypicalCases
{
    public const string DefinitionKey = "typical-cases";
    public const int MaxSelected = 10;
    public const int MaxTechnologies = 20;

    public const string Starting = "starting";
    public const string Nominating = "nominating";
    public const string Reviewing = "reviewing";
    public const string Selecting = "selecting";
    public const string Published = "published";

    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
        { Starting, Nominating, Reviewing, Selecting, Published };

    public static string BusinessKey(int year) => $"typical-cases-{year}";

    /// <summary>Why a campaign year is refused, or null: this year or next (a campaign is prepared ahead at most one year).</summary>
    public static LocalizedText? RefusalOfYear(int? year, DateOnly today) =>
        year is { } y && (y == today.Year || y == today.Year + 1) ? null
            : new($"年度须为今年（{today.Year}）或明年（{today.Year + 1}）", $"year must be this year ({today.Year}) or next ({today.Year + 1})");
}

/// <summary>A nomination status.</summary>
public static class NominationStatus
{
    public const string Nominated = "nominated";
    public const string Selected = "selected";
    public const string NotSelected = "not-selected";
}

public sealed record Technology(string Name, string Description);

/// <summary>A technology as the nominating city sends it.</summary>
public sealed record TechnologyInput(string? Name, string? Description);

/// <summary>A city bureau's nomination: the enterprise, a title, a summary and the technologies the case applies.</summary>
public sealed record NewNomination(string? CreditCode, string? Title, string? Summary, IReadOnlyList<TechnologyInput?>? Technologies)
{
    /// <summary>The checked nomination (credit code not looked up here), or null with every refused field.</summary>
    public (string Title, string Summary, IReadOnlyList<Technology> Technologies)? Check(out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        var title = Text(Title, "title", 200, found);
        var summary = Text(Summary, "summary", 5000, found);
        var technologies = new List<Technology>();
        if (Technologies is null || Technologies.Count == 0)
            found.Add(new("technologies", new("须至少列出一项所应用的技术", "technologies must list at least one technology the case applies")));
        else if (Technologies.Count > TypicalCases.MaxTechnologies)
            found.Add(new("technologies", new($"技术不能超过 {TypicalCases.MaxTechnologies} 项", $"at most {TypicalCases.MaxTechnologies} technologies")));
        else
        {
            for (var i = 0; i < Technologies.Count; i++)
            {
                var name = Text(Technologies[i]?.Name, $"technologies[{i}].name", 100, found);
                var description = Text(Technologies[i]?.Description, $"technologies[{i}].description", 1000, found);
                if (name is not null && technologies.Any(t => t.Name == name))
                    found.Add(new($"technologies[{i}].name", new($"技术“{name}”重复", $"technology '{name}' is listed twice")));
                else if (name is not null && description is not null)
                    technologies.Add(new(name, description));
            }
        }
        errors = found;
        return found.Count > 0 ? null : (title!, summary!, technologies);
    }

    private static string? Text(string? text, string field, int maxLength, List<FieldError> errors)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            errors.Add(new(field, new($"“{field}”不能为空", $"{field} is required")));
        else if (trimmed.Length > maxLength)
            errors.Add(new(field, new($"“{field}”不能超过 {maxLength} 个字符", $"{field} must be at most {maxLength} characters")));
        else
            return trimmed;
        return null;
    }
}

/// <summary>An expert's score (0–100) and opinion of one nomination.</summary>
public sealed record NominationReview(int? Score, string? Opinion)
{
    public (int Score, string Opinion)? Check(out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (Score is not (>= 0 and <= 100))
            found.Add(new("score", new("评分须为 0 至 100 的整数", "score must be a whole number from 0 to 100")));
        var opinion = Opinion?.Trim();
        if (string.IsNullOrEmpty(opinion) || opinion.Length > 5000)
            found.Add(new("opinion", new("须填写评审意见（不超过 5000 字）", "opinion is required (at most 5,000 characters)")));
        errors = found;
        return found.Count > 0 ? null : (Score!.Value, opinion!);
    }
}

/// <summary>
/// The province's selection: one to ten distinct nominations. Whether each exists, belongs to the year and was scored
/// is checked against the stored nominations by <see cref="CheckAgainst"/>.
/// </summary>
public sealed record Selection(IReadOnlyList<Guid>? NominationIds)
{
    public const string Field = "nominationIds";

    public IReadOnlyList<Guid>? Check(out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        if (NominationIds is null || NominationIds.Count == 0)
            found.Add(new(Field, new("须至少选定一个案例", "select at least one nomination")));
        else if (NominationIds.Count > TypicalCases.MaxSelected)
            found.Add(new(Field, new($"最多选定 {TypicalCases.MaxSelected} 个典型案例（本次选了 {NominationIds.Count} 个）",
                $"at most {TypicalCases.MaxSelected} typical cases may be selected ({NominationIds.Count} were given)")));
        else
            for (var i = 0; i < NominationIds.Count; i++)
                if (NominationIds.Take(i).Contains(NominationIds[i]))
                    found.Add(new($"{Field}[{i}]", new("重复选定同一推荐", "the same nomination is selected twice")));
        errors = found;
        return found.Count > 0 ? null : NominationIds;
    }

    /// <summary>Refuses ids that are not nominations of <paramref name="year"/> or were not scored by the experts.</summary>
    public static IReadOnlyList<FieldError> CheckAgainst(IReadOnlyList<Guid> ids, int year, IReadOnlyDictionary<Guid, (int Year, int? Score)> stored)
    {
        var found = new List<FieldError>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (!stored.TryGetValue(ids[i], out var nomination) || nomination.Year != year)
                found.Add(new($"{Field}[{i}]", new($"{year} 年度没有编号为 {ids[i]} 的推荐", $"no nomination {ids[i]} in {year}")));
            else if (nomination.Score is null)
                found.Add(new($"{Field}[{i}]", new("该推荐尚未经专家评审打分", "the experts have not scored this nomination")));
        }
        return found;
    }
}
