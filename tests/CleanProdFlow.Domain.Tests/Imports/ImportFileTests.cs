using System.Text;
using CleanProdFlow.Domain.Imports;
using CleanProdFlow.TestSupport;

namespace CleanProdFlow.Domain.Tests.Imports;

public sealed class ImportFileTests
{
    private const string Csv = "统一社会信用代码,企业名称,设区市\r\n91320500MA1MXB0C4X,苏州测试化工有限公司,苏州市\r\n";

    private static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    private static IReadOnlyList<ImportRow> Rows(ImportRead read)
    {
        Assert.Null(read.Problem);
        return read.Rows;
    }

    [Fact]
    public void Csv_in_utf8_with_and_without_byte_order_mark_and_in_gb18030_reads_the_same()
    {
        var withMark = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv)).ToArray();
        var withoutMark = Encoding.UTF8.GetBytes(Csv);
        var gbk = Gb18030().GetBytes(Csv);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(gbk)); // really not UTF-8

        var expected = Rows(ImportFile.Read(withoutMark, ImportFormat.Csv));

        Assert.Equal(["统一社会信用代码", "企业名称", "设区市"], expected[0].Cells);
        Assert.Equal("苏州测试化工有限公司", expected[1].Cells[1]);
        foreach (var bytes in new[] { withMark, gbk })
            Assert.Equal(expected.Select(r => string.Join("|", r.Cells)), Rows(ImportFile.Read(bytes, ImportFormat.Csv)).Select(r => string.Join("|", r.Cells)));
    }

    [Fact]
    public void Gb18030_four_byte_characters_are_read()
    {
        var text = "名称\n𠀀企业\n"; // U+20000 is four bytes in GB18030, outside GBK
        var rows = Rows(ImportFile.Read(Gb18030().GetBytes(text), ImportFormat.Csv));
        Assert.Equal("𠀀企业", rows[1].Cells[0]);
    }

    [Fact]
    public void Csv_quotes_keep_commas_line_breaks_and_doubled_quotes_and_rows_are_numbered_as_a_spreadsheet_shows_them()
    {
        var text = "a,b\n\"苏州, 工业园区\",\"第一行\n第二行\"\n\n\"说\"\"是\"\"\",x\r\nlast,row";

        var rows = Rows(ImportFile.Read(Encoding.UTF8.GetBytes(text), ImportFormat.Csv));

        Assert.Equal([1, 2, 4, 5], rows.Select(r => r.Number)); // the blank line is row 3, skipped
        Assert.Equal(["苏州, 工业园区", "第一行\n第二行"], rows[1].Cells);
        Assert.Equal("说\"是\"", rows[2].Cells[0]);
        Assert.Equal(["last", "row"], rows[3].Cells);
    }

    [Fact]
    public void A_tab_separated_file_is_read_by_its_separator()
    {
        var rows = Rows(ImportFile.Read(Encoding.UTF8.GetBytes("a\tb\n1\t2\n"), ImportFormat.Csv));
        Assert.Equal(["1", "2"], rows[1].Cells);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x41, 0x00 }, "UTF-16")]
    [InlineData(new byte[] { 0x41, 0x00, 0x42, 0x0A }, "not a text CSV")]
    [InlineData(new byte[] { 0x0A, 0x0D, 0x0A, 0x2C, 0x2C }, "no rows")]
    [InlineData(new byte[] { 0x22, 0x61, 0x2C, 0x62 }, "never closed")]
    public void A_csv_that_cannot_be_read_is_refused_with_the_reason(byte[] bytes, string reason)
    {
        var read = ImportFile.Read(bytes, ImportFormat.Csv);

        Assert.Contains(reason, read.Problem!.En);
        Assert.NotEmpty(read.Problem.Zh);
    }

    [Fact]
    public void Bytes_that_are_neither_utf8_nor_gb18030_are_refused()
    {
        // 0x80 alone is not a GB18030 lead byte, and a lone 0xFF is invalid in both.
        var read = ImportFile.Read([0x61, 0x2C, 0xFF, 0x0A], ImportFormat.Csv);
        Assert.Contains("neither UTF-8 nor GB18030", read.Problem!.En);
    }

    [Fact]
    public void Xlsx_reads_shared_and_inline_strings_numbers_booleans_and_dates_from_the_first_sheet_in_tab_order()
    {
        var bytes = XlsxWorkbook.Create(
            [
                ["统一社会信用代码", "企业名称", "在线监测", "验收日期", "中文日期", "数量", "序号"],
                ["91320500MA1MXB0C4X", new InlineText("苏州测试化工有限公司"), true, new DateOnly(2025, 6, 30), XlsxWorkbook.ChineseDate(new DateOnly(2024, 2, 29)), 12.5, new PlainNumber(45838)],
                null, // row 3 is missing altogether
                ["x", null, false],
            ],
            [["second sheet"], ["not read"]]);

        var rows = Rows(ImportFile.Read(bytes, ImportFormat.Xlsx));

        Assert.Equal([1, 2, 4], rows.Select(r => r.Number));
        Assert.Equal(["91320500MA1MXB0C4X", "苏州测试化工有限公司", "true", "2025-06-30", "2024-02-29", "12.5", "45838"], rows[1].Cells);
        Assert.Equal(["x", null, "false"], rows[2].Cells); // the skipped B4 keeps C4 in its column
    }

    [Fact]
    public void Random_bytes_named_xlsx_are_refused_not_thrown()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);

        foreach (var bytes in new[] { random, Encoding.UTF8.GetBytes(Csv), [0x50, 0x4B, 0x03, 0x04, 0x00] })
            Assert.Contains("not a valid .xlsx", ImportFile.Read(bytes, ImportFormat.Xlsx).Problem!.En);
    }

    [Fact]
    public void A_file_with_more_than_the_row_limit_is_refused()
    {
        var text = new StringBuilder("a\n");
        for (var i = 0; i < ImportFile.MaxRows + ImportFile.MaxTitleRows + 5; i++)
            text.Append(i).Append('\n');

        Assert.Contains("more than 50000", ImportFile.Read(Encoding.UTF8.GetBytes(text.ToString()), ImportFormat.Csv).Problem!.En);
    }

    [Theory]
    [InlineData("企业.CSV", ImportFormat.Csv)]
    [InlineData("名单.xlsx", ImportFormat.Xlsx)]
    [InlineData("名单.xls", null)]
    [InlineData("名单.txt", null)]
    [InlineData("名单", null)]
    public void The_format_comes_from_the_extension(string name, ImportFormat? format) => Assert.Equal(format, ImportFile.FormatOf(name));
}
