using System.Net;
using System.Text.RegularExpressions;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Web.Tests.Compliance;

/// <summary>One SQLite host with the demo data (Demo:SeedData) for the compliance and register page tests.</summary>
public sealed class DemoHostFixture : IAsyncLifetime
{
    public CpfWebFactory Factory { get; private set; } = null!;

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?> { ["Demo:SeedData"] = "true" };

    public async Task InitializeAsync() => Factory = await CpfWebFactory.StartAsync(DatabaseProvider.Sqlite, settings: Settings);

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>A browser as the page tests need one: a signed-in cookie session, no automatic redirects, forms posted with their antiforgery token.</summary>
public sealed partial class PageSession(HttpClient client)
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryField();

    public HttpClient Http => client;

    public static async Task<PageSession> SignInAsync(CpfWebFactory factory, string username, string? password = null)
    {
        var http = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var session = new PageSession(http);
        var token = await session.TokenAsync("/account/login");
        var signIn = await http.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", password ?? CpfWebFactory.Password), new("__RequestVerificationToken", token), new("ReturnUrl", "/"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return session;
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

    /// <summary>Posts a multipart form with one file (and the page's antiforgery token), as the browser sends it.</summary>
    public async Task<(HttpStatusCode Status, string Html)> PostFileAsync(string path, string fileName, byte[] content, string mediaType,
        params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(path);
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        form.Add(file, "file", fileName);
        var response = await client.PostAsync(path, form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
