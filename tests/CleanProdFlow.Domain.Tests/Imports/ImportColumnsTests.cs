using CleanProdFlow.Domain.Imports;

namespace CleanProdFlow.Domain.Tests.Imports;

public sealed class ImportColumnsTests
{
    private static ImportRow Row(int number, params string?[] cells) => new(number, cells);

    [Fact]
    public void Chinese_and_english_names_full_width_brackets_and_required_marks_all_match()
    {
        var (layout, problem) = ImportColumns.Locate(EnterpriseImport.Columns,
        [
            Row(1, "序号", "*统一社会信用代码", "Name", "设区市", "县(市、区)", "online_monitoring", "备注"),
            Row(2, "1", "x", "y", "z"),
        ]);

        Assert.Null(problem);
        Assert.Equal(1, layout!.Positions["creditCode"]);
        Assert.Equal(2, layout.Positions["name"]);
        Assert.Equal(4, layout.Positions["county"]);
        Assert.Equal(5, layout.Positions["onlineMonitoring"]);
        Assert.Equal("*统一社会信用代码", layout.HeaderOf("creditCode"));
        Assert.False(layout.Has("address"));
    }

    [Fact]
    public void A_title_row_above_the_header_is_skipped()
    {
        var (layout, _) = ImportColumns.Locate(AuditResultImport.Columns,
        [
            Row(1, "2025年清洁生产审核验收名单"),
            Row(3, "统一社会信用代码", "验收日期", "等级", "验收部门", "文号"),
            Row(4, "x"),
        ]);

        Assert.Equal(3, layout!.HeaderRow);
    }

    [Fact]
    public void A_missing_required_column_is_named_with_the_accepted_names()
    {
        var (layout, problem) = ImportColumns.Locate(EnterpriseImport.Columns, [Row(1, "统一社会信用代码", "企业名称", "设区市"), Row(2, "x")]);

        Assert.Null(layout);
        Assert.Contains("onlineMonitoring (在线监测)", problem!.En);
        Assert.Contains("缺少必需的列：在线监测（onlineMonitoring）", problem.Zh);
        Assert.DoesNotContain("creditCode (", problem.En[..problem.En.IndexOf('.')]);
    }

    [Fact]
    public void Two_columns_for_one_field_are_refused()
    {
        var (_, problem) = ImportColumns.Locate(EnterpriseImport.Columns, [Row(1, "统一社会信用代码", "creditCode", "企业名称", "设区市", "在线监测"), Row(2, "x")]);
        Assert.Contains("same column (creditCode)", problem!.En);
    }

    [Fact]
    public void A_header_without_data_rows_is_refused()
    {
        var (_, problem) = ImportColumns.Locate(EnterpriseImport.Columns, [Row(1, "统一社会信用代码", "企业名称", "设区市", "在线监测")]);
        Assert.Contains("no data rows", problem!.En);
    }
}
