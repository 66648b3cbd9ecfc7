using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Documents;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Documents;

/// <summary>One virtual-clock host per provider for the document tests (the clock starts at the EIA tests' acceptance).</summary>
public sealed class DocumentHostsFixture : HostsPerProvider
{
    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance));
}

/// <summary>What the document tests do through the API.</summary>
public static class DocumentApi
{
    public static async Task<IReadOnlyList<JsonElement>> DocumentsAsync(this CpfWebFactory host, Guid instanceId, string username = "auditor.province")
    {
        var response = await (await host.As(username)).GetAsync($"/api/v1/instances/{instanceId}/documents");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"documents of {instanceId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.JsonAsync()).EnumerateArray().ToList();
    }

    public static JsonElement OfKind(this IEnumerable<JsonElement> documents, string kind) =>
        Assert.Single(documents, d => d.GetProperty("kind").GetString() == kind);

    /// <summary>Downloads the PDF and the DOCX, checks the PDF's SHA-256 against the stored one, returns both.</summary>
    public static async Task<(byte[] Pdf, byte[] Docx)> DownloadAsync(this CpfWebFactory host, JsonElement document, string username = "auditor.province")
    {
        var client = await host.As(username);
        var pdf = await client.GetAsync(document.GetProperty("pdf").GetString());
        Assert.True(pdf.StatusCode == HttpStatusCode.OK, $"pdf: {(int)pdf.StatusCode}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var pdfBytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal(document.GetProperty("pdfSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(pdfBytes)));
        var docx = await client.GetAsync(document.GetProperty("docx").GetString());
        Assert.True(docx.StatusCode == HttpStatusCode.OK, $"docx: {(int)docx.StatusCode}");
        var docxBytes = await docx.Content.ReadAsByteArrayAsync();
        Assert.Equal(document.GetProperty("docxSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(docxBytes)));
        return (pdfBytes, docxBytes);
    }

    /// <summary>A cookie-signed-in browser-like client for the pages.</summary>
    public static async Task<HttpClient> BrowserAsync(this CpfWebFactory host, string username)
    {
        var browser = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/html"));
        var token = System.Text.RegularExpressions.Regex.Match(await browser.GetStringAsync("/account/login"),
            "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", CpfWebFactory.Password), new("__RequestVerificationToken", token),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    public static async Task<IReadOnlyList<string>> ParagraphsAsync(this CpfWebFactory host, JsonElement document) =>
        DocxDocumentWriter.Paragraphs((await host.DownloadAsync(document)).Docx);
}
