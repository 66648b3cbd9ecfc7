using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Tests.Imports;

/// <summary>Valid credit codes of enterprises (91) of a division, numbered.</summary>
internal static class TestCodes
{
    public static string Make(int number, string division = "320500")
    {
        var body = number.ToString("D8");
        var first17 = $"91{division}{body}{UnifiedSocialCreditCode.ComputeOrganisationCheckCharacter(body)}";
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }
}
