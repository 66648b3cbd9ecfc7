using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Tests.Workflows;
using CleanProdFlow.Web.Timing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Admin;

/// <summary>
/// The administrators' pages through the real host: who may open them, and their forms posted as a browser posts
/// them — definitions (template, upload, save from the modeler, refusal by element, publish and retire with their
/// confirmation), time-limit rules with a reason and history, loading an official calendar year, accounts.
/// </summary>
public sealed class AdminPagesTests(AdminHostFixture host) : IClassFixture<AdminHostFixture>
{
    private CpfWebFactory Factory => host.Factory;

    private T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    private Task<AdminPageClient> AdminAsync() => AdminPageClient.SignInAsync(Factory, "admin.province");

    private static string Edit(string key, int version) => $"/admin/definitions/{key}/versions/{version}/edit";

    public static TheoryData<string> AdminPages =>
    [
        "/admin", "/admin/definitions", "/admin/definitions/reception-day/versions/1/edit", "/admin/time-limits",
        "/admin/time-limits/eia.decision.report", "/admin/calendars", "/admin/calendars?year=2027", "/admin/users",
    ];

    // ------------------------------------------------------------------ who may open them

    [Theory]
    [MemberData(nameof(AdminPages))]
    public async Task A_reviewer_gets_the_403_page_and_an_administrator_the_page(string path)
    {
        var reviewer = await AdminPageClient.SignInAsync(Factory, "review.suzhou");
        var refused = await reviewer.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var location = refused.Headers.Location!.IsAbsoluteUri ? refused.Headers.Location.PathAndQuery : refused.Headers.Location.OriginalString;
        Assert.StartsWith("/account/access-denied", location);
        var denied = await reviewer.GetAsync(location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("无权访问", denied.Html);

        var admin = await AdminAsync();
        var (status, html) = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("aria-label=\"系统管理\"", html);
    }

    [Fact]
    public async Task A_reviewer_cannot_post_to_an_administration_form()
    {
        var reviewer = await AdminPageClient.SignInAsync(Factory, "review.suzhou");
        var token = await reviewer.TokenAsync("/inbox");
        var retire = await reviewer.Http.PostAsync($"{Edit("reception-day", 1)}?handler=Retire", new FormUrlEncodedContent([
            new("confirmed", "true"), new("__RequestVerificationToken", token),
        ]));

        Assert.Equal(HttpStatusCode.Redirect, retire.StatusCode);
        Assert.Contains("/account/access-denied", retire.Headers.Location!.OriginalString);
        Assert.Equal(DefinitionStatus.Published, (await Service<IWorkflowStore>().FindDefinitionAsync("reception-day", 1))!.Status);
    }

    [Fact]
    public async Task A_city_administrator_sees_the_citys_staff_only()
    {
        var suzhou = await AdminPageClient.SignInAsync(Factory, "admin.suzhou");

        var (status, html) = await suzhou.GetAsync("/admin/users");
        var (other, otherHtml) = await suzhou.GetAsync("/admin/users?organisation=nanjing");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("review.suzhou", html);
        Assert.DoesNotContain("review.province", html);
        Assert.Equal(HttpStatusCode.Forbidden, other);
        Assert.Contains("无权访问", otherHtml);
    }

    // ------------------------------------------------------------------ definitions

    [Fact]
    public async Task A_definition_from_the_template_is_saved_from_the_modeler_as_a_new_draft_with_its_diff_then_published_and_retired()
    {
        var admin = await AdminAsync();
        var created = await admin.PostFormAsync("/admin/definitions", "/admin/definitions?handler=Template", ("key", "page-visit"), ("name", "页面测试：走访"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(Edit("page-visit", 1), created.Headers.Location!.OriginalString);

        // The modeler posts its XML: the task renamed → version 2, a draft, by the administrator, with the change listed.
        var renamed = DefinitionTemplate.Xml("page-visit", "页面测试：走访").Replace("name=\"办理\"", "name=\"走访登记\"");
        var saved = await admin.PostFormAsync(Edit("page-visit", 1), $"{Edit("page-visit", 1)}?handler=Save", ("xml", renamed));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(Edit("page-visit", 2), saved.Headers.Location!.OriginalString);
        var stored = await Service<IWorkflowStore>().FindDefinitionAsync("page-visit", 2);
        Assert.Equal(DefinitionStatus.Draft, stored!.Status);
        Assert.Equal("admin.province", stored.CreatedBy);
        var (_, page) = await admin.GetAsync(Edit("page-visit", 2));
        Assert.Contains("已另存为新草稿：版本 2", page);
        Assert.Contains("与版本 1 相比的变化", page);
        Assert.Contains("<del>办理</del> → <ins>走访登记</ins>", page);

        // Publish: first the confirmation, then the change; publishing again is refused with the reason.
        var ask = await admin.PostFormAsync(Edit("page-visit", 2), $"{Edit("page-visit", 2)}?handler=Publish");
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("确认发布版本 2？", await ask.Content.ReadAsStringAsync());
        Assert.Equal(DefinitionStatus.Draft, (await Service<IWorkflowStore>().FindDefinitionAsync("page-visit", 2))!.Status);
        var published = await admin.PostFormAsync(Edit("page-visit", 2), $"{Edit("page-visit", 2)}?handler=Publish", ("confirmed", "true"));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(DefinitionStatus.Published, (await Service<IWorkflowStore>().FindDefinitionAsync("page-visit", 2))!.Status);
        var again = await admin.PostFormAsync(Edit("page-visit", 2), $"{Edit("page-visit", 2)}?handler=Publish", ("confirmed", "true"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("只有草稿可以发布", await again.Content.ReadAsStringAsync());

        // A case on it shows in the counts (running / all) on the list and in the catalog.
        using (var staff = await Factory.SignedInAsync("acceptance.suzhou"))
            await staff.StartAsync("page-visit", "PV-001");
        Assert.Equal(new InstanceCounts(1, 1), (await Service<DefinitionCatalog>().InstanceCountsAsync())[("page-visit", 2)]);
        var (_, list) = await admin.GetAsync("/admin/definitions");
        Assert.Contains("办理中 1 件 / 共 1 件", list);

        // Retire, confirmed: running cases go on, the version starts no new one.
        var retireAsk = await admin.PostFormAsync(Edit("page-visit", 2), $"{Edit("page-visit", 2)}?handler=Retire");
        Assert.Contains("办理中的 1 件案件继续按此版本办理", await retireAsk.Content.ReadAsStringAsync());
        var retired = await admin.PostFormAsync(Edit("page-visit", 2), $"{Edit("page-visit", 2)}?handler=Retire", ("confirmed", "true"));
        Assert.Equal(HttpStatusCode.Redirect, retired.StatusCode);
        Assert.Equal(DefinitionStatus.Retired, (await Service<IWorkflowStore>().FindDefinitionAsync("page-visit", 2))!.Status);
    }

    [Fact]
    public async Task A_refused_save_shows_every_problem_by_element_keeps_the_edit_and_stores_nothing()
    {
        var admin = await AdminAsync();
        await admin.PostFormAsync("/admin/definitions", "/admin/definitions?handler=Template", ("key", "page-broken"), ("name", "页面测试：出错"));
        var broken = DefinitionTemplate.Xml("page-broken", "页面测试：出错")
            .Replace(" cpf:candidateGroups=\"acceptance\"", "")
            .Replace("<bpmn:incoming>flow-end</bpmn:incoming>\n", "<bpmn:incoming>flow-end</bpmn:incoming>\n<bpmn:outgoing>flow-on</bpmn:outgoing>\n")
            .Replace("</bpmn:process>", "<bpmn:sequenceFlow id=\"flow-on\" sourceRef=\"end\" targetRef=\"handle\"/></bpmn:process>");

        var response = await admin.PostFormAsync(Edit("page-broken", 1), $"{Edit("page-broken", 1)}?handler=Save", ("xml", broken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("服务器未保存", html);
        Assert.Contains("data-element-id=\"handle\"", html);
        Assert.Contains("data-element-id=\"end\"", html);
        Assert.Contains("cpf:candidateGroups", html);
        Assert.Contains("id=\"submitted-xml\"", html); // the modeler reopens the refused edit, not the stored version
        Assert.Contains("&quot;elementId&quot;:&quot;handle&quot;", html);
        Assert.Single(await Service<IWorkflowStore>().VersionsAsync("page-broken"));
    }

    [Fact]
    public async Task Saving_under_another_process_id_or_nothing_at_all_is_refused()
    {
        var admin = await AdminAsync();
        await admin.PostFormAsync("/admin/definitions", "/admin/definitions?handler=Template", ("key", "page-keep"), ("name", "页面测试：标识"));

        var renamed = await admin.PostFormAsync(Edit("page-keep", 1), $"{Edit("page-keep", 1)}?handler=Save",
            ("xml", DefinitionTemplate.Xml("page-other", "另一个")));
        var empty = await admin.PostFormAsync(Edit("page-keep", 1), $"{Edit("page-keep", 1)}?handler=Save", ("xml", ""));

        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.Contains("流程标识须保持为“page-keep”", await renamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Empty(await Service<IWorkflowStore>().VersionsAsync("page-other"));
        Assert.Single(await Service<IWorkflowStore>().VersionsAsync("page-keep"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Edit("page-keep", 9))).Status);
    }

    [Fact]
    public async Task The_template_form_shows_its_errors_next_to_the_fields()
    {
        var admin = await AdminAsync();

        var bad = await admin.PostFormAsync("/admin/definitions", "/admin/definitions?handler=Template", ("key", "9 bad"), ("name", ""));
        var html = await bad.Content.ReadAsStringAsync();
        var taken = await admin.PostFormAsync("/admin/definitions", "/admin/definitions?handler=Template", ("key", "reception-day"), ("name", "重复"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"template-key-error\"", html);
        Assert.Contains("流程标识须为 2–64 个字符", html);
        Assert.Contains("id=\"template-name-error\"", html);
        Assert.Contains("value=\"9 bad\"", html);
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Contains("已有流程定义“reception-day”", await taken.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_uploaded_file_becomes_a_draft_and_a_broken_one_lists_its_problems()
    {
        var admin = await AdminAsync();
        var key = TestDefinitions.NewKey("page-upload");

        var good = await admin.PostFileAsync("/admin/definitions", "/admin/definitions?handler=Upload", "file", "good.bpmn",
            TestDefinitions.SingleTask(key), "application/octet-stream");
        var bad = await admin.PostFileAsync("/admin/definitions", "/admin/definitions?handler=Upload", "file", "bad.bpmn",
            TestDefinitions.Broken(key), "application/xml");
        var none = await admin.PostFormAsync("/admin/definitions", "/admin/definitions?handler=Upload");

        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(Edit(key, 1), good.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("个问题，未保存", html);
        Assert.Contains("class=\"problems\"", html);
        Assert.Single(await Service<IWorkflowStore>().VersionsAsync(key));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("请选择一个 BPMN 文件", await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_shipped_workflow_as_stored_saves_as_a_valid_draft_with_no_change()
    {
        var admin = await AdminAsync();
        var store = Service<IWorkflowStore>();
        var latest = (await store.VersionsAsync("reception-day"))[^1];

        var saved = await admin.PostFormAsync(Edit("reception-day", latest.Version), $"{Edit("reception-day", latest.Version)}?handler=Save", ("xml", latest.Xml));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (_, html) = await admin.GetAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("流程内容没有变化", html);
    }

    // ------------------------------------------------------------------ time-limit rules

    [Fact]
    public async Task A_rule_change_needs_a_reason_then_is_a_new_version_in_force_at_once_with_its_history()
    {
        var admin = await AdminAsync();
        var statutory = Service<StatutoryTime>();
        const string path = "/admin/time-limits/audit.start";
        var rule = statutory.Rules["audit.start"];
        (string, string)[] Fields(string limit, string reason, int expected) =>
        [
            ("Form.NameZh", rule.NameZh), ("Form.NameEn", rule.NameEn), ("Form.Limit", limit), ("Form.Unit", rule.Unit.JsonName()),
            ("Form.Rounding", "down"), ("Form.LegalBasis", rule.LegalBasis), ("Form.Verified", "true"), ("Form.Reason", reason),
            ("Form.ExpectedVersion", expected.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];

        var noReason = await admin.PostFormAsync(path, path, Fields("3", "", 1));
        var notANumber = await admin.PostFormAsync(path, path, Fields("三", "核实", 1));
        var zero = await admin.PostFormAsync(path, path, Fields("0", "核实", 1));

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var noReasonHtml = await noReason.Content.ReadAsStringAsync();
        Assert.Contains("id=\"rule-reason-error\"", noReasonHtml);
        Assert.Contains("须填写修改理由", noReasonHtml);
        Assert.Contains("value=\"3\"", noReasonHtml); // the typed value is kept
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Contains("id=\"rule-limit-error\"", await notANumber.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("id=\"rule-limit-error\"", await zero.Content.ReadAsStringAsync());
        Assert.Equal(rule.Limit, statutory.Rules["audit.start"].Limit);

        var saved = await admin.PostFormAsync(path, path, Fields("3", "省厅通知核实为 3 个月", 1));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(3, statutory.Rules["audit.start"].Limit);
        Assert.True(statutory.Rules["audit.start"].Verified);
        using (var api = await Factory.SignedInAsync("review.province"))
        {
            var rules = await api.GetFromJsonAsync<JsonElement>("/api/v1/time-limits");
            Assert.Equal(3, rules.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "audit.start").GetProperty("limit").GetInt32());
        }
        var history = await Service<CleanProdFlow.Data.Timing.TimeLimitRuleStore>().HistoryAsync("audit.start");
        Assert.Equal(2, history.Count);
        Assert.Equal(("admin.province", "省厅通知核实为 3 个月"), (history[1].RecordedBy, history[1].Reason));
        var (_, html) = await admin.GetAsync(path);
        Assert.Contains("已保存为版本 2", html);
        Assert.Contains("省厅通知核实为 3 个月", html);
        Assert.Contains("changed-cell", html);

        // A form opened before that change cannot overwrite it.
        var stale = await admin.PostFormAsync(path, path, Fields("4", "另一处修改", 1));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("该规则已被他人修改", await stale.Content.ReadAsStringAsync());
        Assert.Equal(3, statutory.Rules["audit.start"].Limit);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/time-limits/no.such.rule")).Status);
    }

    // ------------------------------------------------------------------ calendars

    private const string Official2027 = """
        {"year": 2027,
         "source": {"title": "国务院办公厅关于2027年部分节假日安排的通知（页面测试）", "documentNumber": "国办发明电〔2026〕98号", "date": "2026-11-01"},
         "daysOff": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
                     "2027-02-12", "2027-04-05", "2027-05-01", "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-02", "2027-10-03"],
         "makeUpWorkdays": ["2027-01-23", "2027-02-20"]}
        """;

    private const string ClockDefinition = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="defs" targetNamespace="https://cleanprodflow.example/tests">
          <bpmn:process id="page-clock" name="页面测试：报告书审批" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:serviceTask id="start-clock" cpf:handler="clock.start">
              <bpmn:extensionElements><cpf:input name="clock" value="decision"/><cpf:input name="rule" value="eia.decision.report"/></bpmn:extensionElements>
            </bpmn:serviceTask>
            <bpmn:userTask id="decide" name="审批决定" cpf:candidateGroups="approver" cpf:clock="decision"/>
            <bpmn:endEvent id="end"/>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="start-clock"/>
            <bpmn:sequenceFlow id="f2" sourceRef="start-clock" targetRef="decide"/>
            <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task Loading_an_official_year_from_a_file_moves_the_deadlines_shows_them_and_the_bound_task_follows()
    {
        using (var api = await Factory.SignedInAsync("admin.province"))
            await api.DeployAsync(ClockDefinition);
        using var staff = await Factory.SignedInAsync("acceptance.suzhou");
        var caseId = await staff.StartAsync("page-clock", "SZ-PAGE-CAL-1", new { fastTrack = false });
        var clockBefore = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/instances/{caseId}/clocks")).EnumerateArray().Single();
        // 60 working days from Monday 2026-11-02 on the provisional 2027: Tuesday 2027-01-26.
        Assert.Equal("2027-01-26", clockBefore.GetProperty("dueDate").GetString());

        var admin = await AdminAsync();
        var wrongYear = await admin.PostFileAsync("/admin/calendars?year=2028", "/admin/calendars?handler=Load", "file", "2027.json", Official2027,
            "application/json", ("year", "2028"));
        var notJson = await admin.PostFileAsync("/admin/calendars", "/admin/calendars?handler=Load", "file", "x.json", "{\"year\": ", "application/json",
            ("year", "2027"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongYear.StatusCode);
        Assert.Contains("id=\"load-file-error\"", await wrongYear.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var badYear = await admin.PostFileAsync("/admin/calendars", "/admin/calendars?handler=Load", "file", "2027.json", Official2027,
            "application/json", ("year", "二〇二七"));
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Contains("id=\"load-year-error\"", await badYear.Content.ReadAsStringAsync());
        Assert.True(Service<StatutoryTime>().Calendar.IsProvisional(2027));

        var loaded = await admin.PostFileAsync("/admin/calendars?year=2027", "/admin/calendars?handler=Load", "file", "2027.json", Official2027,
            "application/json", ("year", "2027"));

        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        var html = await loaded.Content.ReadAsStringAsync();
        Assert.Contains("已载入 2027 年正式年历（第 1 版）", html);
        Assert.Contains("SZ-PAGE-CAL-1", html);
        Assert.Contains($"href=\"/cases/{caseId}\"", html);
        Assert.Contains("<td>2027-01-26</td>", html);
        Assert.Contains("<td>2027-01-25</td>", html); // Saturday 2027-01-23 worked
        Assert.False(Service<StatutoryTime>().Calendar.IsProvisional(2027));
        var clockAfter = (await staff.GetFromJsonAsync<JsonElement>($"/api/v1/instances/{caseId}/clocks")).EnumerateArray().Single();
        Assert.Equal("2027-01-25", clockAfter.GetProperty("dueDate").GetString());
        // The task bound to the clock follows it (the same path as the API's load: WorkflowRuntime.ClockMovedAsync).
        using var approver = await Factory.SignedInAsync("approver.suzhou");
        var task = Assert.Single(await approver.TasksAsync($"instanceId={caseId}"));
        Assert.Equal(clockAfter.GetProperty("dueAt").GetDateTimeOffset(), task.GetProperty("dueAt").GetDateTimeOffset());
        var (_, view) = await admin.GetAsync("/admin/calendars?year=2027");
        Assert.Contains("由 admin.province 于", view);
    }

    // ------------------------------------------------------------------ users

    [Fact]
    public async Task Creating_a_user_shows_the_policys_errors_next_to_the_fields_then_creates_and_lists_it()
    {
        var admin = await AdminAsync();
        (string, string)[] Fields(string username, string password, params string[] roles) =>
        [
            ("Form.Username", username), ("Form.DisplayName", "无锡受理员"), ("Form.Organisation", "wuxi"), ("Form.Password", password),
            .. roles.Select(r => ("Form.Roles", r)),
        ];

        var weak = await admin.PostFormAsync("/admin/users", "/admin/users?handler=Create", Fields("page-acceptance.wuxi", "password"));
        var weakHtml = await weak.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("id=\"user-password-error\"", weakHtml);
        Assert.Contains("id=\"user-roles-error\"", weakHtml);
        Assert.Contains("value=\"page-acceptance.wuxi\"", weakHtml);
        Assert.DoesNotContain("value=\"password\"", weakHtml); // a password is never sent back
        Assert.Null(await Service<UserStore>().FindByUsernameAsync("page-acceptance.wuxi"));

        var created = await admin.PostFormAsync("/admin/users", "/admin/users?handler=Create", Fields("page-acceptance.wuxi", "Wuxi#2026ok", "acceptance", "publicity"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var user = await Service<UserStore>().FindByUsernameAsync("page-acceptance.wuxi");
        Assert.Equal(("wuxi", "admin.province"), (user!.OrganisationCode, user.CreatedBy));
        Assert.Equal(["acceptance", "publicity"], user.Roles);
        var (_, list) = await admin.GetAsync(created.Headers.Location!.OriginalString);
        Assert.Contains("已创建用户 page-acceptance.wuxi", list);
        Assert.Contains("无锡受理员", list);

        var duplicate = await admin.PostFormAsync("/admin/users", "/admin/users?handler=Create", Fields("page-acceptance.wuxi", "Wuxi#2026ok", "acceptance"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("已有名为 page-acceptance.wuxi 的用户", await duplicate.Content.ReadAsStringAsync());

        // The new account signs in (the same store and hash as the API's accounts).
        Assert.NotEmpty(await Factory.CreateClient().TokenAsync("page-acceptance.wuxi", "Wuxi#2026ok"));
    }

    [Fact]
    public async Task A_city_administrator_cannot_create_another_citys_user_and_the_list_pages_by_username()
    {
        var suzhou = await AdminPageClient.SignInAsync(Factory, "admin.suzhou");
        var refused = await suzhou.PostFormAsync("/admin/users", "/admin/users?handler=Create",
            ("Form.Username", "review.nanjing2"), ("Form.DisplayName", "南京"), ("Form.Organisation", "nanjing"), ("Form.Roles", "review"),
            ("Form.Password", "Nanjing#2026ok"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"user-organisation-error\"", html);
        Assert.Contains("只能为本单位创建用户", html);

        var admin = await AdminAsync();
        var (_, page) = await admin.GetAsync("/admin/users?after=review.province");
        Assert.Contains("review.suzhou", page);
        Assert.DoesNotContain(">acceptance.province<", page);
        Assert.DoesNotContain(">review.province<", page);
    }
}
