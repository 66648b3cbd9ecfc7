using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Access;

/// <summary>
/// Password complexity as China's graded protection baseline (GB/T 22239-2019, 等保 2.0) expects for
/// government systems: at least 8 characters drawn from at least three of four character classes.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 128;

    /// <summary>The reason the password is refused, or null when it is acceptable.</summary>
    public static LocalizedText? Check(string? password)
    {
        if (string.IsNullOrEmpty(password))
            return new("密码不能为空", "password is required");
        if (password.Length < MinimumLength || password.Length > MaximumLength)
            return new($"密码长度须为 {MinimumLength}–{MaximumLength} 个字符",
                $"password must be {MinimumLength}–{MaximumLength} characters long");

        var classes = 0;
        if (password.Any(char.IsUpper)) classes++;
        if (password.Any(char.IsLower)) classes++;
        if (password.Any(char.IsDigit)) classes++;
        if (password.Any(c => !char.IsLetterOrDigit(c))) classes++;
        return classes >= 3
            ? null
            : new("密码须包含大写字母、小写字母、数字、符号中的至少三类",
                "password must mix at least three of: upper-case letters, lower-case letters, digits, symbols");
    }
}
