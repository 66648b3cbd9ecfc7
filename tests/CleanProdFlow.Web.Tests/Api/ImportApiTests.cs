using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Imports;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Domain.Imports;
using CleanProdFlow.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Api;

/// <summary>One host per provider, started when a test first asks and shared by the tests of the class.</summary>
public sealed class ImportHostsFixture : HostsPerProvider
{
    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider);
}

public sealed class ImportApiTests(ImportHostsFixture hosts) : IClassFixture<ImportHostsFixture>
{
    private const string Enterprises = "/api/v1/imports/enterprises";
    private const string AuditResults = "/api/v1/imports/audit-results";
    private static readonly string[] Header = ["统一社会信用代码", "企业名称", "设区市", "县（市、区）", "行业", "地址", "在线监测"];
    private static readonly string[] AuditHeader = ["统一社会信用代码", "验收日期", "等级", "验收部门", "文号"];
    private static int _next = 700_000;

    private static string NewCode(string division = "320500") => CreditCodes.Make(Interlocked.Increment(ref _next), division);

    private static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    private static string Csv(params string[][] rows) =>
        string.Concat(rows.Select(r => string.Join(",", r.Select(c => c.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{c.Replace("\"", "\"\"")}\"" : c)) + "\r\n"));

    /// <summary>UTF-8 with a byte-order mark, as Excel's “CSV UTF-8” writes it.</summary>
    private static byte[] Utf8Bom(string text) => Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string path, byte[] bytes, string fileName, string? partType = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        if (partType is not null)
            file.Headers.ContentType = new MediaTypeHeaderValue(partType);
        form.Add(file, "file", fileName);
        return await client.PostAsync(path, form);
    }

    private static async Task<(int Inserted, int Updated, int Unchanged)> ImportedAsync(HttpResponseMessage response)
    {
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return (body.GetProperty("inserted").GetInt32(), body.GetProperty("updated").GetInt32(), body.GetProperty("unchanged").GetInt32());
    }

    private static async Task<JsonElement> EnterpriseAsync(HttpClient client, string code) =>
        (await (await client.GetAsync($"/api/v1/enterprises/{code}")).JsonAsync()).GetProperty("enterprise");

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_enterprise_file_imports_once_a_reimport_changes_nothing_and_a_changed_row_is_updated_with_who_and_when(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var acceptance = await host.SignedInAsync("acceptance.suzhou");
        var enforcement = await host.SignedInAsync("enforcement.suzhou");
        string a = NewCode(), b = NewCode(), c = NewCode(), d = NewCode();
        string[][] rows =
        [
            Header,
            [a, "苏州甲化工有限公司", "苏州市", "工业园区", "化工", "星湖街1号", "是"],
            [b, "苏州乙电子有限公司", "suzhou", "吴中区", "电子", "东吴南路2号, 3幢", "否"],
            [c, "苏州丙印染有限公司", "苏州", "", "印染", "", "1"],
        ];

        var first = await ImportedAsync(await UploadAsync(acceptance, Enterprises, Utf8Bom(Csv(rows)), "企业名单.csv", "text/csv"));
        var again = await ImportedAsync(await UploadAsync(enforcement, Enterprises, Utf8Bom(Csv(rows)), "企业名单.csv"));
        rows[2] = [b, "苏州乙电子科技有限公司", "suzhou", "吴中区", "电子", "东吴南路2号, 3幢", "是"];
        var changed = await ImportedAsync(await UploadAsync(enforcement, Enterprises,
            Utf8Bom(Csv([.. rows, [d, "苏州丁制药有限公司", "苏州市", "昆山市", "制药", "", "否"]])), "企业名单-更新.csv"));

        Assert.Equal((3, 0, 0), first);
        Assert.Equal((0, 0, 3), again);
        Assert.Equal((1, 1, 2), changed);
        var updated = await EnterpriseAsync(acceptance, b);
        Assert.Equal("苏州乙电子科技有限公司", updated.GetProperty("name").GetString());
        Assert.True(updated.GetProperty("onlineMonitoring").GetBoolean());
        Assert.Equal("东吴南路2号, 3幢", updated.GetProperty("address").GetString());
        Assert.Equal("acceptance.suzhou", updated.GetProperty("createdBy").GetString());
        Assert.Equal("enforcement.suzhou", updated.GetProperty("updatedBy").GetString());
        Assert.True(updated.GetProperty("updatedAt").GetDateTimeOffset() > updated.GetProperty("createdAt").GetDateTimeOffset());
        var untouched = await EnterpriseAsync(acceptance, a);
        Assert.Equal("acceptance.suzhou", untouched.GetProperty("updatedBy").GetString()); // the unchanged re-import did not touch it
        Assert.Equal(JsonValueKind.Null, (await EnterpriseAsync(acceptance, c)).GetProperty("county").ValueKind);
        var changes = await new ImportStore(host.Services.GetRequiredService<CpfDatabase>()).ChangesAsync(b);
        Assert.Equal([("name", "苏州乙电子有限公司", "苏州乙电子科技有限公司"), ("onlineMonitoring", "false", "true")],
            changes.Select(x => (x.Field, x.OldValue, x.NewValue)));
        Assert.All(changes, x => Assert.Equal("enforcement.suzhou", x.ChangedBy));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_gb18030_csv_and_an_xlsx_with_english_headers_and_a_title_row_import_like_utf8(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var admin = await host.SignedInAsync("admin.province");
        string gbk = NewCode(), xlsx = NewCode("320200"), inline = NewCode("320100");
        var gbkBytes = Gb18030().GetBytes(Csv(Header, [gbk, "苏州市测试纺织有限公司", "苏州市", "吴江区", "纺织", "盛泽镇", "是"]));
        var workbook = XlsxWorkbook.Create(
        [
            ["2026年企业名单（导入测试）"],
            null,
            ["creditCode", "Name", "City", "County", "Industry", "Address", "Online monitoring", "Remark"],
            [xlsx, "无锡测试钢铁有限公司", "无锡市", "江阴市", "钢铁", "澄江街道", true, "备注不导入"],
            [new InlineText(inline), new InlineText("南京测试石化有限公司"), "nanjing", null, "石化", null, false],
        ]);

        var fromGbk = await ImportedAsync(await UploadAsync(admin, Enterprises, gbkBytes, "名单.csv", "application/vnd.ms-excel"));
        var fromXlsx = await ImportedAsync(await UploadAsync(admin, Enterprises, workbook, "名单.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

        Assert.Equal((1, 0, 0), fromGbk);
        Assert.Equal((2, 0, 0), fromXlsx);
        Assert.Equal("苏州市测试纺织有限公司", (await EnterpriseAsync(admin, gbk)).GetProperty("name").GetString());
        var steel = await EnterpriseAsync(admin, xlsx);
        Assert.Equal(("wuxi", "江阴市", true), (steel.GetProperty("city").GetString(), steel.GetProperty("county").GetString(), steel.GetProperty("onlineMonitoring").GetBoolean()));
        Assert.Equal("nanjing", (await EnterpriseAsync(admin, inline)).GetProperty("city").GetString());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task One_bad_row_imports_nothing_and_the_answer_lists_every_bad_row_in_the_callers_language(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var client = await host.SignedInAsync("acceptance.suzhou");
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var good = NewCode();
        var valid = NewCode();
        var wrongCheck = valid[..17] + (valid[17] == 'A' ? 'B' : 'A');
        var wrongOrganisationCheck = valid[..16] + (valid[16] == '1' ? '2' : '1');
        wrongOrganisationCheck += UnifiedSocialCreditCode.ComputeCheckCharacter(wrongOrganisationCheck);
        var wuxi = NewCode("320200");
        var file = Csv(Header,
            [good, "苏州好企业有限公司", "苏州市", "", "", "", "是"],          // row 2: fine
            [wrongCheck, "坏企业", "苏州市", "", "", "", "是"],              // row 3: check character
            [good, "重复企业", "苏州市", "", "", "", "否"],                   // row 4: duplicate of row 2
            [wuxi, "无锡企业", "无锡市", "", "", "", "是"],                   // row 5: another city
            [wrongOrganisationCheck, "", "苏州市", "", "", "", "不知道"]);    // row 6: three problems

        var response = await UploadAsync(client, Enterprises, Encoding.UTF8.GetBytes(file), "bad.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{valid[17]}'", Assert.Single(await response.FieldErrorsAsync("rows[3].creditCode")));
        Assert.Contains("row 2", Assert.Single(await response.FieldErrorsAsync("rows[4].creditCode")));
        Assert.Contains("your own city", Assert.Single(await response.FieldErrorsAsync("rows[5].city")));
        Assert.Contains("organisation-code check digit", Assert.Single(await response.FieldErrorsAsync("rows[6].creditCode")));
        Assert.NotEmpty(await response.FieldErrorsAsync("rows[6].name"));
        Assert.NotEmpty(await response.FieldErrorsAsync("rows[6].onlineMonitoring"));
        var body = await response.JsonAsync();
        Assert.Contains("4 row(s)", body.GetProperty("title").GetString());
        var rows = body.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([3, 4, 5, 6], rows.Select(r => r.GetProperty("row").GetInt32()));
        var cell = rows[0].GetProperty("errors")[0];
        Assert.Equal(("creditCode", "统一社会信用代码", wrongCheck), (cell.GetProperty("field").GetString(), cell.GetProperty("column").GetString(), cell.GetProperty("value").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/enterprises/{good}")).StatusCode); // nothing imported

        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        var chinese = await UploadAsync(client, Enterprises, Encoding.UTF8.GetBytes(file), "bad.csv");
        Assert.Contains("校验码错误", Assert.Single(await chinese.FieldErrorsAsync("rows[3].creditCode")));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task City_staff_cannot_take_over_another_citys_enterprise_and_readers_cannot_import(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var wuxiCode = NewCode("320200");
        await ImportedAsync(await UploadAsync(await host.SignedInAsync("admin.province"), Enterprises,
            Encoding.UTF8.GetBytes(Csv(Header, [wuxiCode, "无锡企业有限公司", "无锡市", "", "", "", "是"])), "wuxi.csv"));
        var suzhou = await host.SignedInAsync("acceptance.suzhou");

        var takeOver = await UploadAsync(suzhou, Enterprises,
            Encoding.UTF8.GetBytes(Csv(Header, [wuxiCode, "改名企业", "苏州市", "", "", "", "是"])), "takeover.csv");
        var auditor = await UploadAsync(await host.SignedInAsync("auditor.province"), Enterprises,
            Encoding.UTF8.GetBytes(Csv(Header, [NewCode(), "企业", "苏州市", "", "", "", "是"])), "x.csv");
        var reviewerAudits = await UploadAsync(await host.SignedInAsync("acceptance.suzhou"), AuditResults,
            Encoding.UTF8.GetBytes(Csv(AuditHeader, [wuxiCode, "2025-06-30", "Ⅱ", "x", "y"])), "x.csv");

        Assert.NotEmpty(await takeOver.FieldErrorsAsync("rows[2].creditCode"));
        Assert.Equal("wuxi", (await EnterpriseAsync(await host.SignedInAsync("auditor.province"), wuxiCode)).GetProperty("city").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, auditor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reviewerAudits.StatusCode); // audit results need audit-officer or admin
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Imported_audits_re_evaluate_eligibility_with_cause_import_and_a_reimport_is_unchanged(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        string two = NewCode(), one = NewCode(), three = NewCode(), unknown = NewCode();
        await ImportedAsync(await UploadAsync(await host.SignedInAsync("acceptance.suzhou"), Enterprises, Encoding.UTF8.GetBytes(Csv(Header,
            [two, "二级企业", "苏州市", "", "", "", "是"], [one, "一级企业", "苏州市", "", "", "", "是"], [three, "三级企业", "苏州市", "", "", "", "是"])), "e.csv"));
        var officer = await host.SignedInAsync("audit-officer.suzhou");
        var workbook = XlsxWorkbook.Create(
        [
            ["统一社会信用代码", "验收日期", "等级", "验收部门", "文号"],
            [two, new DateOnly(2025, 6, 30), "Ⅱ", "苏州市生态环境局", $"苏环验〔2025〕{two[^4..]}号"],
            [one, XlsxWorkbook.ChineseDate(new DateOnly(2025, 3, 1)), "一级", "苏州市生态环境局", $"苏环验〔2025〕{one[^4..]}号"],
            [three, new PlainNumber(45838), "III", "苏州市生态环境局", $"苏环验〔2025〕{three[^4..]}号"],
        ]);

        var first = await ImportedAsync(await UploadAsync(officer, AuditResults, workbook, "验收结果.xlsx"));
        var again = await ImportedAsync(await UploadAsync(officer, AuditResults, workbook, "验收结果.xlsx"));
        var unknownEnterprise = await UploadAsync(officer, AuditResults,
            Encoding.UTF8.GetBytes(Csv(AuditHeader, [unknown, "2025-06-30", "Ⅱ", "苏州市生态环境局", "苏环验〔2025〕9999号"])), "a.csv");
        var otherDetails = await UploadAsync(officer, AuditResults,
            Encoding.UTF8.GetBytes(Csv(AuditHeader, [two, "2025-06-30", "Ⅰ", "苏州市生态环境局", $"苏环验〔2025〕{two[^4..]}号"])), "a.csv");

        Assert.Equal((3, 0, 0), first);
        Assert.Equal((0, 0, 3), again);
        Assert.Contains("先导入", Assert.Single(await unknownEnterprise.FieldErrorsAsync("rows[2].creditCode")));
        Assert.NotEmpty(await otherDetails.FieldErrorsAsync("rows[2].documentNumber"));
        foreach (var (code, eligible) in new[] { (two, true), (one, true), (three, false) })
        {
            var history = (await (await officer.GetAsync($"/api/v1/enterprises/{code}/eligibility/history")).JsonAsync()).EnumerateArray().ToList();
            var decision = Assert.Single(history); // once for the import, not again for the unchanged re-import
            Assert.Equal("import", decision.GetProperty("cause").GetString());
            Assert.Equal("audit-officer.suzhou", decision.GetProperty("evaluatedBy").GetString());
            Assert.Equal(eligible, decision.GetProperty("decision").GetProperty("eligible").GetBoolean());
        }
        var audits = (await (await officer.GetAsync($"/api/v1/enterprises/{three}")).JsonAsync()).GetProperty("auditResults");
        Assert.Equal("2025-06-30", Assert.Single(audits.EnumerateArray()).GetProperty("acceptedOn").GetString());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Three_thousand_rows_import_in_one_transaction_and_reimport_unchanged(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var admin = await host.SignedInAsync("admin.province");
        var rows = new List<string[]> { Header };
        for (var i = 0; i < 3000; i++)
            rows.Add([NewCode("320400"), $"常州测试企业{i:D4}有限公司", "常州市", "武进区", "机械", $"测试路{i}号", i % 2 == 0 ? "是" : "否"]);
        var audits = new List<string[]> { AuditHeader };
        audits.AddRange(rows.Skip(1).Take(1500).Select((r, i) => new[] { r[0], "2025-05-20", i % 3 == 0 ? "Ⅲ" : "Ⅱ", "常州市生态环境局", $"常环验〔2025〕{i}号" }));
        var bytes = Encoding.UTF8.GetBytes(Csv([.. rows]));

        var first = await ImportedAsync(await UploadAsync(admin, Enterprises, bytes, "big.csv"));
        var again = await ImportedAsync(await UploadAsync(admin, Enterprises, bytes, "big.csv"));
        var audited = await ImportedAsync(await UploadAsync(admin, AuditResults, Encoding.UTF8.GetBytes(Csv([.. audits])), "audits.csv"));

        Assert.Equal((3000, 0, 0), first);
        Assert.Equal((0, 0, 3000), again);
        Assert.Equal((1500, 0, 0), audited);
        var eligibility = await (await admin.GetAsync($"/api/v1/enterprises/{rows[2][0]}/eligibility")).JsonAsync();
        Assert.True(eligibility.GetProperty("eligible").GetBoolean());
    }

    [Fact]
    public async Task Files_that_are_not_importable_are_refused_naming_file_never_with_a_500()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var client = await host.SignedInAsync("acceptance.suzhou");
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var random = new byte[20_000];
        new Random(42).NextBytes(random);
        var tooMany = new StringBuilder(string.Join(",", Header) + "\n");
        for (var i = 0; i < 50_001; i++)
            tooMany.Append("91320500000000011A,x,苏州,,,,是\n");

        var cases = new (Func<Task<HttpResponseMessage>> Send, HttpStatusCode Status, string Reason)[]
        {
            (() => UploadAsync(client, Enterprises, random, "名单.xlsx"), HttpStatusCode.BadRequest, "not a valid .xlsx"),
            (() => UploadAsync(client, Enterprises, [], "名单.csv"), HttpStatusCode.BadRequest, "empty"),
            (() => UploadAsync(client, Enterprises, Encoding.UTF8.GetBytes("统一社会信用代码,企业名称\nx,y\n"), "名单.csv"), HttpStatusCode.BadRequest, "onlineMonitoring (在线监测)"),
            (() => UploadAsync(client, Enterprises, Encoding.UTF8.GetBytes(string.Join(",", Header)), "名单.csv"), HttpStatusCode.BadRequest, "no data rows"),
            (() => UploadAsync(client, Enterprises, Encoding.UTF8.GetBytes(tooMany.ToString()), "名单.csv"), HttpStatusCode.BadRequest, "more than 50000"),
            (() => UploadAsync(client, Enterprises, random, "名单.xls"), HttpStatusCode.UnsupportedMediaType, ".xlsx"),
            (() => UploadAsync(client, Enterprises, random, "名单.pdf"), HttpStatusCode.UnsupportedMediaType, ".csv"),
            (() => UploadAsync(client, Enterprises, Encoding.UTF8.GetBytes("a,b"), "名单.csv", "image/png"), HttpStatusCode.UnsupportedMediaType, "image/png"),
            (() => UploadAsync(client, Enterprises, new byte[ImportFile.MaxBytes + 1], "名单.csv"), HttpStatusCode.RequestEntityTooLarge, "10 MB"),
            (() => client.PostAsJsonAsync(Enterprises, new { file = "x" }), HttpStatusCode.UnsupportedMediaType, "multipart/form-data"),
            (() => client.PostAsync(Enterprises, new MultipartFormDataContent { { new StringContent("x"), "other" } }), HttpStatusCode.BadRequest, "no file"),
            (() => client.PostAsync(Enterprises, new StringContent("--x\r\n", new MediaTypeHeaderValue("multipart/form-data"))), HttpStatusCode.BadRequest, "multipart"),
        };
        foreach (var (send, status, reason) in cases)
        {
            var response = await send();
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(reason, Assert.Single(await response.FieldErrorsAsync("file")));
        }
    }

    [Fact]
    public async Task The_api_reference_describes_the_upload_as_one_file_field()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var document = await (await host.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();

        foreach (var path in new[] { Enterprises, AuditResults })
        {
            var body = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody");
            var file = body.GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("file");
            Assert.Equal("binary", file.GetProperty("format").GetString());
        }
    }
}
