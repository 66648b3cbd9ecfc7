using CleanProdFlow.Domain.Audit;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Tests.Audit;

/// <summary>The pure rules of issue 9: the list intake's fields, an extension request's fields and the measure-7 checks.</summary>
public sealed class AuditRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static string Code(int n)
    {
        int[] weights = [3, 7, 9, 10, 5, 8, 4, 2];
        var body = n.ToString("D8");
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        var check = (11 - sum % 11) switch { 10 => 'X', 11 => '0', var d => (char)('0' + d) };
        var first17 = $"91320500{body}{check}";
        return first17 + UnifiedSocialCreditCode.ComputeCheckCharacter(first17);
    }

    [Fact]
    public void A_valid_list_is_normalised_and_keeps_its_order()
    {
        var list = new NewAuditList(" 苏环办〔2026〕12号 ", "2026-03-10", [Code(2), Code(1).ToLowerInvariant()], null).Check(Today, out var errors);
        Assert.Empty(errors);
        Assert.NotNull(list);
        Assert.Equal("苏环办〔2026〕12号", list.Reference);
        Assert.Equal(new DateOnly(2026, 3, 10), list.ListedOn);
        Assert.Equal([Code(2), Code(1)], list.CreditCodes);
        Assert.Equal("creditCodes[1]", list.FieldOf(1));

        var single = new NewAuditList("x", "2026-03-01", null, Code(3)).Check(Today, out _);
        Assert.Equal("creditCode", single!.FieldOf(0));
    }

    [Fact]
    public void Every_bad_field_is_named_with_its_index()
    {
        var list = new NewAuditList("", "2026-03-11", [Code(1), "9132", Code(1), null], null).Check(Today, out var errors);
        Assert.Null(list);
        Assert.Equal(["creditCodes[1]", "creditCodes[2]", "creditCodes[3]", "listReference", "listedOn"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Contains("2026-03-10", errors.Single(e => e.Field == "listedOn").Message.En);

        new NewAuditList("x", "10/03/2026", null, null).Check(Today, out errors);
        Assert.Equal(["creditCodes", "listedOn"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        new NewAuditList("x", "2026-03-10", [Code(1)], Code(2)).Check(Today, out errors);
        Assert.Equal("creditCode", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("eia-approval", "中/高费方案需环评", null, new string[0])]
    [InlineData("renovation", "技改 18 个月", null, new string[0])]
    [InlineData("penalty-rectification", "整改", "苏环罚〔2026〕1号", new string[0])]
    [InlineData("penalty-rectification", "整改", null, new[] { "penaltyDecisionNumber" })]
    [InlineData("weather", " ", null, new[] { "evidence", "ground" })]
    [InlineData(null, null, null, new[] { "evidence", "ground" })]
    public void An_extension_request_needs_a_known_ground_evidence_and_for_a_penalty_its_number(string? ground, string? evidence, string? number, string[] fields) =>
        Assert.Equal(fields, new NewExtensionRequest(ground, evidence, number).Validate().Select(e => e.Field).Order(StringComparer.Ordinal));

    [Fact]
    public void Only_a_first_year_cycle_without_a_pending_or_approved_request_may_be_extended()
    {
        Assert.Null(ExtensionRules.CheckCycle(AuditCycleStatus.FirstYear, reportSubmitted: false, pendingRequest: false, approvedBefore: false));
        Assert.Contains("first-year", ExtensionRules.CheckCycle(AuditCycleStatus.FirstYear, true, false, false)!.Message.En);
        Assert.Contains("first-year", ExtensionRules.CheckCycle(AuditCycleStatus.Evaluating, false, false, false)!.Message.En);
        Assert.Contains("first-year", ExtensionRules.CheckCycle(AuditCycleStatus.Failed, false, false, false)!.Message.En);
        Assert.Contains("extended to two years already", ExtensionRules.CheckCycle(AuditCycleStatus.FirstYear, false, true, true)!.Message.En);
        Assert.Contains("pending", ExtensionRules.CheckCycle(AuditCycleStatus.FirstYear, false, true, false)!.Message.En);
        Assert.All(new[] { ExtensionRules.CheckCycle(AuditCycleStatus.Accepted, false, false, false) }, e => Assert.Equal("cycle", e!.Field));
    }

    [Fact]
    public void Ground_c_needs_a_penalty_of_this_cycle_that_stands()
    {
        var listedOn = new DateOnly(2026, 3, 10);
        Penalty[] penalties =
        [
            new("苏环罚〔2026〕1号", new DateOnly(2026, 3, 10), "苏州市生态环境局", true, false),
            new("苏环罚〔2026〕2号", new DateOnly(2026, 3, 9), "苏州市生态环境局", true, false),
            new("苏环罚〔2026〕3号", new DateOnly(2026, 5, 1), "苏州市生态环境局", true, true),
        ];
        Assert.Null(ExtensionRules.CheckPenalty(" 苏环罚〔2026〕1号 ", penalties, listedOn)); // decided on the day of the list: during the cycle
        Assert.Contains("before the list", ExtensionRules.CheckPenalty("苏环罚〔2026〕2号", penalties, listedOn)!.Message.En);
        Assert.Contains("annulled", ExtensionRules.CheckPenalty("苏环罚〔2026〕3号", penalties, listedOn)!.Message.En);
        var missing = ExtensionRules.CheckPenalty("苏环罚〔2026〕9号", penalties, listedOn)!;
        Assert.Equal("penaltyDecisionNumber", missing.Field);
        Assert.Contains("no penalty", missing.Message.En);
    }

    [Fact]
    public void Accepted_and_failed_cycles_are_closed()
    {
        Assert.True(AuditCycleStatus.IsOpen(AuditCycleStatus.FirstYear));
        Assert.True(AuditCycleStatus.IsOpen(AuditCycleStatus.Accepting));
        Assert.False(AuditCycleStatus.IsOpen(AuditCycleStatus.Accepted));
        Assert.False(AuditCycleStatus.IsOpen(AuditCycleStatus.Failed));
    }
}
