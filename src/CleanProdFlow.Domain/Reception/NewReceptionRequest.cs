using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Reception;

/// <summary>A checked request (诉求), ready to be numbered, stored and started.</summary>
public sealed record ReceptionRequestInput(string CreditCode, string ContactName, string? ContactPhone, string Category, string Request);

/// <summary>
/// A request as submitted to <c>POST /api/v1/reception/sessions/{id}/requests</c>, checked field by field. Whether the
/// enterprise is an advanced enterprise (active on the register) is checked against the register by the endpoint.
/// </summary>
public sealed partial record NewReceptionRequest(string? CreditCode, string? ContactName, string? ContactPhone, string? Category, string? Request)
{
    public const int MaxContactNameLength = 100;
    public const int MaxRequestLength = 4000;

    [GeneratedRegex("^[0-9+()\\- ]{5,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    public ReceptionRequestInput? Check(out IReadOnlyList<FieldError> problems)
    {
        var errors = new List<FieldError>();
        if (UnifiedSocialCreditCode.Check(CreditCode) is { } codeProblem)
            errors.Add(new("creditCode", codeProblem));
        var contact = NewReceptionSession.Required(ContactName, "contactName", "联系人", MaxContactNameLength, errors);
        var phone = string.IsNullOrWhiteSpace(ContactPhone) ? null : ContactPhone.Trim();
        if (phone is not null && !Phone().IsMatch(phone))
            errors.Add(new("contactPhone", new($"联系电话“{phone}”无效（5–40 位数字，可含 + - ( ) 和空格）",
                $"contactPhone '{phone}' is not valid (5 to 40 digits, + - ( ) and spaces)")));
        var category = Category?.Trim();
        if (string.IsNullOrEmpty(category))
            errors.Add(new("category", new("须选择诉求类别：policy、technology、permit、funding 或 other", "category is required: policy, technology, permit, funding or other")));
        else if (!ReceptionTerms.Categories.ContainsKey(category))
            errors.Add(new("category", new($"诉求类别“{category}”无效，须为 policy（政策咨询）、technology（技术帮扶）、permit（审批许可）、funding（资金与金融）或 other（其他）",
                $"category '{category}' must be policy, technology, permit, funding or other")));
        var request = NewReceptionSession.Required(Request, "request", "诉求内容", MaxRequestLength, errors);

        problems = errors;
        return errors.Count > 0 ? null : new ReceptionRequestInput(UnifiedSocialCreditCode.Normalise(CreditCode!), contact!, phone, category!, request!);
    }
}
