using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CleanProdFlow.Timing.Deadlines;

namespace CleanProdFlow.Timing.Rules;

/// <summary>The validated set of time-limit rules, looked up by id.</summary>
public sealed partial class TimeLimitRuleSet
{
    private readonly Dictionary<string, TimeLimitRule> _byId;

    private TimeLimitRuleSet(IReadOnlyList<TimeLimitRule> rules)
    {
        Rules = rules;
        _byId = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<TimeLimitRule> Rules { get; }

    public TimeLimitRule this[string id] =>
        _byId.TryGetValue(id, out var rule) ? rule : throw new KeyNotFoundException($"No time-limit rule '{id}'.");

    public bool TryGet(string id, out TimeLimitRule rule)
    {
        var found = _byId.TryGetValue(id, out var value);
        rule = value!;
        return found;
    }

    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>Builds a set from rules already in memory (e.g. read back from the database), checking them like a document.</summary>
    public static Validated<TimeLimitRuleSet> Create(IReadOnlyList<TimeLimitRule> rules)
    {
        var errors = new List<FieldError>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            Check(rules[i], $"rules[{i}]", ids, errors);
        }

        return errors.Count > 0 ? Validated<TimeLimitRuleSet>.Fail(errors) : Validated<TimeLimitRuleSet>.Ok(new TimeLimitRuleSet(rules));
    }

    /// <summary>Parses <c>{"rules": [...]}</c>, reporting every bad field (unique ids, limit 1–3650, known unit and rounding, …).</summary>
    public static Validated<TimeLimitRuleSet> Parse(string json)
    {
        var errors = new List<FieldError>();
        var root = FieldReader.Root(json, errors);
        if (root is null)
        {
            return Validated<TimeLimitRuleSet>.Fail(errors);
        }

        var rules = new List<TimeLimitRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (element, path) in root.Array("rules", required: true))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldErrors.WrongType(path, "an object", "对象"));
                continue;
            }

            var rule = Read(FieldReader.Of(element, path, errors));
            if (rule is not null)
            {
                Check(rule, path, ids, errors);
                rules.Add(rule);
            }
        }

        return errors.Count > 0 ? Validated<TimeLimitRuleSet>.Fail(errors) : Validated<TimeLimitRuleSet>.Ok(new TimeLimitRuleSet(rules));
    }

    public static Validated<TimeLimitRuleSet> Parse(Stream utf8Json)
    {
        using var reader = new StreamReader(utf8Json, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>The rules in the document shape <see cref="Parse(string)"/> reads (for <c>GET /api/v1/time-limits</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(new { rules = Rules }, TimingJson.Options);

    /// <summary>Parses a unit's JSON name, reporting an unknown one against <paramref name="path"/>.</summary>
    internal static PeriodUnit? ReadUnit(string? text, string path, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (PeriodUnits.TryParse(text, out var unit))
        {
            return unit;
        }

        errors.Add(FieldErrors.Unknown(path, text, PeriodUnits.JsonNames));
        return null;
    }

    private static TimeLimitRule? Read(FieldReader reader)
    {
        var before = reader.Errors.Count;
        var id = reader.String("id", required: true);
        var nameZh = reader.String("nameZh", required: true);
        var nameEn = reader.String("nameEn", required: true);
        var limit = reader.Int("limit", required: true, 1, TimeLimit.MaxAmount);
        var unit = ReadUnit(reader.String("unit", required: true), reader.Path("unit"), reader.Errors);
        var halvable = reader.Bool("halvable", required: true);
        var roundingText = reader.String("rounding", required: false) ?? "down";
        HalfRounding? rounding = null;
        if (HalfRoundings.TryParse(roundingText, out var parsedRounding))
        {
            rounding = parsedRounding;
        }
        else
        {
            reader.Add(FieldErrors.Unknown(reader.Path("rounding"), roundingText, HalfRoundings.JsonNames));
        }

        var legalBasis = reader.String("legalBasis", required: true);
        var verified = reader.Bool("verified", required: true);
        var table = reader.String("table", required: false);
        var note = reader.String("note", required: false);
        if (reader.Errors.Count > before || id is null || nameZh is null || nameEn is null || limit is null || unit is null
            || halvable is null || rounding is null || legalBasis is null || verified is null)
        {
            return null;
        }

        return new TimeLimitRule(id, nameZh, nameEn, limit.Value, unit.Value, halvable.Value, rounding.Value, legalBasis, verified.Value, table, note);
    }

    private static void Check(TimeLimitRule rule, string path, HashSet<string> ids, List<FieldError> errors)
    {
        if (!IdPattern().IsMatch(rule.Id))
        {
            errors.Add(FieldErrors.Invalid(path + ".id", $"'{rule.Id}' must be lower-case words joined by dots or hyphens, e.g. eia.decision.report",
                $"“{rule.Id}”须为以点或连字符连接的小写单词，如 eia.decision.report"));
        }
        else if (!ids.Add(rule.Id))
        {
            errors.Add(new FieldError(path + ".id", "duplicate", $"id '{rule.Id}' is used twice", $"编号“{rule.Id}”重复"));
        }

        if (string.IsNullOrWhiteSpace(rule.NameZh))
        {
            errors.Add(FieldErrors.Required(path + ".nameZh"));
        }

        if (string.IsNullOrWhiteSpace(rule.NameEn))
        {
            errors.Add(FieldErrors.Required(path + ".nameEn"));
        }

        if (string.IsNullOrWhiteSpace(rule.LegalBasis))
        {
            errors.Add(FieldErrors.Required(path + ".legalBasis"));
        }

        foreach (var error in rule.ToTimeLimit().Validate(path + ".limit", path + ".unit"))
        {
            errors.Add(error with { Field = error.Field == "rounding" ? path + ".rounding" : error.Field });
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
