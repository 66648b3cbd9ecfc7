using CleanProdFlow.Domain.Imports;

namespace CleanProdFlow.Domain.Tests.Imports;

public sealed class ImportValuesTests
{
    [Theory]
    [InlineData("2025-06-30", ImportFormat.Csv, "2025-06-30")]
    [InlineData("2025/6/30", ImportFormat.Csv, "2025-06-30")]
    [InlineData("2025.6.3", ImportFormat.Csv, "2025-06-03")]
    [InlineData("2025年6月30日", ImportFormat.Csv, "2025-06-30")]
    [InlineData("2025/6/30 0:00", ImportFormat.Csv, "2025-06-30")]
    [InlineData("20250630", ImportFormat.Csv, "2025-06-30")]
    [InlineData("45838", ImportFormat.Xlsx, "2025-06-30")]  // a serial day typed into a General cell
    [InlineData("45838", ImportFormat.Csv, "45838")]        // in a CSV it is just a number, refused later
    [InlineData("2025-02-30", ImportFormat.Csv, "2025-02-30")] // not a date: passed on to be refused with the reason
    [InlineData("下周", ImportFormat.Csv, "下周")]
    public void Dates_as_the_bureaus_write_them_become_iso_dates(string text, ImportFormat format, string expected) =>
        Assert.Equal(expected, ImportValues.Date(text, format));

    [Theory]
    [InlineData("suzhou", "suzhou")]
    [InlineData("SUZHOU", "suzhou")]
    [InlineData("苏州市", "suzhou")]
    [InlineData("苏州", "suzhou")]
    [InlineData("苏州市生态环境局", "suzhou")]
    [InlineData("Huai'an", "huaian")]
    [InlineData("连云港市", "lianyungang")]
    [InlineData("上海市", "上海市")]
    [InlineData("江苏省生态环境厅", "江苏省生态环境厅")] // the province is not a city
    public void Cities_are_read_by_code_or_name(string text, string expected) => Assert.Equal(expected, ImportValues.City(text));

    [Theory]
    [InlineData("是", true)]
    [InlineData("否", false)]
    [InlineData("有", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData(" yes ", true)]
    public void Yes_and_no_are_read_as_written(string text, bool expected)
    {
        Assert.Equal(expected, ImportValues.YesNo(text, out var unreadable));
        Assert.False(unreadable);
    }

    [Fact]
    public void Serial_dates_follow_excel_in_both_date_systems()
    {
        Assert.Equal("2025-06-30", ImportValues.SerialDate(45838, date1904: false));
        Assert.Equal("2025-06-30", ImportValues.SerialDate(45838 - 1462, date1904: true));
        Assert.Null(ImportValues.SerialDate(12, date1904: false));
    }
}
