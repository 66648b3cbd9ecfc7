using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Eia;

namespace CleanProdFlow.Domain.Tests.Eia;

public sealed class CaseNumberTests
{
    [Theory]
    [InlineData("suzhou", 2026, 1, "苏州环审〔2026〕0001")]
    [InlineData("lianyungang", 2026, 37, "连云港环审〔2026〕0037")]
    [InlineData("nanjing", 2027, 9999, "南京环审〔2027〕9999")]
    [InlineData("nanjing", 2027, 10000, "南京环审〔2027〕10000")]
    public void A_case_number_names_the_city_the_year_and_the_sequence(string city, int year, int sequence, string expected) =>
        Assert.Equal(expected, CaseNumber.Format(city, year, sequence));

    [Fact]
    public void Every_city_has_a_short_name_that_reads_back()
    {
        foreach (var city in Organisation.All.Where(o => !o.IsProvince))
        {
            var number = CaseNumber.Format(city.Code, 2026, 12);
            Assert.True(CaseNumber.TryParse(number, out var parsedCity, out var year, out var sequence), number);
            Assert.Equal((city.Code, 2026, 12), (parsedCity, year, sequence));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("苏州环审〔2026〕001")]
    [InlineData("苏州环审〔2026〕0000")]
    [InlineData("北京环审〔2026〕0001")]
    [InlineData("苏州环审[2026]0001")]
    [InlineData("苏州环审〔2026〕0001号")]
    public void Anything_else_is_not_a_case_number(string text) =>
        Assert.False(CaseNumber.TryParse(text, out _, out _, out _));

    [Fact]
    public void The_province_has_no_case_numbers() =>
        Assert.Throws<ArgumentException>(() => CaseNumber.Format(Organisation.ProvinceCode, 2026, 1));
}
