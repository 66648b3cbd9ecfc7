using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Web.Tests;

/// <summary>Valid 统一社会信用代码 for tests: an enterprise (91) of an administrative division with a numbered organisation code.</summary>
public static class CreditCodes
{
    private static readonly int[] OrganisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    public static string Make(int number, string division = "320500")
    {
        var body = number.ToString("D8");
        var sum = body.Select((c, i) => (c - '0') * OrganisationWeights[i]).Sum();
        var check = (11 - sum % 11) switch { 10 => 'X', 11 => '0', var n => (char)('0' + n) };
        var first17 = $"91{division}{body}{check}";
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }
}
