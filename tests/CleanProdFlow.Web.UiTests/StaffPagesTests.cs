using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// The staff pages as a person uses them in Chromium: sign in, the inbox in Chinese, claim and complete a task with
/// its generated form, the language switch, the case page (diagram, clocks, journal), and the 403/404 pages.
/// The virtual clock stands at Monday 2026-11-02 09:00 (Beijing time) when the host starts and is not moved here.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StaffPagesTests(BrowserFixture browser)
{
    private WebApp App => browser.App;

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    private async Task<IPage> SignedInAsync(string username, string? screenshots = null)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/login");
        if (screenshots is not null)
            await ShotAsync(page, $"{screenshots}-sign-in");
        await page.GetByLabel("用户名").FillAsync(username);
        await page.GetByLabel("密码").FillAsync(WebApp.Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        if (screenshots is not null)
            await ShotAsync(page, $"{screenshots}-home");
        return page;
    }

    private async Task<Guid> NewSuzhouCaseAsync(string caseNumber)
    {
        await Scenario.DeployAsync(App);
        using var acceptance = await App.ApiAsync("acceptance.suzhou");
        return await Scenario.StartCaseAsync(acceptance, caseNumber, "苏州绿色化工有限公司", "91320500MA1W9L3X2B");
    }

    [SkippableFact]
    public async Task An_acceptance_officer_claims_and_completes_a_task_in_the_chinese_inbox_and_the_parallel_tasks_go_to_their_groups()
    {
        browser.RequireBrowser();
        var caseId = await NewSuzhouCaseAsync("SZ-UI-001");
        var page = await SignedInAsync("acceptance.suzhou", screenshots: "00");

        // The header names the user and the organisation; the inbox opens on "assigned to me", which is empty.
        await Expect(page.Locator("#current-user")).ToContainTextAsync("acceptance.suzhou");
        await Expect(page.Locator("#current-user")).ToContainTextAsync("苏州市生态环境局");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "我的待办" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "我的待办", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "分配给我" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("tr", new() { HasText = "SZ-UI-001" })).ToHaveCountAsync(0);

        // My groups: the acceptance task, due in five working days (Monday → next Monday), green.
        await page.GetByRole(AriaRole.Link, new() { Name = "我的岗位" }).ClickAsync();
        var row = page.Locator("tr", new() { HasText = "SZ-UI-001" });
        await Expect(row).ToContainTextAsync("受理审查");
        await Expect(row).ToContainTextAsync("2026-11-09");
        await Expect(row.Locator(".badge-green")).ToHaveTextAsync("剩余 5 个工作日");
        await Expect(row).ToContainTextAsync("待认领");
        await ShotAsync(page, "01-inbox-groups-zh");

        // Claim in place (htmx): the row changes, the page is not reloaded.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await row.GetByRole(AriaRole.Button, new() { Name = "认领：受理审查" }).ClickAsync();
        await Expect(row).ToContainTextAsync("办理人：acceptance.suzhou");
        await Expect(row).ToContainTextAsync("已认领任务");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "claiming reloaded the page");
        await ShotAsync(page, "02-inbox-claimed");

        // The form generated from the task's fields; a missing required field and a wrong number are refused by the
        // engine and shown next to their fields, the other values kept.
        await row.GetByRole(AriaRole.Link, new() { Name = "办理" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "受理审查", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(page, "03-task-form");
        await page.GetByLabel("文件类型").SelectOptionAsync("form");
        await page.GetByLabel("材料页数").FillAsync("一百");
        await page.GetByRole(AriaRole.Radio, new() { Name = "是" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "受理", Exact = true }).ClickAsync();
        await Expect(page.Locator("#field-opinion-error")).ToHaveTextAsync(new Regex("“受理意见”为必填项"));
        await Expect(page.GetByLabel("受理意见")).ToHaveAttributeAsync("aria-describedby", "field-opinion-error");
        await Expect(page.GetByLabel("受理意见")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#field-pages-error")).ToHaveTextAsync(new Regex("“材料页数”须为数字"));
        await Expect(page.GetByLabel("文件类型")).ToHaveValueAsync("form");
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("办理信息有误，任务未完成");
        await ShotAsync(page, "04-task-form-refused");

        await page.GetByLabel("受理意见").FillAsync("材料齐全，予以受理。");
        await page.GetByLabel("材料页数").FillAsync("120");
        await page.GetByLabel("收件日期").FillAsync("2026-11-02");
        await page.GetByRole(AriaRole.Button, new() { Name = "受理", Exact = true }).ClickAsync();

        // Back in the inbox, told what happened and where the case went: three parallel tasks for three groups.
        await Expect(page).ToHaveURLAsync(new Regex("/inbox$"));
        var flash = page.Locator(".flash");
        await Expect(flash).ToContainTextAsync("已办结：受理审查。");
        await Expect(flash).ToContainTextAsync("受理公示（公示）");
        await Expect(flash).ToContainTextAsync("技术评估（技术评估）");
        await Expect(flash).ToContainTextAsync("审查（审查）");
        await ShotAsync(page, "05-inbox-after-completion");

        using (var review = await App.ApiAsync("review.suzhou"))
            Assert.Equal(["review"], (await Scenario.OpenTasksAsync(review, caseId)).Single().Value);
        using (var publicity = await App.ApiAsync("publicity.suzhou"))
            Assert.Equal("publicity", (await Scenario.OpenTasksAsync(publicity, caseId)).Single().Key);
        using (var assessment = await App.ApiAsync("assessment.suzhou"))
            Assert.Equal("assessment", (await Scenario.OpenTasksAsync(assessment, caseId)).Single().Key);

        // The reviewer finds the review task in their groups, on the decision clock (15 working days on the fast track).
        var reviewer = await SignedInAsync("review.suzhou");
        await reviewer.GotoAsync("/inbox?tab=groups");
        var reviewRow = reviewer.Locator("tr", new() { HasText = "SZ-UI-001" });
        await Expect(reviewRow).ToContainTextAsync("审查");
        await Expect(reviewRow.Locator(".badge")).ToHaveTextAsync("剩余 15 个工作日");
        await ShotAsync(reviewer, "06-inbox-review");
        await reviewer.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task The_language_switch_turns_the_inbox_english_with_the_time_left_in_working_days()
    {
        browser.RequireBrowser();
        await NewSuzhouCaseAsync("SZ-UI-002");
        var page = await SignedInAsync("acceptance.suzhou");
        await page.GotoAsync("/inbox?tab=groups&caseNumber=SZ-UI-002");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page).ToHaveURLAsync(new Regex("/inbox\\?tab=groups&caseNumber=SZ-UI-002$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My tasks", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "My groups" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByLabel("Case number")).ToHaveValueAsync("SZ-UI-002");
        var row = page.Locator("tr", new() { HasText = "SZ-UI-002" });
        await Expect(row.Locator(".badge-green")).ToHaveTextAsync("5 working days left");
        await Expect(row).ToContainTextAsync("2026-11-09");
        await Expect(page.Locator("#current-user")).ToContainTextAsync("Suzhou Ecology and Environment Bureau");
        await ShotAsync(page, "07-inbox-en");

        // And back: the choice is remembered in a cookie, Chinese again on every page.
        await page.GetByRole(AriaRole.Link, new() { Name = "简体中文" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "我的待办", Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_suzhou_reviewer_gets_the_403_page_for_a_nanjing_case_and_for_the_admin_pages_and_the_404_page_for_nothing()
    {
        browser.RequireBrowser();
        await Scenario.DeployAsync(App);
        using var nanjing = await Scenario.StaffOfAsync(App, "acceptance.nanjing", "nanjing", "acceptance");
        var nanjingCase = await Scenario.StartCaseAsync(nanjing, "NJ-UI-001", "南京某化工有限公司", "91320100MA1W9L3X2C");
        var page = await SignedInAsync("review.suzhou");

        var forbiddenCase = await page.GotoAsync($"/cases/{nanjingCase}");
        Assert.Equal(403, forbiddenCase!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "无权访问", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).Not.ToContainTextAsync("NJ-UI-001");
        await ShotAsync(page, "08-case-of-another-city-403");

        var admin = await page.GotoAsync("/admin");
        Assert.Equal(403, admin!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "无权访问", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" })).Not.ToContainTextAsync("系统管理");
        await ShotAsync(page, "09-admin-403");

        var missing = await page.GotoAsync("/cases/00000000-0000-0000-0000-000000000001");
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "页面不存在", Level = 1 })).ToBeVisibleAsync();
        var nowhere = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, nowhere!.Status);
        await ShotAsync(page, "10-not-found-404");
        await page.Context.CloseAsync();

        // The administrator does reach the administration pages.
        var administrator = await SignedInAsync("admin.province");
        var allowed = await administrator.GotoAsync("/admin");
        Assert.Equal(200, allowed!.Status);
        await Expect(administrator.GetByRole(AriaRole.Heading, new() { Name = "系统管理", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(administrator, "10b-admin");
        await administrator.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task The_case_page_shows_the_diagram_with_the_active_steps_the_clock_with_its_explanation_and_the_journal()
    {
        browser.RequireBrowser();
        var caseId = await NewSuzhouCaseAsync("SZ-UI-003");
        using (var acceptance = await App.ApiAsync("acceptance.suzhou"))
        {
            var tasks = await acceptance.GetFromJsonAsync<JsonElement>($"/api/v1/tasks?instanceId={caseId}");
            var taskId = tasks.EnumerateArray().Single().GetProperty("id").GetGuid();
            var completed = await acceptance.PostAsJsonAsync($"/api/v1/tasks/{taskId}/complete", new
            {
                outcome = "accept",
                variables = new { opinion = "予以受理", documentType = "form", complete = true },
            });
            Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());
        }
        var page = await SignedInAsync("review.suzhou");
        await page.GotoAsync($"/cases/{caseId}");

        // The diagram: drawn by bpmn-js (an svg in its container), the watermark kept, done and active steps marked.
        await Expect(page.Locator("#diagram")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(page.Locator("#diagram svg").First).ToBeVisibleAsync();
        await Expect(page.Locator("#diagram .bjs-powered-by")).ToHaveCountAsync(1);
        foreach (var active in new[] { "publicity", "assessment", "review" })
            await Expect(page.Locator($"#diagram .djs-element.cpf-active[data-element-id='{active}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#diagram .djs-element.cpf-completed[data-element-id='accept']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".legend")).ToContainTextAsync("进行中：受理公示、技术评估、审查");

        // The decision clock with its explanation; the journal as a timeline.
        var clock = page.Locator("#clock-decision");
        await Expect(clock).ToContainTextAsync("计时中");
        await Expect(clock).ToContainTextAsync("2026-11-23");
        await Expect(clock.Locator("ol.explanation li").First).ToBeVisibleAsync();
        var timeline = page.Locator("ol.timeline");
        await Expect(timeline).ToContainTextAsync("办结任务");
        await Expect(timeline).ToContainTextAsync("「受理审查」");
        await Expect(timeline).ToContainTextAsync("acceptance.suzhou");
        await ShotAsync(page, "11-case");

        // A reviewer may pause (not extend): without a reason the refusal stands next to the field; with one the clock stops.
        await Expect(clock.GetByRole(AriaRole.Button, new() { Name = "批准延长" })).ToHaveCountAsync(0);
        await clock.GetByRole(AriaRole.Button, new() { Name = "暂停计时" }).ClickAsync();
        await Expect(page.Locator("#pause-reason-decision-error")).ToContainTextAsync("暂停须说明理由");
        await ShotAsync(page, "12-case-pause-refused");
        await page.Locator("#clock-decision").GetByLabel("理由").FillAsync("专家评审");
        await page.Locator("#clock-decision").GetByLabel("法律依据").FillAsync("《中华人民共和国行政许可法》第四十五条");
        await page.Locator("#clock-decision").GetByRole(AriaRole.Button, new() { Name = "暂停计时" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("计时已暂停");
        await Expect(page.Locator("#clock-decision")).ToContainTextAsync("已暂停");
        await Expect(page.Locator("#clock-decision").GetByRole(AriaRole.Button, new() { Name = "恢复计时" })).ToBeVisibleAsync();
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync("专家评审");
        await ShotAsync(page, "13-case-paused");
        await page.Context.CloseAsync();
    }
}
