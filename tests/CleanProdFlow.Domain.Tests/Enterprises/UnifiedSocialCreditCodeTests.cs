using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Tests.Enterprises;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // the GB 32100-2015 annex example
    public void A_code_with_the_right_check_character_is_valid(string code) => Assert.Null(UnifiedSocialCreditCode.Check(code));

    [Fact]
    public void The_check_character_is_computed_from_the_first_seventeen()
    {
        Assert.Equal('3', UnifiedSocialCreditCode.ComputeCheckCharacter("91350100M000100Y4"));
    }

    [Theory]
    [InlineData("91350100M000100Y44", "'3'")]
    [InlineData("91350100M000100Y4", "18")]
    [InlineData("91350100I000100Y43", "character 9")]
    [InlineData("", "required")]
    public void An_invalid_code_is_refused_with_the_reason(string code, string reason)
    {
        Assert.Contains(reason, UnifiedSocialCreditCode.Check(code)!.En);
    }

    [Theory]
    [InlineData("Ⅱ级", AuditLevel.II)]
    [InlineData("一级", AuditLevel.I)]
    [InlineData("III", AuditLevel.III)]
    public void Audit_levels_are_read_as_the_bureaus_write_them(string text, AuditLevel level) => Assert.Equal(level, AuditLevels.Parse(text));
}
