using System.Net;
using System.Text.RegularExpressions;

namespace CleanProdFlow.Web.Tests.Pages;

public sealed partial class SignInPageTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryField();

    private HttpClient Browser() => host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string username, string password)
    {
        var page = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", password), new("__RequestVerificationToken", token), new("ReturnUrl", "/"),
        ]));
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page()
    {
        var response = await Browser().GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2F", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task Signing_in_on_the_page_shows_the_users_name_and_lets_pages_call_the_api()
    {
        var browser = Browser();
        var signIn = await SignInAsync(browser, "review.suzhou", "Demo#2026");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        var home = await browser.GetStringAsync("/");
        Assert.Contains("review.suzhou", home);
        Assert.Contains("苏州市生态环境局", home);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/admin/users")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_reason_in_chinese_and_signs_nobody_in()
    {
        var browser = Browser();
        var response = await SignInAsync(browser, "review.suzhou", "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_language_switch_turns_the_page_english()
    {
        var browser = Browser();
        var switched = await browser.GetAsync("/culture/en?returnUrl=%2Faccount%2Flogin");
        var page = await browser.GetStringAsync("/account/login");

        Assert.Equal("/account/login", switched.Headers.Location?.OriginalString);
        Assert.Contains("Sign in", page);
        Assert.Contains("lang=\"en\"", page);
    }

    [Fact]
    public async Task A_signed_in_user_without_the_role_sees_the_access_denied_page()
    {
        var browser = Browser();
        await SignInAsync(browser, "review.suzhou", "Demo#2026");

        var denied = await browser.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var page = await browser.GetAsync(denied.Headers.Location!);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("无权访问", await page.Content.ReadAsStringAsync());
    }
}
