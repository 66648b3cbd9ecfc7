using CleanProdFlow.Timing.Calendars;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests.Calendars;

public sealed class CalendarDocumentTests
{
    private const string Source = """{"title":"国务院办公厅关于2027年部分节假日安排的通知","documentNumber":"国办发明电〔2026〕1号","date":"2026-11-01"}""";

    private static string Year(string year, string daysOff, string makeUp, string source = Source) =>
        $$"""{"year":{{year}},"source":{{source}},"daysOff":[{{daysOff}}],"makeUpWorkdays":[{{makeUp}}]}""";

    [Theory]
    [InlineData("2027", "\"2027-02-08\"", "\"2027-02-09\"", "makeUpWorkdays[0]", "weekdayMakeUp")] // Tuesday
    [InlineData("2027", "\"2027-02-08\"", "\"2027-02-20\",\"2027-02-21\",\"2027-02-20\"", "makeUpWorkdays[2]", "duplicate")]
    [InlineData("2027", "\"2026-12-31\"", "", "daysOff[0]", "notInYear")]
    [InlineData("2027", "\"2027-02-08\"", "\"2028-01-01\"", "makeUpWorkdays[0]", "notInYear")]
    [InlineData("2027", "\"2027/02/08\"", "", "daysOff[0]", "invalid")]
    [InlineData("2027", "\"2027-02-08\",\"2027-02-08\"", "", "daysOff[1]", "duplicate")]
    [InlineData("1999", "", "", "year", "outOfRange")]
    [InlineData("2101", "", "", "year", "outOfRange")]
    [InlineData("\"2027\"", "", "", "year", "invalidType")]
    public void Bad_years_are_refused_with_their_field(string year, string daysOff, string makeUp, string field, string code)
    {
        var result = CalendarYear.Parse(Year(year, daysOff, makeUp));
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field && e.Code == code);
    }

    [Fact]
    public void A_day_both_off_and_worked_is_refused()
    {
        // Saturday 2027-02-06 listed as a day off and a make-up working day.
        Assert.Equal(DayOfWeek.Saturday, D("2027-02-06").DayOfWeek);
        var result = CalendarYear.Parse(Year("2027", "\"2027-02-06\"", "\"2027-02-06\""));
        var error = Assert.Single(result.Errors);
        Assert.Equal("makeUpWorkdays[0]", error.Field);
        Assert.Equal("offAndMakeUp", error.Code);
        Assert.Contains("同时", error.MessageZh);
    }

    [Theory]
    [InlineData("""{"title":"","documentNumber":"x","date":"2026-11-01"}""", "source.title")]
    [InlineData("""{"title":"t","date":"2026-11-01"}""", "source.documentNumber")]
    [InlineData("""{"title":"t","documentNumber":"x","date":"1 Nov 2026"}""", "source.date")]
    public void An_official_year_needs_its_source(string source, string field) =>
        Assert.Contains(CalendarYear.Parse(Year("2027", "", "", source)).Errors, e => e.Field == field);

    [Fact]
    public void A_year_document_cannot_claim_to_be_provisional() =>
        Assert.Contains(CalendarYear.Parse(Year("2027", "", "").Replace("{\"year\"", "{\"provisional\":true,\"year\"")).Errors,
            e => e.Field == "provisional");

    [Fact]
    public void Calendar_file_errors_name_the_year_entry()
    {
        var file = $$"""{"calendar":"cn-mainland","years":[{{Year("2027", "\"2027-02-08\"", "")}},{{Year("2027", "\"2027-02-08\"", "\"2027-02-09\"")}}]}""";
        var result = WorkingDayCalendar.Parse(file);
        Assert.Contains(result.Errors, e => e.Field == "years[1].makeUpWorkdays[0]" && e.Code == "weekdayMakeUp");

        var duplicate = $$"""{"calendar":"cn-mainland","years":[{{Year("2027", "\"2027-02-08\"", "")}},{{Year("2027", "\"2027-02-09\"", "")}}]}""";
        Assert.Contains(WorkingDayCalendar.Parse(duplicate).Errors, e => e.Field == "years[1].year" && e.Code == "duplicate");

        Assert.Contains(WorkingDayCalendar.Parse("""{"years":[]}""").Errors, e => e.Field == "calendar" && e.Code == "required");
        Assert.Contains(WorkingDayCalendar.Parse("""{"calendar":"cn-mainland","timeZone":"UTC","years":[]}""").Errors, e => e.Field == "timeZone");
        Assert.Contains(WorkingDayCalendar.Parse("[1,2]").Errors, e => e.Field == "$");
    }

    [Fact]
    public void The_shipped_calendar_round_trips()
    {
        var again = WorkingDayCalendar.Parse(Mainland.ToJson()).Value;
        Assert.Equal(Mainland.Version, again.Version);
        var year = CalendarYear.Parse(Mainland.Year(2026).ToJson()).Value;
        Assert.Equal(Mainland.Year(2026).Version, year.Version);
        Assert.Equal(Mainland.Year(2026).DaysOff, year.DaysOff);
    }

    [Fact]
    public void A_provisional_year_serialises_in_the_api_shape()
    {
        var json = Mainland.Year(2027).ToJson();
        Assert.Contains("\"year\":2027", json);
        Assert.Contains("\"provisional\":true", json);
        Assert.Contains("\"daysOff\":[\"2027-01-01\"", json);
        Assert.Contains("\"makeUpWorkdays\":[]", json);
        Assert.Contains("国务院令第795号", json);
    }
}
