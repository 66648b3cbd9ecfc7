using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Access;

/// <summary>The details of an account to create, checked field by field before anything is stored.</summary>
public sealed partial record NewUser(
    string? Username,
    string? DisplayName,
    string? OrganisationCode,
    IReadOnlyList<string>? Roles,
    string? Password)
{
    [GeneratedRegex("^[a-z][a-z0-9._-]{2,63}$")]
    private static partial Regex UsernamePattern();

    /// <summary>Every problem with the input, each naming its field; empty when the account may be created.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Username))
            errors.Add(new("username", new("用户名不能为空", "username is required")));
        else if (!UsernamePattern().IsMatch(Username))
            errors.Add(new("username", new(
                "用户名须为 3–64 个字符，以小写字母开头，只含小写字母、数字和 . _ -",
                "username must be 3–64 characters, start with a lower-case letter and contain only a-z, 0-9, '.', '_' or '-'")));

        if (string.IsNullOrWhiteSpace(DisplayName))
            errors.Add(new("displayName", new("姓名不能为空", "displayName is required")));
        else if (DisplayName.Length > 100)
            errors.Add(new("displayName", new("姓名不能超过 100 个字符", "displayName must be at most 100 characters")));

        if (string.IsNullOrWhiteSpace(OrganisationCode))
            errors.Add(new("organisation", new("所属单位不能为空", "organisation is required")));
        else if (Organisation.Find(OrganisationCode) is null)
            errors.Add(new("organisation", new(
                $"未知的单位“{OrganisationCode}”，应为 province 或 13 个设区市之一",
                $"unknown organisation '{OrganisationCode}': use province or one of the 13 cities")));

        if (Roles is null || Roles.Count == 0)
            errors.Add(new("roles", new("至少需要一个角色", "at least one role is required")));
        else
            foreach (var role in Roles.Where(r => !Access.Roles.IsKnown(r)).Distinct())
                errors.Add(new("roles", new(
                    $"未知的角色“{role}”，可选：{string.Join("、", Access.Roles.All)}",
                    $"unknown role '{role}'; known roles: {string.Join(", ", Access.Roles.All)}")));

        if (PasswordPolicy.Check(Password) is { } passwordProblem)
            errors.Add(new("password", passwordProblem));
        return errors;
    }
}
