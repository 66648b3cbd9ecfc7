using System.Globalization;
using System.Text.Json.Nodes;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eia;
using CleanProdFlow.Domain.Tests.Imports;

namespace CleanProdFlow.Domain.Tests.Eia;

public sealed class NewEiaApplicationTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-09-28T10:00:00+08:00", CultureInfo.InvariantCulture);
    private static readonly string Code = TestCodes.Make(4711);

    private static NewEiaApplication Valid(JsonObject? quota = null, string receivedAt = "2026-09-28T09:30:00+08:00") =>
        new(Code, "年产 5 万吨精细化学品扩建项目", "expand", "report", "suzhou", quota, receivedAt);

    private static IReadOnlyDictionary<string, LocalizedText> Errors(NewEiaApplication application) =>
        application.Validate(Now).ToDictionary(e => e.Field, e => e.Message);

    [Fact]
    public void A_complete_application_is_accepted_with_its_acceptance_date_in_beijing()
    {
        var input = Valid(new JsonObject { ["COD"] = 1.2, ["NH3-N"] = 0 }, "2026-09-28T01:30:00Z").Check(Now, out var problems);

        Assert.Empty(problems);
        Assert.NotNull(input);
        Assert.Equal(new DateOnly(2026, 9, 28), input.AcceptanceDate); // 09:30 in Beijing
        Assert.Equal(1.2m, input.QuotaNeeds["COD"]);
        Assert.Equal(0m, input.QuotaNeeds["NH3-N"]);
    }

    [Fact]
    public void Every_missing_field_is_named_in_both_languages()
    {
        var errors = Errors(new NewEiaApplication(null, null, null, null, null, null, null));

        Assert.Equal(["city", "creditCode", "documentType", "kind", "projectName", "receivedAt"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("report", errors["documentType"].En);
        Assert.Contains("报告书", errors["documentType"].Zh);
    }

    [Theory]
    [InlineData("kind", "demolish")]
    [InlineData("documentType", "registration")]
    [InlineData("city", "province")]
    [InlineData("city", "beijing")]
    [InlineData("creditCode", "91320500MA1MXXXXX0")]
    public void A_value_outside_the_allowed_ones_is_refused(string field, string value)
    {
        var application = field switch
        {
            "kind" => Valid() with { Kind = value },
            "documentType" => Valid() with { DocumentType = value },
            "city" => Valid() with { City = value },
            _ => Valid() with { CreditCode = value },
        };

        Assert.Equal([field], Errors(application).Keys);
    }

    [Theory]
    [InlineData("2026-09-28T09:30:00")]       // no offset: ambiguous
    [InlineData("2026-09-28")]                // no time
    [InlineData("yesterday")]
    [InlineData("2026-09-28T11:00:00+08:00")] // an hour ahead of now
    [InlineData("2026-08-28T17:00:00+08:00")] // 31 days ago: too late to record without a check
    public void The_receipt_must_be_an_instant_with_offset_not_ahead_and_not_long_ago(string receivedAt) =>
        Assert.Equal(["receivedAt"], Errors(Valid(receivedAt: receivedAt)).Keys);

    [Theory]
    [InlineData("2026-09-27T17:00:00+08:00")] // yesterday: recorded late, the clock still counts from the receipt
    [InlineData("2026-08-29T09:00:00+08:00")] // 30 days ago
    public void A_receipt_recorded_late_within_thirty_days_is_accepted(string receivedAt) =>
        Assert.Empty(Errors(Valid(receivedAt: receivedAt)));

    [Fact]
    public void A_receipt_a_few_minutes_ahead_is_tolerated_for_a_fast_counter_clock() =>
        Assert.Empty(Errors(Valid(receivedAt: "2026-09-28T10:03:00+08:00")));

    [Fact]
    public void Each_bad_quota_need_is_named_by_its_pollutant()
    {
        var errors = Errors(Valid(new JsonObject { ["COD"] = -1, ["SO2"] = "many", ["NOx"] = 2.5, ["bad;name"] = 1 }));

        Assert.Equal(["quotaNeeds.COD", "quotaNeeds.SO2", "quotaNeeds.bad;name"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("tonnes", errors["quotaNeeds.SO2"].En);
    }

    [Fact]
    public void Text_is_trimmed_and_the_credit_code_normalised()
    {
        var input = (Valid() with { CreditCode = " " + Code.ToLowerInvariant() + " ", ProjectName = "  扩建项目 " }).Check(Now, out _);

        Assert.Equal(Code, input!.CreditCode);
        Assert.Equal("扩建项目", input.ProjectName);
        Assert.Empty(input.QuotaNeeds);
    }

    [Fact]
    public void A_project_name_longer_than_200_characters_is_refused() =>
        Assert.Equal(["projectName"], Errors(Valid() with { ProjectName = new string('项', 201) }).Keys);
}
