using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Enterprises;

/// <summary>
/// The 18-character unified social credit code (统一社会信用代码, GB 32100-2015): characters from a 31-letter
/// alphabet (no I, O, Z, S, V) and a final check character over the first 17 (weights 3^i mod 31).
/// The registration-authority/category combinations are not checked against the standard's table.
/// </summary>
public static class UnifiedSocialCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static string Normalise(string code) => code.Trim().ToUpperInvariant();

    public static char ComputeCheckCharacter(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
            sum += Alphabet.IndexOf(first17[i]) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>Why the code is not valid, or null when it is.</summary>
    public static LocalizedText? Check(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return new("统一社会信用代码不能为空", "the unified social credit code is required");
        code = Normalise(code);
        if (code.Length != 18)
            return new($"统一社会信用代码须为 18 位，现为 {code.Length} 位", $"the code must have 18 characters, not {code.Length}");
        for (var i = 0; i < 18; i++)
            if (Alphabet.IndexOf(code[i]) < 0)
                return new($"第 {i + 1} 位字符“{code[i]}”不允许（只能是数字和除 I、O、Z、S、V 外的大写字母）",
                    $"character {i + 1} '{code[i]}' is not allowed (digits and capital letters except I, O, Z, S, V)");
        var expected = ComputeCheckCharacter(code[..17]);
        return code[17] == expected
            ? null
            : new($"校验码错误：第 18 位应为“{expected}”，不是“{code[17]}”", $"wrong check character: the 18th should be '{expected}', not '{code[17]}'");
    }
}
