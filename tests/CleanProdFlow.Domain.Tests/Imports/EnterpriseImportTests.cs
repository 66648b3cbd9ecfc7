using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Imports;

namespace CleanProdFlow.Domain.Tests.Imports;

public sealed class EnterpriseImportTests
{
    private static readonly string[] Header = ["统一社会信用代码", "企业名称", "设区市", "县（市、区）", "行业", "地址", "在线监测"];

    private static (IReadOnlyList<ImportRow> Rows, ColumnLayout Layout) Table(string[] header, params string?[][] data)
    {
        var rows = new List<ImportRow> { new(1, header) };
        rows.AddRange(data.Select((cells, i) => new ImportRow(i + 2, cells)));
        var (layout, problem) = ImportColumns.Locate(EnterpriseImport.Columns, rows);
        Assert.Null(problem);
        return (rows, layout!);
    }

    private static EnterpriseImportPlan Check(string[] header, Func<string, bool>? mayImport, params string?[][] data)
    {
        var (rows, layout) = Table(header, data);
        return EnterpriseImport.Check(rows, layout, mayImport ?? (_ => true));
    }

    [Fact]
    public void Valid_rows_become_enterprises_with_the_city_code_and_yes_no_read()
    {
        var code = TestCodes.Make(1);

        var plan = Check(Header, null, [code.ToLowerInvariant(), " 苏州测试化工有限公司 ", "苏州市", "工业园区", "化工", "星湖街1号", "是"]);

        Assert.Empty(plan.Errors);
        Assert.Equal(new Enterprise(code, "苏州测试化工有限公司", "suzhou", "工业园区", "化工", "星湖街1号", true), Assert.Single(plan.Rows).Enterprise);
        Assert.Empty(plan.AbsentFields);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_row_number_field_column_and_reason_from_the_single_record_validation()
    {
        var valid = TestCodes.Make(2);
        var wrongCheck = valid[..17] + (valid[17] == 'A' ? 'B' : 'A');

        var plan = Check(Header, null,
            [valid, "好企业", "苏州", null, null, null, "否"],
            [wrongCheck, "", "上海市", null, null, null, "也许"],
            [TestCodes.Make(3), "企业", "无锡", null, null, null, null]);

        Assert.Single(plan.Rows);
        Assert.Equal([3, 3, 3, 3, 4], plan.Errors.Select(e => e.Row));
        Assert.Equal(["creditCode", "name", "city", "onlineMonitoring", "onlineMonitoring"], plan.Errors.Select(e => e.Field));
        var code = plan.Errors[0];
        Assert.Equal("统一社会信用代码", code.Column);
        Assert.Equal(wrongCheck, code.Value);
        Assert.Equal(UnifiedSocialCreditCode.Check(wrongCheck), code.Reason); // the very reason of the single-record check
        Assert.Contains("是 或 否", plan.Errors[3].Reason.Zh);               // 也许 is unreadable
        Assert.Contains("required", plan.Errors[4].Reason.En);              // empty
    }

    [Fact]
    public void A_credit_code_twice_in_one_file_is_an_error_of_the_later_row_naming_the_first()
    {
        var code = TestCodes.Make(4);

        var plan = Check(Header, null,
            [code, "甲", "苏州", null, null, null, "是"],
            [TestCodes.Make(5), "乙", "苏州", null, null, null, "是"],
            [code.ToLowerInvariant(), "甲二", "苏州", null, null, null, "是"]);

        var duplicate = Assert.Single(plan.Errors);
        Assert.Equal((4, "creditCode"), (duplicate.Row, duplicate.Field));
        Assert.Contains("row 2", duplicate.Reason.En);
    }

    [Fact]
    public void A_row_of_a_city_the_importer_may_not_import_is_a_row_error()
    {
        var plan = Check(Header, city => city == "suzhou",
            [TestCodes.Make(6), "苏州企业", "苏州", null, null, null, "是"],
            [TestCodes.Make(7, "320200"), "无锡企业", "无锡市", null, null, null, "是"]);

        var outside = Assert.Single(plan.Errors);
        Assert.Equal((3, "city", "设区市", "无锡市"), (outside.Row, outside.Field, outside.Column, outside.Value));
    }

    [Fact]
    public void Absent_optional_columns_keep_the_stored_values_and_changes_list_only_what_differs()
    {
        var code = TestCodes.Make(8);
        var plan = Check(["统一社会信用代码", "企业名称", "设区市", "在线监测"], null, [code, "新名称有限公司", "苏州", "是"]);
        var stored = new Enterprise(code, "旧名称有限公司", "suzhou", "工业园区", "化工", "星湖街1号", false);

        var merged = plan.Merge(plan.Rows[0].Enterprise, stored);

        Assert.Equal(["address", "county", "industry"], plan.AbsentFields.Order());
        Assert.Equal(stored with { Name = "新名称有限公司", OnlineMonitoring = true }, merged);
        Assert.Equal([new EnterpriseChange("name", "旧名称有限公司", "新名称有限公司"), new EnterpriseChange("onlineMonitoring", "false", "true")],
            EnterpriseImport.Changes(stored, merged));
        Assert.Empty(EnterpriseImport.Changes(merged, merged));
    }

    [Fact]
    public void An_empty_cell_of_a_present_optional_column_clears_the_value()
    {
        var code = TestCodes.Make(9);
        var plan = Check(Header, null, [code, "企业", "苏州", "", "化工", "", "是"]);
        var stored = new Enterprise(code, "企业", "suzhou", "工业园区", "化工", "星湖街1号", true);

        Assert.Equal(["county", "address"], EnterpriseImport.Changes(stored, plan.Merge(plan.Rows[0].Enterprise, stored)).Select(c => c.Field));
    }

    [Fact]
    public void An_enterprise_stored_in_another_city_cannot_be_changed_by_import()
    {
        var code = TestCodes.Make(10);
        var plan = Check(Header, null, [code, "企业", "苏州", null, null, null, "是"]);
        var stored = new Dictionary<string, Enterprise> { [code] = new(code, "企业", "wuxi", null, null, null, true) };

        var refused = Assert.Single(EnterpriseImport.CheckStored(plan, stored, city => city == "suzhou"));

        Assert.Equal((2, "creditCode", "统一社会信用代码"), (refused.Row, refused.Field, refused.Column));
        Assert.Empty(EnterpriseImport.CheckStored(plan, stored, _ => true));
    }
}
