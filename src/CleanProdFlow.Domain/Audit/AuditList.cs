using System.Globalization;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Audit;

/// <summary>
/// A published mandatory-audit list (强制性清洁生产审核名单) as the city records it: the list's document number, the
/// publication date (not in the future) and the enterprises on it — <c>creditCodes</c>, or one <c>creditCode</c>.
/// </summary>
public sealed record NewAuditList(string? ListReference, string? ListedOn, IReadOnlyList<string?>? CreditCodes, string? CreditCode)
{
    public const int MaxEnterprises = 500;

    /// <summary>The list when every field is valid; otherwise null and every refused field (codes by index: <c>creditCodes[2]</c>).</summary>
    public AuditList? Check(DateOnly today, out IReadOnlyList<FieldError> errors)
    {
        var found = new List<FieldError>();
        var reference = ListReference?.Trim();
        if (string.IsNullOrEmpty(reference) || reference.Length > 200)
            found.Add(new("listReference", new("须填写名单文号（不超过 200 个字符）", "listReference (the list's document number) is required, at most 200 characters")));
        DateOnly listedOn = default;
        if (!DateOnly.TryParseExact(ListedOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out listedOn))
            found.Add(new("listedOn", new("名单公布日期须为 yyyy-MM-dd 格式", "listedOn must be a date as yyyy-MM-dd")));
        else if (listedOn > today)
            found.Add(new("listedOn", new($"名单公布日期不能晚于今天（{today:yyyy-MM-dd}）", $"listedOn cannot be after today ({today:yyyy-MM-dd})")));

        var codes = new List<string>();
        if (CreditCodes is not null && CreditCode is not null)
            found.Add(new("creditCode", new("creditCodes 与 creditCode 只能填写其一", "give creditCodes or creditCode, not both")));
        else if (CreditCodes is null && CreditCode is null || CreditCodes is { Count: 0 })
            found.Add(new("creditCodes", new("须列出名单中的企业（creditCodes，或单个 creditCode）", "list the enterprises (creditCodes, or one creditCode)")));
        else if (CreditCodes is { Count: > MaxEnterprises })
            found.Add(new("creditCodes", new($"一次最多登记 {MaxEnterprises} 家企业", $"at most {MaxEnterprises} enterprises at a time")));
        else
        {
            var given = CreditCodes ?? [CreditCode];
            for (var i = 0; i < given.Count; i++)
            {
                var field = CreditCodes is null ? "creditCode" : $"creditCodes[{i}]";
                if (UnifiedSocialCreditCode.Check(given[i]) is { } problem)
                {
                    found.Add(new(field, problem));
                    continue;
                }
                var code = UnifiedSocialCreditCode.Normalise(given[i]!);
                if (codes.Contains(code))
                    found.Add(new(field, new($"{code} 在名单中重复", $"{code} appears twice in the list")));
                else
                    codes.Add(code);
            }
        }

        errors = found;
        return found.Count == 0 ? new AuditList(reference!, listedOn, codes, CreditCodes is null) : null;
    }
}

/// <summary>A valid list: reference, publication date and the normalised credit codes (<see cref="Single"/>: given as one creditCode).</summary>
public sealed record AuditList(string Reference, DateOnly ListedOn, IReadOnlyList<string> CreditCodes, bool Single)
{
    /// <summary>The field a code's problem is reported on.</summary>
    public string FieldOf(int index) => Single ? "creditCode" : $"creditCodes[{index}]";
}

/// <summary>Where an audit cycle stands; the workflow sets it step by step.</summary>
public static class AuditCycleStatus
{
    public const string Starting = "starting";
    public const string FirstYear = "first-year";
    public const string Evaluating = "evaluating";
    public const string Accepting = "accepting";
    public const string Accepted = "accepted";
    public const string Failed = "failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Starting, FirstYear, Evaluating, Accepting, Accepted, Failed };

    /// <summary>An open cycle still runs; accepted and failed are closed.</summary>
    public static bool IsOpen(string status) => status is not (Accepted or Failed);
}

public static class AuditCycleKind
{
    public const string Mandatory = "mandatory";
    public const string Reaudit = "re-audit";
}

/// <summary>The statutory clocks of a cycle (names in the BPMN) and the rules they start with.</summary>
public static class AuditClocks
{
    public const string Information = "audit.information";
    public const string Start = "audit.start";
    public const string Cycle = "audit.cycle";
    public const string Evaluation = "audit.evaluation";
    public const string Acceptance = "audit.acceptance";
    public const string Interval = "audit.interval";
    public const string Certification = "audit.certification";

    public const string CycleRule = "audit.cycle";
    public const string ExtendedCycleRule = "audit.cycle.extended";
    public const string IntervalRule = "audit.interval";

    /// <summary>Measure 7 of the notice.</summary>
    public const string ExtensionLegalBasis = "苏环办〔2023〕332号 第二部分第7项";
}
