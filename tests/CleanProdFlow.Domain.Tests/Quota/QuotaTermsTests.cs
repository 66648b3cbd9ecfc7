using CleanProdFlow.Domain.Quota;

namespace CleanProdFlow.Domain.Tests.Quota;

public sealed class QuotaTermsTests
{
    [Theory]
    [InlineData("1.234", true, 1_234L)]
    [InlineData("0.001", true, 1L)]
    [InlineData("1000000", true, 1_000_000_000L)]
    [InlineData("1.2345", false, 0L)]
    [InlineData("0", false, 0L)]
    [InlineData("-1", false, 0L)]
    [InlineData("1000000.001", false, 0L)]
    public void Amounts_are_exact_milli_tonnes_with_at_most_three_decimals(string tonnes, bool ok, long milli)
    {
        Assert.Equal(ok, QuotaAmount.TryFromTonnes(decimal.Parse(tonnes, System.Globalization.CultureInfo.InvariantCulture), out var actual));
        Assert.Equal(milli, actual);
        if (ok)
            Assert.Equal(decimal.Parse(tonnes, System.Globalization.CultureInfo.InvariantCulture), QuotaAmount.ToTonnes(actual));
    }

    [Theory]
    [InlineData("COD", "COD")]
    [InlineData("cod", "COD")]
    [InlineData("氨氮", "NH3-N")]
    [InlineData("颗粒物", "PM")]
    [InlineData(" vocs ", "VOCs")]
    [InlineData("CO2", null)]
    [InlineData("", null)]
    public void Pollutants_are_known_by_code_or_Chinese_name(string text, string? code) => Assert.Equal(code, Pollutant.Normalise(text));

    [Fact]
    public void Only_balanced_entries_with_system_accounts_for_issuance_and_retirement_are_postable()
    {
        var a = QuotaHolder.Enterprise("91320500MA00000001", "suzhou");
        var b = QuotaHolder.CityReserve("suzhou");
        Assert.Null(QuotaEntryDraft.Issuance(a, "COD", 5, "k", "audit").Problem());
        Assert.Null(QuotaEntryDraft.Retirement(a, "COD", 5, "k", "closure").Problem());
        Assert.Null(QuotaEntryDraft.Transfer(QuotaEntryDraft.DepositKind, a, b, "COD", 5, "k", "deposit", fromHold: true).Problem());
        Assert.NotNull(new QuotaEntryDraft("trade", "COD", 5, "k", "x", null, [new(a, -5), new(b, 6)]).Problem());
        Assert.NotNull(QuotaEntryDraft.Transfer("trade", a, a, "COD", 5, "k", "x").Problem());
        Assert.NotNull(QuotaEntryDraft.Transfer("trade", QuotaHolder.Issuance, a, "COD", 5, "k", "x").Problem());
        Assert.NotNull(QuotaEntryDraft.Transfer("trade", a, b, "COD", 0, "k", "x").Problem());
        Assert.NotNull(QuotaEntryDraft.Transfer("trade", a, b, "SO3", 5, "k", "x").Problem());
        Assert.NotNull(QuotaEntryDraft.Transfer("trade", a, b, "COD", 5, "", "x").Problem());
    }

    [Fact]
    public void Priority_ranks_advanced_enterprises_with_an_EIA_project_first_and_a_revoked_one_with_the_others()
    {
        Assert.Equal(0, QuotaPriority.RankOf(advanced: true, eiaCaseRunning: true));
        Assert.Equal(1, QuotaPriority.RankOf(advanced: true, eiaCaseRunning: false));
        Assert.Equal(2, QuotaPriority.RankOf(advanced: false, eiaCaseRunning: true));
        Assert.True(QuotaHolder.Compare(QuotaHolder.CityReserve("suzhou"), QuotaHolder.Enterprise("9", "suzhou")) < 0);
    }
}
