using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Enterprises;

/// <summary>The details of an enterprise to register, checked field by field.</summary>
public sealed record NewEnterprise(string? CreditCode, string? Name, string? City, string? County, string? Industry, string? Address, bool? OnlineMonitoring)
{
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (UnifiedSocialCreditCode.Check(CreditCode) is { } codeProblem)
            errors.Add(new("creditCode", codeProblem));
        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 200)
            errors.Add(new("name", new("企业名称不能为空且不超过 200 个字符", "name is required, at most 200 characters")));
        if (City is null || City == Organisation.ProvinceCode || Organisation.Find(City) is null)
            errors.Add(new("city", new($"所在设区市“{City}”无效，须为 13 个设区市之一", $"city '{City}' is not one of the 13 cities")));
        if (County?.Trim().Length > 100)
            errors.Add(new("county", new("县（市、区）不超过 100 个字符", "county must be at most 100 characters")));
        if (Industry?.Trim().Length > 100)
            errors.Add(new("industry", new("行业不超过 100 个字符", "industry must be at most 100 characters")));
        if (Address?.Trim().Length > 300)
            errors.Add(new("address", new("地址不超过 300 个字符", "address must be at most 300 characters")));
        if (OnlineMonitoring is null)
            errors.Add(new("onlineMonitoring", new("须说明是否依法安装在线监测", "onlineMonitoring (true or false) is required")));
        return errors;
    }

    /// <summary>The validated enterprise; only after <see cref="Validate"/> found nothing.</summary>
    public Enterprise ToEnterprise() => Validate().Count > 0
        ? throw new InvalidOperationException("the enterprise has invalid fields")
        : new(UnifiedSocialCreditCode.Normalise(CreditCode!), Name!.Trim(), City!, Blank(County), Blank(Industry), Blank(Address), OnlineMonitoring!.Value);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
