using System.Globalization;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Enterprises;

/// <summary>An accepted audit to record, checked field by field.</summary>
public sealed record NewAuditResult(string? CreditCode, string? AcceptedOn, string? Level, string? Authority, string? DocumentNumber)
{
    public IReadOnlyList<FieldError> Validate(DateOnly today)
    {
        var errors = new List<FieldError>();
        if (!DateOnly.TryParseExact(AcceptedOn?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var accepted))
            errors.Add(new("acceptedOn", new("验收日期须为 yyyy-MM-dd 格式", "acceptedOn must be a date as yyyy-MM-dd")));
        else if (accepted > today)
            errors.Add(new("acceptedOn", new($"验收日期不能晚于今天（{today:yyyy-MM-dd}）", $"acceptedOn cannot be after today ({today:yyyy-MM-dd})")));
        if (AuditLevels.Parse(Level) is null)
            errors.Add(new("level", new("等级须为 Ⅰ、Ⅱ 或 Ⅲ", "level must be I, II or III")));
        if (string.IsNullOrWhiteSpace(Authority) || Authority.Trim().Length > 200)
            errors.Add(new("authority", new("验收部门不能为空且不超过 200 个字符", "authority is required, at most 200 characters")));
        if (string.IsNullOrWhiteSpace(DocumentNumber) || DocumentNumber.Trim().Length > 200)
            errors.Add(new("documentNumber", new("文号不能为空且不超过 200 个字符", "documentNumber is required, at most 200 characters")));
        return errors;
    }

    public AuditResult ToAuditResult() => new(UnifiedSocialCreditCode.Normalise(CreditCode!),
        DateOnly.ParseExact(AcceptedOn!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture), AuditLevels.Parse(Level)!.Value,
        Authority!.Trim(), DocumentNumber!.Trim());
}
