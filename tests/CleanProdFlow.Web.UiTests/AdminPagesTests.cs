using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The administrators' pages in Chromium: every page as admin.province (screenshots), the bpmn-js modeler opening a
/// definition, a renamed task saved as a new draft and published, a broken edit refused with its problems on the
/// diagram, and the shipped workflows surviving a round trip through the modeler (cpf: attributes kept).
/// Works on its own definition key, so the staff tests' definition is never changed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AdminPagesTests(BrowserFixture browser)
{
    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"admin-{name}.png"), FullPage = true });

    private async Task<IPage> SignedInAsync(string username)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码").FillAsync(WebApp.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }

    private static async Task ModelerReadyAsync(IPage page) =>
        await Expect(page.Locator("#modeler")).ToHaveAttributeAsync("data-ready", "true");

    [GeneratedRegex(@"/admin/definitions/([^/]+)/versions/(\d+)/edit(\?.*)?$")]
    private static partial Regex EditUrl();

    private static int VersionOf(IPage page) => int.Parse(EditUrl().Match(page.Url).Groups[2].Value);

    [SkippableFact]
    public async Task An_administrator_renames_a_task_in_the_modeler_saves_a_new_draft_publishes_it_and_sees_a_broken_edit_refused_on_the_diagram()
    {
        browser.RequireBrowser();
        var page = await SignedInAsync("admin.province");

        // A new definition from the template opens in the modeler as version 1, a draft.
        await page.GotoAsync("/admin/definitions");
        await page.GetByLabel("流程标识").FillAsync("ui-admin-visit");
        await page.GetByLabel("流程名称").FillAsync("界面测试：企业走访");
        await page.GetByRole(AriaRole.Button, new() { Name = "新建并打开设计器" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/definitions/ui-admin-visit/versions/1/edit$"));
        await Expect(page.Locator(".flash")).ToContainTextAsync("已保存为草稿");
        await ModelerReadyAsync(page);
        await Expect(page.Locator("#modeler .djs-element[data-element-id='handle']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#modeler .bjs-powered-by")).ToHaveCountAsync(1); // the bpmn.io watermark stays
        await ShotAsync(page, "04-modeler-template");

        // Rename the task as the label editor would (the modeling API, one undoable command), then save: version 2.
        await page.EvaluateAsync("""
            () => {
              const modeler = window.cpfModeler;
              const task = modeler.get('elementRegistry').get('handle');
              modeler.get('modeling').updateLabel(task, '走访登记');
            }
            """);
        await Expect(page.Locator("#modeler-state")).ToHaveTextAsync("有未保存的修改");
        await page.GetByRole(AriaRole.Button, new() { Name = "另存为新草稿" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/definitions/ui-admin-visit/versions/2/edit$"));
        await Expect(page.Locator(".flash")).ToContainTextAsync("已另存为新草稿：版本 2");
        await Expect(page.Locator("#version-status")).ToHaveTextAsync("草稿");
        var diff = page.Locator("#diff");
        await Expect(diff).ToContainTextAsync("修改的元素（1）");
        await Expect(diff).ToContainTextAsync("办理 → 走访登记");
        await ModelerReadyAsync(page);
        await Expect(page.Locator("#modeler .djs-element[data-element-id='handle']")).ToContainTextAsync("走访登记");
        await ShotAsync(page, "05-modeler-saved-draft");

        // Publish, with the confirmation step in between.
        await page.GetByRole(AriaRole.Button, new() { Name = "发布此版本" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToContainTextAsync("确认发布版本 2？");
        await ShotAsync(page, "06-modeler-confirm-publish");
        await page.GetByRole(AriaRole.Button, new() { Name = "确认发布" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("已发布版本 2");
        await Expect(page.Locator("#version-status")).ToHaveTextAsync("已发布");

        // A broken edit: the task loses its candidate groups (through the properties panel, by keyboard) and the end
        // event is connected onward. The server refuses it; each problem is marked on its element and listed.
        await ModelerReadyAsync(page);
        await page.EvaluateAsync("""
            () => {
              const modeler = window.cpfModeler;
              const registry = modeler.get('elementRegistry');
              modeler.get('selection').select(registry.get('handle'));
            }
            """);
        var groups = page.GetByLabel("候选岗位（cpf:candidateGroups，逗号分隔，必填）");
        await Expect(groups).ToHaveValueAsync("acceptance");
        await groups.FillAsync("");
        await groups.PressAsync("Enter");
        await page.EvaluateAsync("""
            () => {
              const modeler = window.cpfModeler;
              const registry = modeler.get('elementRegistry');
              modeler.get('modeling').connect(registry.get('end'), registry.get('handle'), { type: 'bpmn:SequenceFlow' });
            }
            """);
        await page.GetByRole(AriaRole.Button, new() { Name = "另存为新草稿" }).ClickAsync();
        await Expect(page.Locator("#refusal")).ToContainTextAsync("服务器未保存");
        var problems = page.Locator("#problem-list");
        await Expect(problems.Locator("li[data-element-id='handle']")).ToContainTextAsync("candidateGroups");
        await Expect(problems.Locator("li[data-element-id='end']")).ToBeVisibleAsync();
        await ModelerReadyAsync(page);
        await Expect(page.Locator("#modeler .djs-element.cpf-invalid[data-element-id='handle']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#modeler .djs-element.cpf-invalid[data-element-id='end']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#modeler .cpf-problem-badge[data-element-id='handle']")).ToBeVisibleAsync();
        // The refused edit is still in the modeler, unsaved; nothing new was stored.
        await Expect(page.Locator("#modeler-state")).ToHaveTextAsync("有未保存的修改");
        await page.Locator("#problem-list .problem-target[data-element-id='handle']").ClickAsync();
        await Expect(page.Locator("#properties")).ToContainTextAsync("candidateGroups");
        await ShotAsync(page, "07-modeler-refused");
        Assert.Equal(2, VersionOf(page));

        await page.GotoAsync("/admin/definitions");
        var group = page.Locator("section.definition", new() { HasText = "ui-admin-visit" });
        await Expect(group.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(group.Locator("tbody tr").First).ToContainTextAsync("已发布");
        await page.Context.CloseAsync();
    }

    [SkippableTheory]
    [InlineData("reception-day")]
    [InlineData("eia-standard")]
    [InlineData("eia-fast-track")]
    [InlineData("green-finance-batch")]
    [InlineData("typical-cases")]
    [InlineData("audit-cycle")]
    [InlineData("audit-reaudit")]
    public async Task A_shipped_workflow_saved_unchanged_from_the_modeler_is_a_valid_draft_with_the_same_process(string key)
    {
        browser.RequireBrowser();
        var page = await SignedInAsync("admin.province");
        await page.GotoAsync("/admin/definitions");
        await page.Locator($"section.definition:has(code.key:text-is('{key}')) tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await ModelerReadyAsync(page);
        var before = VersionOf(page);

        // Saved without a change: bpmn-js writes its own XML, with every cpf: attribute and extension element kept,
        // so the server's validation (handlers, rules, forms) accepts it and the diff finds nothing but layout.
        await page.GetByRole(AriaRole.Button, new() { Name = "另存为新草稿" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("已另存为新草稿");
        Assert.True(VersionOf(page) > before, $"{key}: no new version after saving (still {page.Url})");
        await Expect(page.Locator("#version-status")).ToHaveTextAsync("草稿");
        await Expect(page.Locator("main")).ToContainTextAsync("流程内容没有变化");
        if (key == "reception-day")
            await ShotAsync(page, "08-modeler-round-trip");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Every_administration_page_opens_for_the_administrator_and_none_for_a_reviewer()
    {
        browser.RequireBrowser();
        var page = await SignedInAsync("admin.province");
        foreach (var (path, heading, shot) in new[]
                 {
                     ("/admin", "系统管理", "01-overview"),
                     ("/admin/definitions", "流程定义", "02-definitions"),
                     ("/admin/time-limits", "时限规则", "10-time-limits"),
                     ("/admin/calendars?year=2026", "工作日历 2026 年", "12-calendar-2026"),
                     ("/admin/calendars?year=2028", "工作日历 2028 年", "13-calendar-2028-provisional"),
                     ("/admin/users", "用户", "14-users"),
                 })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            await ShotAsync(page, shot);
        }

        // A rule: its form and history; a change without a reason is refused next to the field.
        await page.GotoAsync("/admin/time-limits");
        await page.Locator("#rule-eia\\.acceptance\\.correction-notice").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("#rule-limit")).ToHaveValueAsync("5");
        await page.Locator("#rule-limit").FillAsync("6");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存为新版本" }).ClickAsync();
        await Expect(page.Locator("#rule-reason-error")).ToHaveTextAsync(new Regex("须填写修改理由"));
        await ShotAsync(page, "11-time-limit-refused");

        // Keyboard reach: the skip link, then tab through the admin navigation to the definitions page.
        await page.GotoAsync("/admin");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        var definitions = page.GetByRole(AriaRole.Navigation, new() { Name = "系统管理" }).GetByRole(AriaRole.Link, new() { Name = "流程定义" });
        await definitions.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/definitions$"));

        // Creating a user with a weak password: the policy's reason beside the password field, the rest kept.
        await page.GotoAsync("/admin/users");
        await page.GetByLabel("用户名").FillAsync("ui-review.wuxi");
        await page.GetByLabel("姓名").FillAsync("无锡审查员");
        await page.Locator("#user-organisation").SelectOptionAsync("wuxi");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "审查" }).CheckAsync();
        await page.GetByLabel("初始密码").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();
        await Expect(page.Locator("#user-password-error")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("用户名")).ToHaveValueAsync("ui-review.wuxi");
        await ShotAsync(page, "15-users-refused");
        await page.GetByLabel("初始密码").FillAsync("Wuxi#2026review");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建用户" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("已创建用户 ui-review.wuxi");
        await Expect(page.Locator("#users tr.highlight")).ToContainTextAsync("无锡审查员");
        await page.Context.CloseAsync();

        // A reviewer reaches none of them: the 403 page each time.
        var reviewer = await SignedInAsync("review.suzhou");
        foreach (var path in new[] { "/admin/definitions", "/admin/definitions/reception-day/versions/1/edit", "/admin/time-limits", "/admin/calendars", "/admin/users" })
        {
            var response = await reviewer.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "无权访问", Level = 1 })).ToBeVisibleAsync();
        }
        await ShotAsync(reviewer, "16-reviewer-403");
        await reviewer.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Loading_an_official_year_from_a_file_shows_which_deadlines_moved_and_bad_files_are_refused_beside_the_field()
    {
        browser.RequireBrowser();
        var (caseId, dueBefore) = await AdminScenario.StartClockCaseAsync(browser.App, "SZ-UI-CAL-001");
        Assert.Equal("2027-01-26", dueBefore); // 60 working days from Monday 2026-11-02 on the provisional 2027
        var page = await SignedInAsync("admin.province");
        await page.GotoAsync("/admin/calendars?year=2027");
        await Expect(page.Locator("#year-status")).ToContainTextAsync("暂定年历");

        // A document of another year is refused next to the file field; nothing is loaded.
        await page.Locator("#load-file").SetInputFilesAsync(new FilePayload
        {
            Name = "2028.json", MimeType = "application/json",
            Buffer = System.Text.Encoding.UTF8.GetBytes(AdminScenario.Official2027.Replace("\"year\": 2027", "\"year\": 2028")),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "载入并重新计算期限" }).ClickAsync();
        await Expect(page.Locator("#load-file-error")).ToContainTextAsync("2028");
        await Expect(page.Locator("#load-file")).ToHaveAttributeAsync("aria-invalid", "true");
        await ShotAsync(page, "17-calendar-refused");

        await page.Locator("#load-file").SetInputFilesAsync(new FilePayload
        {
            Name = "2027.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(AdminScenario.Official2027),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "载入并重新计算期限" }).ClickAsync();
        await Expect(page.Locator("#load-result")).ToContainTextAsync("已载入 2027 年正式年历");
        await Expect(page.Locator("#year-status")).ToContainTextAsync("正式年历");
        var row = page.Locator("#moved-deadlines tr", new() { HasText = "SZ-UI-CAL-001" });
        await Expect(row).ToContainTextAsync("2027-01-26");
        await Expect(row).ToContainTextAsync("2027-01-25");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/cases/{caseId}");
        // The make-up working day is in the grid.
        await Expect(page.Locator(".day-makeup[title^='2027-01-23']")).ToHaveCountAsync(1);
        await ShotAsync(page, "18-calendar-loaded");

        // That definition was uploaded without a diagram: the modeler says so and offers no save.
        await page.GotoAsync($"/admin/definitions/{AdminScenario.ClockKey}/versions/1/edit");
        await Expect(page.Locator("#modeler")).ToHaveAttributeAsync("data-ready", "failed");
        await Expect(page.Locator("#modeler .modeler-message")).ToContainTextAsync("该版本没有图形布局");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "另存为新草稿" })).ToBeDisabledAsync();
        await ShotAsync(page, "09-modeler-no-layout");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task In_english_the_administration_pages_and_their_validation_messages_are_english()
    {
        browser.RequireBrowser();
        var page = await SignedInAsync("admin.province");
        await page.GotoAsync("/admin/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the user" }).ClickAsync();
        await Expect(page.Locator("#user-username-error")).ToContainTextAsync("username is required");
        await Expect(page.Locator("#user-roles-error")).ToContainTextAsync("at least one role is required");
        await Expect(page.GetByLabel("Username")).ToHaveAttributeAsync("aria-describedby", "user-username-error user-username-hint");
        await ShotAsync(page, "19-users-refused-en");

        await page.GotoAsync("/admin/definitions/reception-day/versions/1/edit");
        await ModelerReadyAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save as a new draft" })).ToBeEnabledAsync();
        await ShotAsync(page, "20-modeler-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "简体中文" }).ClickAsync();
        await page.Context.CloseAsync();
    }
}
