using CleanProdFlow.Domain.Programmes;

namespace CleanProdFlow.Domain.Tests.Programmes;

public sealed class GreenFinanceBatchTests
{
    [Theory]
    [InlineData("2027-01-02", 2026)]
    [InlineData("2027-06-30", 2026)]
    [InlineData("2027-12-31", 2026)]
    [InlineData("2028-01-01", 2027)]
    public void A_batch_draws_from_last_years_register(string today, int expected) =>
        Assert.Equal(expected, GreenFinanceBatch.RegisterYearFor(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_selection_clock_starts_on_the_last_day_of_the_register_year_in_Beijing_time()
    {
        var start = GreenFinanceBatch.ClockStartFor(2026);

        // Still 31 December in Beijing, so the start day (not counted) is 31 December and six months end on 30 June.
        Assert.Equal(new DateOnly(2026, 12, 31), DateOnly.FromDateTime(start.DateTime));
        Assert.Equal(TimeSpan.FromHours(8), start.Offset);
        Assert.Equal(new DateOnly(2027, 6, 30), DateOnly.FromDateTime(start.DateTime).AddMonths(6));
        Assert.True(start < new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)));
    }

    [Theory]
    [InlineData(2026, true)]
    [InlineData(2025, false)]
    [InlineData(2027, false)]
    [InlineData(null, false)]
    public void Only_last_year_may_be_started(int? year, bool accepted) =>
        Assert.Equal(accepted, GreenFinanceBatch.RefusalOfYear(year, new DateOnly(2027, 3, 1)) is null);

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void An_exclusion_needs_a_reason(string? reason)
    {
        Assert.Null(GreenFinanceBatch.CheckReason(reason, out var error));
        Assert.Equal("reason", error!.Field);
        Assert.Equal("企业申请暂不入库", GreenFinanceBatch.CheckReason(" 企业申请暂不入库 ", out _));
        Assert.Null(GreenFinanceBatch.CheckReason(new string('理', 1001), out _));
    }
}

public sealed class TypicalCaseRulesTests
{
    [Fact]
    public void A_nomination_needs_a_title_a_summary_and_distinct_technologies()
    {
        var nomination = new NewNomination("91320500MA1TEST001", " 余热回收 ", "年节约标煤 3000 吨",
            [new("余热锅炉", "回收窑炉烟气余热"), new("变频改造", "风机水泵变频")]);
        var accepted = nomination.Check(out var errors);
        Assert.Empty(errors);
        Assert.Equal("余热回收", accepted!.Value.Title);
        Assert.Equal(["余热锅炉", "变频改造"], accepted.Value.Technologies.Select(t => t.Name));

        var refused = new NewNomination("x", "", new string('长', 5001), [new("余热锅炉", "说明"), new("余热锅炉", "重复"), new(null, "无名")]).Check(out errors);
        Assert.Null(refused);
        Assert.Equal(["summary", "technologies[1].name", "technologies[2].name", "title"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));

        new NewNomination("x", "标题", "简介", []).Check(out errors);
        Assert.Equal("technologies", Assert.Single(errors).Field);
        new NewNomination("x", "标题", "简介", Enumerable.Range(0, 21).Select(i => (TechnologyInput?)new TechnologyInput($"技术{i}", "说明")).ToList()).Check(out errors);
        Assert.Equal("technologies", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    [InlineData(-1, false)]
    [InlineData(null, false)]
    public void A_score_is_0_to_100(int? score, bool accepted)
    {
        new NominationReview(score, "意见").Check(out var errors);
        Assert.Equal(accepted, errors.Count == 0);
        if (!accepted)
            Assert.Equal("score", Assert.Single(errors).Field);
    }

    [Fact]
    public void At_most_ten_distinct_nominations_are_selected()
    {
        var ids = Enumerable.Range(0, 11).Select(_ => Guid.NewGuid()).ToList();

        Assert.Null(new Selection(ids).Check(out var errors));
        Assert.Equal(Selection.Field, Assert.Single(errors).Field);
        Assert.Contains("11", errors[0].Message.En);
        Assert.Equal(10, new Selection(ids.Take(10).ToList()).Check(out errors)!.Count);
        Assert.Empty(errors);
        Assert.Null(new Selection([]).Check(out errors));
        Assert.Null(new Selection([ids[0], ids[1], ids[0]]).Check(out errors));
        Assert.Equal("nominationIds[2]", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_selected_nomination_must_be_of_the_year_and_scored()
    {
        var ofYear = Guid.NewGuid();
        var otherYear = Guid.NewGuid();
        var unscored = Guid.NewGuid();
        var stored = new Dictionary<Guid, (int Year, int? Score)> { [ofYear] = (2026, 90), [otherYear] = (2025, 80), [unscored] = (2026, null) };

        var errors = Selection.CheckAgainst([ofYear, otherYear, unscored, Guid.NewGuid()], 2026, stored);

        Assert.Equal(["nominationIds[1]", "nominationIds[2]", "nominationIds[3]"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(2026, true)]
    [InlineData(2027, true)]
    [InlineData(2025, false)]
    [InlineData(null, false)]
    public void A_campaign_is_for_this_year_or_next(int? year, bool accepted) =>
        Assert.Equal(accepted, TypicalCases.RefusalOfYear(year, new DateOnly(2026, 10, 12)) is null);
}
