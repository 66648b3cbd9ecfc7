using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace CleanProdFlow.Web.Tests.Pages;

/// <summary>403 and 404 for a person are pages in their language; for the API they stay problem+json.</summary>
public sealed partial class StatusPagesTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryField();

    private async Task<HttpClient> BrowserAsync(string username)
    {
        var browser = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var token = AntiforgeryField().Match(await browser.GetStringAsync("/account/login")).Groups[1].Value;
        var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", CpfWebFactory.Password), new("__RequestVerificationToken", token),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    [Fact]
    public async Task An_unknown_page_is_the_404_page_in_chinese()
    {
        var browser = await BrowserAsync("review.suzhou");

        var response = await browser.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_case_that_does_not_exist_is_the_404_page_and_the_api_still_answers_problem_json()
    {
        var browser = await BrowserAsync("review.suzhou");

        var page = await browser.GetAsync($"/cases/{Guid.NewGuid()}");
        var api = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/no-such-endpoint")
        {
            Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
        });

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("页面不存在", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_admin_pages_send_other_roles_to_the_403_page()
    {
        var browser = await BrowserAsync("review.suzhou");

        var admin = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        var denied = await browser.GetAsync(admin.Headers.Location!);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("无权访问", await denied.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await (await BrowserAsync("admin.province")).GetAsync("/admin")).StatusCode);
    }
}
