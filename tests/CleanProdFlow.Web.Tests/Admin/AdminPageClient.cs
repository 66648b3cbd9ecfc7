using System.Net;
using System.Text.RegularExpressions;
using CleanProdFlow.Web.Tests.Workflows;

namespace CleanProdFlow.Web.Tests.Admin;

/// <summary>One host for the administrators' page tests: SQLite, demo users, the virtual clock at Monday 2026-11-02 09:00.</summary>
public sealed class AdminHostFixture : IAsyncLifetime
{
    public const string VirtualStart = "2026-11-02T09:00:00+08:00";

    public CpfWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync() => Factory = await CpfWebFactory.StartAsync(settings: WorkflowApi.VirtualClock(VirtualStart));

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>A browser as the page tests need one: a signed-in cookie session, no automatic redirects, form posts with the page's antiforgery token.</summary>
public sealed partial class AdminPageClient(HttpClient client)
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryField();

    public HttpClient Http => client;

    public static async Task<AdminPageClient> SignInAsync(CpfWebFactory factory, string username)
    {
        var http = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = new AdminPageClient(http);
        var token = await page.TokenAsync("/account/login");
        var signIn = await http.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", CpfWebFactory.Password), new("__RequestVerificationToken", token), new("ReturnUrl", "/"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return page;
    }

    public async Task<string> TokenAsync(string path)
    {
        var html = await client.GetStringAsync(path);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {path}");
        return match.Groups[1].Value;
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form as the page at <paramref name="pagePath"/> would (its token added) to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pagePath, string action, params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(pagePath);
        return await client.PostAsync(action, new FormUrlEncodedContent(
            fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token))));
    }

    /// <summary>Posts a multipart form with one file, as a file input sends it.</summary>
    public async Task<HttpResponseMessage> PostFileAsync(string pagePath, string action, string fileField, string fileName, string content,
        string mediaType, params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(pagePath);
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        form.Add(file, fileField, fileName);
        return await client.PostAsync(action, form);
    }
}
