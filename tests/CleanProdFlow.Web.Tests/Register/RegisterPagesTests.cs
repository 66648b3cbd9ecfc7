using System.Net;
using System.Text;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Compliance;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Register;

/// <summary>
/// The register pages on the demo data: a city's staff see their city's enterprises (the province every one; another
/// city's enterprise is the 404 page, as in the API), the eligibility explanation rule by rule with its dates, the
/// lists with their history, and imports whose every bad row is shown with the API's own reason.
/// </summary>
public sealed class RegisterPagesTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private CpfWebFactory Factory => host.Factory;

    private async Task<string> CodeOfAsync(string name)
    {
        await using var connection = await Factory.Services.GetRequiredService<CpfDatabase>().OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT credit_code FROM enterprises WHERE name = @name", new { name });
    }

    [Fact]
    public async Task A_city_officer_lists_the_own_city_and_the_province_lists_every_city()
    {
        var suzhou = await PageSession.SignInAsync(Factory, "acceptance.suzhou");
        var province = await PageSession.SignInAsync(Factory, "approver.province");

        var (status, html) = await suzhou.GetAsync("/register");
        var (_, all) = await province.GetAsync("/register");
        var (_, nanjingOnly) = await province.GetAsync("/register?city=nanjing");
        var (refused, _) = await suzhou.GetAsync("/register?city=nanjing");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("苏州华芯半导体材料有限公司", html);
        Assert.DoesNotContain("南京扬子石化新材料有限公司", html);
        Assert.Contains("苏清洁先进〔", html); // the register entry's certificate number
        Assert.Contains("南京扬子石化新材料有限公司", all);
        Assert.Contains("苏州华芯半导体材料有限公司", all);
        Assert.DoesNotContain("苏州华芯半导体材料有限公司", nanjingOnly);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    [Fact]
    public async Task The_enterprise_page_explains_each_rule_with_the_dates_it_used_and_another_city_gets_the_404_page()
    {
        var penalised = await CodeOfAsync("太仓港海新能源科技有限公司");
        var nanjing = await CodeOfAsync("南京扬子石化新材料有限公司");
        var session = await PageSession.SignInAsync(Factory, "review.suzhou");

        var (status, html) = await session.GetAsync($"/register/enterprises/{penalised}");
        var (before, beforeHtml) = await session.GetAsync($"/register/enterprises/{penalised}?asOf=2020-01-31");
        var (other, otherHtml) = await session.GetAsync($"/register/enterprises/{nanjing}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("不符合条件", html);
        Assert.Contains("rule-passed", html); // level Ⅱ passes
        Assert.Contains("rule-failed", html); // the 2025 penalty fails the three-year rule
        Assert.Contains("环罚〔", html);
        Assert.Contains("判定记录", html);
        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Contains("截至 2020-01-31 没有通过验收的清洁生产审核", beforeHtml); // judged as of a date before its audit
        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Contains("页面不存在", otherHtml);
    }

    [Fact]
    public async Task The_enterprise_page_shows_the_register_entry_and_the_list_history()
    {
        var leader = await CodeOfAsync("苏州华芯半导体材料有限公司");
        var session = await PageSession.SignInAsync(Factory, "auditor.province");

        var (_, html) = await session.GetAsync($"/register/enterprises/{leader}");
        var (_, lists) = await session.GetAsync("/register/lists");

        Assert.Contains("符合清洁生产先进企业条件", html);
        Assert.Contains("苏清洁先进〔", html);
        Assert.Contains("监督执法正面清单", html);
        Assert.Contains("仍在名单中", html);
        Assert.Contains("approver.province", html);
        Assert.Contains("监督执法正面清单", lists);
        Assert.Contains("苏州华芯半导体材料有限公司", lists);
    }

    [Fact]
    public async Task An_import_with_bad_rows_lists_every_bad_row_and_imports_nothing_and_a_good_file_is_imported()
    {
        var session = await PageSession.SignInAsync(Factory, "acceptance.suzhou");
        var bad = Encoding.UTF8.GetBytes("统一社会信用代码,企业名称,设区市,在线监测\r\n" +
                                         "91320500MA1W9L3X2Z,苏州坏行测试有限公司,苏州,否\r\n" +
                                         $"{CreditCodes.Make(8801)},,苏州,否\r\n" +
                                         $"{CreditCodes.Make(8802, "320100")},南京不可导入有限公司,南京,否\r\n");
        var good = Encoding.UTF8.GetBytes("统一社会信用代码,企业名称,设区市,县（市、区）,在线监测\r\n" +
                                          $"{CreditCodes.Make(8803)},苏州页面导入测试有限公司,苏州市,吴中区,是\r\n");

        var (refused, refusedHtml) = await session.PostFileAsync("/register/import", "企业.csv", bad, "text/csv", ("Kind", "enterprises"));
        var (imported, importedHtml) = await session.PostFileAsync("/register/import", "企业.csv", good, "text/csv", ("Kind", "enterprises"));
        var (_, list) = await session.GetAsync("/register");

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("文件中有 3 行有误，未导入任何数据", refusedHtml);
        Assert.Contains("91320500MA1W9L3X2Z", refusedHtml);
        foreach (var row in new[] { 2, 3, 4 }) // the row numbers as the spreadsheet shows them
            Assert.Contains($"<th scope=\"row\">{row}</th>", refusedHtml);
        Assert.Contains("只能导入本单位辖区内的企业", refusedHtml);
        Assert.DoesNotContain("苏州坏行测试有限公司", list);
        Assert.Equal(HttpStatusCode.OK, imported);
        Assert.Contains("新增 1 条", importedHtml);
        Assert.Contains("苏州页面导入测试有限公司", list);
    }

    [Fact]
    public async Task An_auditor_may_not_import_and_the_page_says_why()
    {
        var session = await PageSession.SignInAsync(Factory, "auditor.province");
        var file = Encoding.UTF8.GetBytes($"统一社会信用代码,企业名称,设区市,在线监测\r\n{CreditCodes.Make(8804)},审计不可导入有限公司,苏州,否\r\n");

        var (status, html) = await session.PostFileAsync("/register/import", "企业.csv", file, "text/csv", ("Kind", "enterprises"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("未导入", html);
        Assert.Contains("导入企业须具备登记企业的角色", html);
    }
}
