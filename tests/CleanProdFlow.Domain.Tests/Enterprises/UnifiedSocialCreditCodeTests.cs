using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Tests.Enterprises;

public sealed class UnifiedSocialCreditCodeTests
{
    /// <summary>A code whose characters 1–16 are given and whose two check characters are computed.</summary>
    private static string WithChecks(string first16)
    {
        var first17 = first16 + UnifiedSocialCreditCode.ComputeOrganisationCheckCharacter(first16[8..16]);
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }

    /// <summary>Changes one character and recomputes the 18th, so only the check under test fails.</summary>
    private static string Altered(string code, int position, char character)
    {
        var first17 = code[..(position - 1)] + character + code[position..17];
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }

    [Theory]
    [InlineData("91350100M000100Y43")] // the GB 32100-2015 annex example
    [InlineData("9144030071526726XG")] // published codes: organisation check digit X …
    [InlineData("91330100799655058B")]
    [InlineData("914403001922038216")]
    public void A_code_with_the_right_check_characters_is_valid(string code) => Assert.Null(UnifiedSocialCreditCode.Check(code));

    [Fact]
    public void The_check_character_is_computed_from_the_first_seventeen()
    {
        Assert.Equal('3', UnifiedSocialCreditCode.ComputeCheckCharacter("91350100M000100Y4"));
    }

    [Theory]
    [InlineData("M000100Y", '4')]  // letters count A=10 … Z=35 (GB 11714)
    [InlineData("71526726", 'X')]  // 11 − (Σ mod 11) = 10 → X
    [InlineData("79965505", '8')]
    [InlineData("00000000", '0')]  // 11 − 0 = 11 → 0
    public void The_organisation_check_digit_follows_gb_11714(string first8, char expected) =>
        Assert.Equal(expected, UnifiedSocialCreditCode.ComputeOrganisationCheckCharacter(first8));

    [Theory]
    [InlineData("91350100M000100Y44", "'3'")]
    [InlineData("91350100M000100Y4", "18")]
    [InlineData("91350100I000100Y43", "character 9")]
    [InlineData("", "required")]
    public void An_invalid_code_is_refused_with_the_reason(string code, string reason)
    {
        Assert.Contains(reason, UnifiedSocialCreditCode.Check(code)!.En);
    }

    [Fact]
    public void A_wrong_organisation_check_digit_is_refused_naming_the_expected_one_in_both_languages()
    {
        var code = Altered("91350100M000100Y43", 17, '5'); // the 18th recomputed: only the 17th is wrong

        var reason = UnifiedSocialCreditCode.Check(code)!;

        Assert.Contains("17th character should be '4', not '5'", reason.En);
        Assert.Contains("组织机构代码校验码错误：第 17 位应为“4”", reason.Zh);
    }

    [Fact]
    public void A_mistyped_organisation_code_is_caught_even_when_the_18th_character_was_recomputed()
    {
        var code = Altered("91350100M000100Y43", 12, '2'); // M000200Y4…: the 17th no longer fits

        Assert.Contains("organisation-code check digit", UnifiedSocialCreditCode.Check(code)!.En);
    }

    [Theory]
    [InlineData("B1320500", "registration authority 'B'")]  // no authority B
    [InlineData("04320500", "registration authority '0'")]
    [InlineData("94320500", "category '4'")]                // 工商 has 1, 2, 3 only
    [InlineData("99320500", "category '9'")]
    [InlineData("Y2320500", "category '2'")]                // 其他 has only 1
    [InlineData("5132A500", "characters 3–8")]              // the division must be digits
    public void The_authority_category_and_division_are_checked_with_reasons(string first8, string reason)
    {
        var code = WithChecks(first8 + "MA1MXB0C");

        Assert.Contains(reason, UnifiedSocialCreditCode.Check(code)!.En);
        Assert.NotEmpty(UnifiedSocialCreditCode.Check(code)!.Zh);
    }

    [Theory]
    [InlineData("11320500")] // 机构编制 · 机关
    [InlineData("12320500")] // 事业单位
    [InlineData("31320500")] // 司法行政 · 律师执业机构
    [InlineData("51320500")] // 民政 · 社会团体
    [InlineData("81320500")] // 工会 · 基层工会
    [InlineData("91320500")] // 工商 · 企业
    [InlineData("92320500")] // 个体工商户
    [InlineData("93320500")] // 农民专业合作社
    [InlineData("A1320500")] // 军队事业单位
    [InlineData("N2320500")] // 村级集体经济组织
    [InlineData("Y1320500")] // 其他
    public void Every_authority_and_category_of_the_standard_is_accepted(string first8) =>
        Assert.Null(UnifiedSocialCreditCode.Check(WithChecks(first8 + "MA1MXB0C")));

    [Theory]
    [InlineData("Ⅱ级", AuditLevel.II)]
    [InlineData("一级", AuditLevel.I)]
    [InlineData("III", AuditLevel.III)]
    public void Audit_levels_are_read_as_the_bureaus_write_them(string text, AuditLevel level) => Assert.Equal(level, AuditLevels.Parse(text));
}
