using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Revocation;
using CleanProdFlow.Web.Tests.Workflows;
using UglyToad.PdfPig;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Documents;

/// <summary>
/// Documents issued by the steps that decide, on SQLite and PostgreSQL with the virtual clock: a standard EIA case
/// (correction notice listing every missing item, acceptance notice, pre-approval publicity, extension notice,
/// refusal decision), and a revocation (certificate at admission, prior notice whose 陈述申辩 deadline is the window's
/// due date, the province's decision). Each download is the stored bytes; another city sees none of them.
/// </summary>
public sealed class DocumentWorkflowTests(DocumentHostsFixture hosts) : IClassFixture<DocumentHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_standard_case_issues_each_notice_and_its_decision_from_the_step_that_decides_it(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("acceptance.nanjing", "nanjing", "acceptance");
        var caseNumber = (await host.AcceptedAsync(Application(await host.EnterpriseAsync(eligible: false), documentType: "form")))
            .GetProperty("caseNumber").GetString()!;
        var e = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
        var instanceId = e.InstanceId();
        Assert.Empty(await host.DocumentsAsync(instanceId));

        // One-time correction: every missing item, however the officer typed them, is a numbered line of the notice.
        await host.DoAsync("acceptance.suzhou", e.TaskId("acceptance"), new
        {
            outcome = "correct",
            variables = new { missingMaterials = "1. 缺少总量指标来源说明\n2、缺少公众参与说明；缺少排污许可证副本\n\n（四）环评报告书未加盖公章" },
        });
        var correction = (await host.DocumentsAsync(instanceId, "acceptance.suzhou")).OfKind("correction-notice");
        Assert.Matches(new Regex(@"^苏市环补〔2026〕\d+号$"), correction.GetProperty("number").GetString());
        Assert.Equal("suzhou", correction.GetProperty("organisation").GetString());
        Assert.Equal(caseNumber, correction.GetProperty("caseReference").GetString());
        Assert.Equal(1, correction.GetProperty("template").GetProperty("version").GetInt32());
        var paragraphs = await host.ParagraphsAsync(correction);
        string[] items = ["1. 缺少总量指标来源说明", "2. 缺少公众参与说明", "3. 缺少排污许可证副本", "4. 环评报告书未加盖公章"];
        Assert.Equal(items, paragraphs.Where(p => Regex.IsMatch(p, @"^\d+\. ")));
        Assert.Contains(correction.GetProperty("number").GetString(), paragraphs);
        var (pdf, _) = await host.DownloadAsync(correction);
        var (again, _) = await host.DownloadAsync(correction, "acceptance.suzhou");
        Assert.Equal(pdf, again);
        using (var read = PdfDocument.Open(pdf))
        {
            Assert.Equal(1, read.NumberOfPages);
            var text = DocumentRenderingTests.Squeeze(read.GetPage(1).Text);
            foreach (var item in items)
                Assert.Contains(DocumentRenderingTests.Squeeze(item), text);
        }

        // Another city's officer sees neither the list nor the document nor its bytes.
        var nanjing = await host.As("acceptance.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/instances/{instanceId}/documents")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync($"/api/v1/documents/{correction.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.GetAsync(correction.GetProperty("pdf").GetString())).StatusCode);

        // Corrected and accepted → the acceptance notice.
        await host.AdvanceToAsync("2026-10-12T10:00:00+08:00");
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("acceptance.suzhou", e.TaskId("receive-correction"), new { variables = new { materials = "补正材料" } });
        e = await (await host.As("acceptance.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("acceptance.suzhou", e.TaskId("recheck"), new { outcome = "accept" });
        var accepted = (await host.DocumentsAsync(instanceId)).OfKind("acceptance-notice");
        Assert.Matches(new Regex(@"^苏市环受〔2026〕\d+号$"), accepted.GetProperty("number").GetString());
        Assert.Contains(await host.ParagraphsAsync(accepted), p => p.Contains($"受理编号：{caseNumber}", StringComparison.Ordinal) && p.Contains("受理日期为2026年9月28日", StringComparison.Ordinal));

        e = await (await host.As("publicity.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("publicity.suzhou", e.TaskId("publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });
        await host.AdvanceToAsync("2026-10-20T09:00:00+08:00");
        e = await (await host.As("assessment.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("assessment.suzhou", e.TaskId("assessment"), new { variables = new { conclusion = "环境影响可接受" } });
        e = await (await host.As("review.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("review.suzhou", e.TaskId("review"), new { variables = new { opinion = "项目选址符合规划，污染防治措施可行" } });

        // The pre-approval publicity text: the rule's 5 working days and the review opinion.
        var publicity = (await host.DocumentsAsync(instanceId)).OfKind("pre-approval-publicity");
        var publicityText = string.Join("\n", await host.ParagraphsAsync(publicity));
        Assert.Contains("公示期为5个工作日", publicityText);
        Assert.Contains("项目选址符合规划，污染防治措施可行", publicityText);

        // The approver extends the decision limit by 10 working days → the extension notice with the new due date.
        var extended = await (await host.As("approver.suzhou")).PostAsJsonAsync($"/api/v1/instances/{instanceId}/clocks/eia.decision/extend",
            new { days = 10, reason = "需征求相邻县（市、区）意见" });
        Assert.True(extended.StatusCode == HttpStatusCode.OK, await extended.Content.ReadAsStringAsync());
        e = await (await host.As("approver.suzhou")).CaseAsync(caseNumber);
        var newDue = DateOnly.ParseExact(e.DecisionClock().DueDate()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var extension = (await host.DocumentsAsync(instanceId)).OfKind("extension-notice");
        Assert.Equal("approver.suzhou", extension.GetProperty("author").GetString());
        Assert.Contains(await host.ParagraphsAsync(extension), p => p.Contains("审批期限延长10个工作日", StringComparison.Ordinal)
            && p.Contains($"延长后的期限届满日为{newDue.Year}年{newDue.Month}月{newDue.Day}日", StringComparison.Ordinal)
            && p.Contains("因需征求相邻县（市、区）意见", StringComparison.Ordinal));

        // Refusal: the decision document carries the approver's reasons and the province's review rights.
        e = await (await host.As("publicity.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("publicity.suzhou", e.TaskId("pre-approval-publish"), new { variables = new { publicityUrl = "http://www.js-eia.cn/" } });
        await host.AdvanceToAsync("2026-10-30T09:00:00+08:00");
        e = await (await host.As("approver.suzhou")).CaseAsync(caseNumber);
        await host.DoAsync("approver.suzhou", e.TaskId("decide"), new { outcome = "reject", variables = new { reasons = "选址不符合生态环境分区管控要求" } });
        var documents = await host.DocumentsAsync(instanceId);
        Assert.Equal(["correction-notice", "acceptance-notice", "pre-approval-publicity", "extension-notice", "refusal-decision"],
            documents.Select(d => d.GetProperty("kind").GetString()));
        var refusal = documents.OfKind("refusal-decision");
        Assert.Matches(new Regex(@"^苏市环审〔2026〕\d+号$"), refusal.GetProperty("number").GetString());
        var refusalText = await host.ParagraphsAsync(refusal);
        Assert.Equal("不予批准决定书", refusalText[0]);
        Assert.Contains("选址不符合生态环境分区管控要求", refusalText);
        Assert.Equal("2026年10月30日", refusalText[^1]);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_revocation_issues_the_prior_notice_with_the_window_deadline_and_the_provinces_decision(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var code = await host.AdvancedEnterpriseAsync();

        // Admission to the register issued the honour certificate, numbered by the province, with its QR code.
        var certificates = await (await host.As("auditor.province")).GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/enterprises/{code}/documents");
        var certificate = certificates!.OfKind("honour-certificate");
        Assert.Matches(new Regex(@"^苏环证〔2026〕\d+号$"), certificate.GetProperty("number").GetString());
        var published = await host.CreateClient().GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/public/advanced-enterprises.json");
        var certificateNumber = published!.Single(p => p.GetProperty("creditCode").GetString() == code).GetProperty("certificateNumber").GetString()!;
        Assert.Equal(certificateNumber, certificate.GetProperty("caseReference").GetString());
        var certificateText = await host.ParagraphsAsync(certificate);
        Assert.Contains($"证书编号：{certificateNumber}", certificateText);
        var (certificatePdf, certificateDocx) = await host.DownloadAsync(certificate);
        using (var read = PdfDocument.Open(certificatePdf))
        {
            Assert.Equal(1, read.NumberOfPages);
            Assert.Single(read.GetPage(1).GetImages());
        }
        Assert.Contains($"/public/advanced-enterprises?certificate={Uri.EscapeDataString(certificateNumber)}", DocxDescription(certificateDocx));

        var verifyPath = $"/public/advanced-enterprises?certificate={Uri.EscapeDataString(certificateNumber)}";
        Assert.Contains($"证书 {certificateNumber} 有效", await host.CreateClient().GetStringAsync(verifyPath));

        var enforcement = await host.As("enforcement.suzhou");
        Assert.Equal(HttpStatusCode.Created, (await enforcement.PenaltyAsync(code, $"苏环罚〔2026〕{Random.Shared.Next(1000, 9999)}号")).StatusCode);
        var opened = Assert.Single(await host.RevocationsAsync(code));
        var id = opened.GetProperty("id").GetGuid();
        var instanceId = opened.GetProperty("instanceId").GetGuid();
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(instanceId, "verify", "enforcement.suzhou"),
            new { outcome = "confirmed", variables = new { findings = "处罚决定书已生效。" } });
        Assert.Empty(await host.DocumentsAsync(instanceId));
        await host.DoAsync("enforcement.suzhou", await host.TaskAsync(instanceId, "notify", "enforcement.suzhou"),
            new { variables = new { noticeNumber = "手工告知书号", deliveredOn = "2026-09-28" } });

        // The prior notice states the deadline of the statement window, which is exactly the window task's due date.
        var notice = (await host.DocumentsAsync(instanceId)).OfKind("revocation-notice");
        Assert.Matches(new Regex(@"^苏市环告〔2026〕\d+号$"), notice.GetProperty("number").GetString());
        var window = Assert.Single(await enforcement.TasksAsync($"instanceId={instanceId}&status=open"), t => t.GetProperty("elementId").GetString() == "record-statement");
        var lastDay = BeijingTime.DateOf(window.GetProperty("dueAt").GetDateTimeOffset().AddTicks(-1));
        Assert.Contains(await host.ParagraphsAsync(notice), p => p.Contains($"请于{lastDay.Year}年{lastDay.Month}月{lastDay.Day}日前（5个工作日内）", StringComparison.Ordinal));

        await host.DoAsync("enforcement.suzhou", window.GetProperty("id").GetGuid(), new { outcome = "waived", variables = new { statement = "放弃陈述申辩" } });
        await host.DoAsync("approver.province", await host.TaskAsync(instanceId, "decide", "approver.province"),
            new { outcome = "revoke", variables = new { decisionNumber = "苏环激〔2026〕9号", reasons = "受到生态环境行政处罚" } });
        var decision = (await host.DocumentsAsync(instanceId, "enforcement.suzhou")).OfKind("revocation-decision");
        Assert.Matches(new Regex(@"^苏环撤〔2026〕\d+号$"), decision.GetProperty("number").GetString());
        Assert.Equal("province", decision.GetProperty("organisation").GetString());
        Assert.Equal("suzhou", decision.GetProperty("city").GetString());
        Assert.Contains("受到生态环境行政处罚", await host.ParagraphsAsync(decision));
        Assert.Equal("revoked", (await host.RevocationAsync(id)).GetProperty("status").GetString());

        // The certificate's QR code now finds it off the list.
        Assert.Contains($"证书 {certificateNumber} 不在现行名单中", await host.CreateClient().GetStringAsync(verifyPath));

        // The case page lists the documents and serves them as issued.
        var browser = await host.BrowserAsync("enforcement.suzhou");
        var page = await browser.GetStringAsync($"/cases/{instanceId}");
        Assert.Contains(decision.GetProperty("number").GetString()!, page);
        Assert.Contains(notice.GetProperty("number").GetString()!, page);
        var fromPage = await browser.GetByteArrayAsync($"/cases/{instanceId}?handler=Document&documentId={decision.GetProperty("id").GetGuid()}&format=pdf");
        Assert.Equal(decision.GetProperty("pdfSha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(fromPage)));
    }

    /// <summary>The descriptions of a DOCX's pictures (the QR code's target is written there).</summary>
    private static string DocxDescription(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(stream, false);
        return string.Join("\n", document.MainDocumentPart!.Document!.Descendants<DocumentFormat.OpenXml.Drawing.Wordprocessing.DocProperties>()
            .Select(p => p.Description?.Value));
    }
}
