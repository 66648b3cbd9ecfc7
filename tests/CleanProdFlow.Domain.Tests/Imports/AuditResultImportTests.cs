using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Imports;

namespace CleanProdFlow.Domain.Tests.Imports;

public sealed class AuditResultImportTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    private static AuditImportPlan Check(ImportFormat format, params string?[][] data)
    {
        var rows = new List<ImportRow> { new(1, ["统一社会信用代码", "验收日期", "等级", "验收部门", "文号"]) };
        rows.AddRange(data.Select((cells, i) => new ImportRow(i + 2, cells)));
        var (layout, problem) = ImportColumns.Locate(AuditResultImport.Columns, rows);
        Assert.Null(problem);
        return AuditResultImport.Check(rows, layout!, format, Today);
    }

    [Theory]
    [InlineData("Ⅰ", AuditLevel.I)]
    [InlineData("II", AuditLevel.II)]
    [InlineData("三级", AuditLevel.III)]
    [InlineData("Ⅱ级", AuditLevel.II)]
    public void Levels_and_dates_are_read_as_the_bureaus_write_them(string level, AuditLevel expected)
    {
        var code = TestCodes.Make(20);

        var plan = Check(ImportFormat.Csv, [code, "2025/6/30", level, "苏州市生态环境局", "苏环验〔2025〕20号"]);

        Assert.Empty(plan.Errors);
        Assert.Equal(new AuditResult(code, new DateOnly(2025, 6, 30), expected, "苏州市生态环境局", "苏环验〔2025〕20号"), Assert.Single(plan.Rows).Result);
    }

    [Fact]
    public void Bad_rows_are_refused_with_the_single_record_reasons_and_a_document_twice_is_a_row_error()
    {
        var code = TestCodes.Make(21);

        var plan = Check(ImportFormat.Csv,
            [code, "2025-06-30", "Ⅱ", "苏州市生态环境局", "苏环验〔2025〕21号"],
            ["91320500", "2099-01-01", "Ⅳ", "", ""],
            [code, "2025-07-01", "Ⅰ", "苏州市生态环境局", "苏环验〔2025〕21号"]);

        Assert.Equal([3, 3, 3, 3, 3, 4], plan.Errors.Select(e => e.Row));
        Assert.Equal(["creditCode", "acceptedOn", "level", "authority", "documentNumber", "documentNumber"], plan.Errors.Select(e => e.Field));
        Assert.Contains("after today (2026-11-24)", plan.Errors[1].Reason.En);
        Assert.Contains("row 2", plan.Errors[5].Reason.En);
    }

    [Fact]
    public void Enterprises_must_be_registered_and_visible_and_a_recorded_document_must_not_differ()
    {
        var suzhou = TestCodes.Make(22);
        var wuxi = TestCodes.Make(23, "320200");
        var missing = TestCodes.Make(24);
        var plan = Check(ImportFormat.Csv,
            [suzhou, "2025-06-30", "Ⅱ", "苏州市生态环境局", "苏环验〔2025〕1号"],   // recorded identically: fine (unchanged)
            [suzhou, "2025-06-30", "Ⅰ", "苏州市生态环境局", "苏环验〔2025〕2号"],   // recorded as Ⅲ: refused
            [wuxi, "2025-06-30", "Ⅱ", "无锡市生态环境局", "锡环验〔2025〕1号"],     // another city: as if missing
            [missing, "2025-06-30", "Ⅱ", "苏州市生态环境局", "苏环验〔2025〕3号"]);
        var cities = new Dictionary<string, string> { [suzhou] = "suzhou", [wuxi] = "wuxi" };
        AuditResult[] stored =
        [
            new(suzhou, new DateOnly(2025, 6, 30), AuditLevel.II, "苏州市生态环境局", "苏环验〔2025〕1号"),
            new(suzhou, new DateOnly(2025, 6, 30), AuditLevel.III, "苏州市生态环境局", "苏环验〔2025〕2号"),
        ];

        var errors = AuditResultImport.CheckStored(plan, cities.GetValueOrDefault, city => city == "suzhou", stored);

        Assert.Equal([(3, "documentNumber"), (4, "creditCode"), (5, "creditCode")], errors.Select(e => (e.Row, e.Field)));
        Assert.Contains("never changed", errors[0].Reason.En);
        Assert.Equal(errors[1].Reason.En.Replace(wuxi, "X"), errors[2].Reason.En.Replace(missing, "X")); // existence does not leak
    }

    [Fact]
    public void A_spreadsheet_serial_date_in_a_general_cell_is_read_as_a_date()
    {
        var plan = Check(ImportFormat.Xlsx, [TestCodes.Make(25), "45838", "Ⅱ", "苏州市生态环境局", "苏环验〔2025〕25号"]);
        Assert.Equal(new DateOnly(2025, 6, 30), Assert.Single(plan.Rows).Result.AcceptedOn);
    }
}
