using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Documents;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Web.Documents;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Documents;

/// <summary>
/// Document numbers under concurrency (8 issuers at once: no gap, no duplicate), a rolled-back issue leaving no gap,
/// voids that keep the number, and template edits that never change an issued document — on SQLite and PostgreSQL.
/// </summary>
public sealed class DocumentNumberTests(DocumentHostsFixture hosts) : IClassFixture<DocumentHostsFixture>
{
    private static DocumentRequest Request(string kind, string organisation, string city, string project = "年产 5 万吨精细化学品扩建项目") => new(kind, organisation, city, null,
        "测试案件", null, "test", new Dictionary<string, string>
        {
            ["enterpriseName"] = "测试企业有限公司", ["creditCode"] = "91320500MA1XYZ1234", ["caseNumber"] = "测试环评〔2026〕0001", ["projectName"] = project,
            ["reasons"] = "同意建设。", ["extensionDays"] = "5", ["extensionReason"] = "测试", ["newDueDate"] = "2026年12月1日",
        });

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Eight_concurrent_issuers_get_consecutive_numbers_and_a_rolled_back_issue_leaves_no_gap(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var issuer = host.Service<DocumentIssuer>();
        var store = host.Service<DocumentStore>();
        var now = host.Service<TimeProvider>().GetUtcNow();
        using var start = new SemaphoreSlim(0);
        var issues = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await issuer.IssueAsync(Request(DocumentKind.ExtensionNotice, "lianyungang", "lianyungang"), now);
        })).ToList();
        start.Release(8);
        var issued = await Task.WhenAll(issues);
        Assert.Equal(Enumerable.Range(1, 8), issued.Select(d => d.Sequence).Order());
        Assert.Equal(8, issued.Select(d => d.Number).Distinct().Count());
        Assert.Contains("连环延〔2026〕8号", issued.Select(d => d.Number));

        // A step that rolls back takes its number with it: the next issue gets the same number.
        var database = host.Service<CpfDatabase>();
        await using (var connection = await database.OpenAsync())
        await using (var transaction = await NumberedIntake.BeginWriteAsync(connection, CancellationToken.None))
        {
            var rolledBack = await issuer.IssueAsync(transaction, Request(DocumentKind.ExtensionNotice, "lianyungang", "lianyungang"), now);
            Assert.Equal(9, rolledBack.Sequence);
            await transaction.RollbackAsync();
        }
        var next = await issuer.IssueAsync(Request(DocumentKind.ExtensionNotice, "lianyungang", "lianyungang"), now);
        Assert.Equal("连环延〔2026〕9号", next.Number);
        Assert.Equal(Enumerable.Range(1, 9), await store.SequencesAsync("lianyungang", "延", 2026));

        // A missing value refuses the issue before a number is used.
        var incomplete = Request(DocumentKind.ExtensionNotice, "lianyungang", "lianyungang") with { Fields = new Dictionary<string, string> { ["caseNumber"] = "x" } };
        var refused = await Assert.ThrowsAsync<DocumentFieldsMissingException>(() => issuer.IssueAsync(incomplete, now));
        Assert.Contains("newDueDate", refused.Fields);
        Assert.Equal("连环延〔2026〕10号", (await issuer.IssueAsync(Request(DocumentKind.ExtensionNotice, "lianyungang", "lianyungang"), now)).Number);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_voided_document_keeps_its_number_and_only_the_issuers_approvers_void(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("approver.nanjing", "nanjing", "approver");
        var issuer = host.Service<DocumentIssuer>();
        var now = host.Service<TimeProvider>().GetUtcNow();
        var first = await issuer.IssueAsync(Request(DocumentKind.ApprovalDecision, "wuxi", "suzhou"), now);
        await host.EnsureUserAsync("approver.wuxi", "wuxi", "approver");
        var url = $"/api/v1/documents/{first.Id}/void";

        Assert.Equal(HttpStatusCode.NotFound, (await (await host.As("approver.nanjing")).PostAsJsonAsync(url, new { reason = "错误" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("review.suzhou")).PostAsJsonAsync(url, new { reason = "错误" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("approver.suzhou")).PostAsJsonAsync(url, new { reason = "错误" })).StatusCode); // issued by Wuxi
        var blank = await (await host.As("approver.province")).PostAsJsonAsync(url, new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.NotEmpty(await blank.FieldErrorsAsync("reason"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null,
            (await (await host.As("auditor.province")).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/documents/{first.Id}")).GetProperty("void").ValueKind);

        var voided = await (await host.As("approver.province")).PostAsJsonAsync(url, new { reason = "事实认定有误，重新出具" });
        Assert.True(voided.StatusCode == HttpStatusCode.OK, await voided.Content.ReadAsStringAsync());
        var view = await voided.JsonAsync();
        Assert.Equal("approver.province", view.GetProperty("void").GetProperty("voidedBy").GetString());
        Assert.Equal("事实认定有误，重新出具", view.GetProperty("void").GetProperty("reason").GetString());
        Assert.Equal(first.Number, view.GetProperty("number").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await (await host.As("approver.province")).PostAsJsonAsync(url, new { reason = "再次" })).StatusCode);

        var second = await issuer.IssueAsync(Request(DocumentKind.RefusalDecision, "wuxi", "wuxi"), now);
        Assert.Equal(first.Sequence + 1, second.Sequence); // approval and refusal share the 审 series; the voided number is not reused
        Assert.Equal(HttpStatusCode.OK, (await (await host.As("approver.wuxi")).PostAsJsonAsync($"/api/v1/documents/{second.Id}/void", new { reason = "撤回" })).StatusCode);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_template_edit_is_a_new_version_and_never_changes_an_issued_document(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var issuer = host.Service<DocumentIssuer>();
        var now = host.Service<TimeProvider>().GetUtcNow();
        var before = await issuer.IssueAsync(Request(DocumentKind.ApprovalDecision, "yancheng", "yancheng"), now);
        var original = await host.DownloadAsync(await (await host.As("auditor.province")).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/documents/{before.Id}"));

        var admin = await host.As("admin.province");
        var current = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/document-templates/approval-decision");
        var version = current.GetProperty("template").GetProperty("currentVersion").GetInt32();
        var body = current.GetProperty("versions")[0].GetProperty("body").GetString()!;
        var edited = body.Replace("经研究，批复如下：", "经研究，现批复如下（修订）：", StringComparison.Ordinal);
        Assert.NotEqual(body, edited);

        // Refusals: an unknown field (named with its line), a city's administrator, a stale version.
        var unknown = await admin.PostAsJsonAsync("/api/v1/document-templates/approval-decision/versions",
            new { body = edited + "\n{{salary}}", reason = "试", expectedVersion = version });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains(await unknown.FieldErrorsAsync("body"), m => m.Contains("salary", StringComparison.Ordinal));
        await host.EnsureUserAsync("admin.suzhou", "suzhou", "admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.As("admin.suzhou")).PostAsJsonAsync("/api/v1/document-templates/approval-decision/versions",
            new { body = edited, reason = "试", expectedVersion = version })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/document-templates/no-such-kind/versions",
            new { body = edited, reason = "试", expectedVersion = 1 })).StatusCode);

        var saved = await admin.PostAsJsonAsync("/api/v1/document-templates/approval-decision/versions",
            new { body = edited, reason = "按办公厅意见调整措辞", expectedVersion = version });
        Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());
        Assert.Equal(version + 1, (await saved.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/document-templates/approval-decision/versions",
            new { body = edited, reason = "再改", expectedVersion = version })).StatusCode);

        // The document issued before keeps its version and its bytes; the next one uses the new text.
        var beforeView = await (await host.As("auditor.province")).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/documents/{before.Id}");
        Assert.Equal(version, beforeView.GetProperty("template").GetProperty("version").GetInt32());
        var reloaded = await host.DownloadAsync(beforeView);
        Assert.Equal(original.Pdf, reloaded.Pdf);
        Assert.Equal(original.Docx, reloaded.Docx);
        Assert.Contains("经研究，批复如下：", string.Join("\n", DocxDocumentWriter.Paragraphs(reloaded.Docx)));

        // The administrators' page shows the new version with its reason; a city's administrator may only read.
        var page = await (await host.BrowserAsync("admin.province")).GetStringAsync("/admin/documents/approval-decision");
        Assert.Contains("经研究，现批复如下（修订）：", page);
        Assert.Contains("按办公厅意见调整措辞", page);
        Assert.Contains("保存为新版本", page);
        Assert.DoesNotContain("保存为新版本", await (await host.BrowserAsync("admin.suzhou")).GetStringAsync("/admin/documents/approval-decision"));

        var after = await issuer.IssueAsync(Request(DocumentKind.ApprovalDecision, "yancheng", "yancheng"), now);
        Assert.Equal(version + 1, after.TemplateVersion);
        var afterView = await (await host.As("auditor.province")).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/documents/{after.Id}");
        Assert.Contains("经研究，现批复如下（修订）：", string.Join("\n", DocxDocumentWriter.Paragraphs((await host.DownloadAsync(afterView)).Docx)));
    }
}
