using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CleanProdFlow.Web.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Security;

/// <summary>
/// Issue 12 item 5, the pages: security headers on every answer, a Content-Security-Policy that only our own assets
/// satisfy (no inline script, nothing from another site), anti-forgery tokens on every POST, a rate-limited sign-in,
/// no password in the logs.
/// </summary>
public sealed partial class PageSecurityTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [GeneratedRegex("""name="__RequestVerificationToken" type="hidden" value="([^"]+)" """)]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("""<script(?<attributes>[^>]*)>""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""<(?:script|link|img|iframe)[^>]*\s(?:src|href)\s*=\s*"(?<url>[^"]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex AssetUrl();

    [GeneratedRegex("""\son[a-z]+\s*=\s*["']""", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    private HttpClient Browser() => host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SignInOnPageAsync(HttpClient browser, string username, string password)
    {
        var page = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent([
            new("Username", username), new("Password", password), new("__RequestVerificationToken", token), new("ReturnUrl", "/"),
        ]));
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.True(csp == SecurityHeaders.ContentSecurityPolicy, $"{what}: CSP was '{csp}'");
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public void The_policy_allows_only_our_own_scripts_and_forbids_framing()
    {
        var directives = SecurityHeaders.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());

        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'self'"], directives["style-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
    }

    [Fact]
    public async Task Every_kind_of_answer_carries_the_security_headers()
    {
        var anonymous = Browser();
        var api = await host.Factory.SignedInAsync("review.suzhou");
        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["sign-in page"] = await anonymous.GetAsync("/account/login"),
            ["redirect to sign-in"] = await anonymous.GetAsync("/"),
            ["health"] = await anonymous.GetAsync("/health/live"),
            ["401 problem"] = await anonymous.GetAsync("/api/v1/me"),
            ["api 200"] = await api.GetAsync("/api/v1/me"),
            ["api 403"] = await api.GetAsync("/api/v1/admin/users"),
            ["api 400"] = await api.GetAsync("/api/v1/admin/users?limit=0"),
            ["unknown page"] = await anonymous.GetAsync("/no-such-page"),
        };
        Assert.Equal(HttpStatusCode.OK, answers["api 200"].StatusCode);

        foreach (var (what, response) in answers)
            AssertSecurityHeaders(response, what);
    }

    [Fact]
    public async Task No_page_has_an_inline_script_an_event_handler_attribute_or_an_asset_from_another_site()
    {
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInOnPageAsync(browser, "admin.province", CpfWebFactory.Password)).StatusCode);
        var pages = host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null && e.RoutePattern.Parameters.Count == 0)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(path => path != "/account/logout")
            .Distinct().ToList();
        Assert.Contains("/compliance", pages);
        Assert.Contains("/admin/definitions", pages);
        var checkedPages = 0;

        foreach (var path in pages)
        {
            var response = await browser.GetAsync(path);
            AssertSecurityHeaders(response, path);
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
                continue;
            var html = await response.Content.ReadAsStringAsync();
            checkedPages++;
            foreach (Match script in ScriptTag().Matches(html))
            {
                var attributes = script.Groups["attributes"].Value;
                Assert.True(attributes.Contains("src=", StringComparison.OrdinalIgnoreCase) || attributes.Contains("application/json", StringComparison.Ordinal),
                    $"{path} has an inline script: {script.Value}");
            }
            Assert.False(EventHandlerAttribute().IsMatch(html), $"{path} has an inline event handler: {EventHandlerAttribute().Match(html).Value}");
            foreach (Match asset in AssetUrl().Matches(html))
            {
                var url = asset.Groups["url"].Value;
                Assert.False(url.StartsWith("//", StringComparison.Ordinal) || url.Contains("://", StringComparison.Ordinal),
                    $"{path} loads {url} from another site");
            }
        }
        Assert.True(checkedPages >= 10, $"only {checkedPages} pages were checked");
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused_on_every_page()
    {
        var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInOnPageAsync(browser, "admin.province", CpfWebFactory.Password)).StatusCode);
        var before = await (await host.Factory.SignedInAsync("admin.province")).GetStringAsync("/api/v1/admin/users?limit=500");
        var pages = host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + Regex.Replace(Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{[^}:]+:guid\}", Guid.NewGuid().ToString()), @"\{[^}]+\}", "1"))
            .Distinct().ToList();
        Assert.True(pages.Count >= 10);

        foreach (var path in pages.Append("/account/login"))
        {
            var response = await browser.PostAsync(path + "?handler=save", new FormUrlEncodedContent([new("Username", "x"), new("Password", "y"), new("xml", "<a/>")]));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path} without a token answered {(int)response.StatusCode}");
        }
        // The anonymous sign-in form too.
        var anonymous = await Browser().PostAsync("/account/login", new FormUrlEncodedContent([new("Username", "admin.province"), new("Password", CpfWebFactory.Password)]));
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        Assert.False(anonymous.Headers.Contains("Set-Cookie") && anonymous.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(SecurityRegistration.SessionCookie, StringComparison.Ordinal)));
        Assert.Equal(before, await (await host.Factory.SignedInAsync("admin.province")).GetStringAsync("/api/v1/admin/users?limit=500"));
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_get_a_429_problem_in_chinese_on_the_api_and_the_page()
    {
        await using var limited = await CpfWebFactory.StartAsync(settings: new Dictionary<string, string?> { [SignInRateLimit.AttemptsPerMinuteKey] = "3" });
        var client = limited.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            answers.Add((await client.PostAsJsonAsync("/api/v1/auth/token", new { username = $"nobody{i}", password = "wrong#Pass1" })).StatusCode);
        var refused = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "review.suzhou", password = CpfWebFactory.Password });
        var page = await limited.CreateClient(new() { AllowAutoRedirect = false }).PostAsync("/account/login",
            new FormUrlEncodedContent([new("Username", "review.suzhou"), new("Password", CpfWebFactory.Password)]));
        var other = await client.GetAsync("/health/live");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("登录尝试过于频繁", (await refused.JsonAsync()).GetProperty("title").GetString());
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task No_password_reaches_the_log_on_failed_or_successful_sign_in()
    {
        var logs = Path.Combine(Path.GetTempPath(), "cpf-password-logs", Guid.NewGuid().ToString("N"));
        const string wrongApiPassword = "Wr0ng#ApiPassword-7731";
        const string wrongPagePassword = "Wr0ng#PagePassword-5519";
        try
        {
            await using (var verbose = await CpfWebFactory.StartAsync(settings: new Dictionary<string, string?>
                         {
                             ["Logs:Directory"] = logs,
                             ["Serilog:MinimumLevel:Default"] = "Verbose",
                             ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
                             ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
                         }))
            {
                var api = verbose.CreateClient();
                Assert.Equal(HttpStatusCode.Unauthorized, (await api.PostAsJsonAsync("/api/v1/auth/token", new { username = "review.suzhou", password = wrongApiPassword })).StatusCode);
                var signedIn = await api.PostAsJsonAsync("/api/v1/auth/token", new { username = "review.suzhou", password = CpfWebFactory.Password });
                Assert.True(signedIn.StatusCode == HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
                var browser = verbose.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
                Assert.Equal(HttpStatusCode.Unauthorized, (await SignInOnPageAsync(browser, "approver.suzhou", wrongPagePassword)).StatusCode);
                Assert.Equal(HttpStatusCode.Redirect, (await SignInOnPageAsync(browser, "approver.suzhou", CpfWebFactory.Password)).StatusCode);
            }

            // Disposing the host flushed the log files.
            var text = string.Concat(Directory.GetFiles(logs).Select(f => File.ReadAllText(f)));
            Assert.Contains("/api/v1/auth/token", text);
            Assert.Contains("/account/login", text);
            Assert.DoesNotContain(wrongApiPassword, text);
            Assert.DoesNotContain(wrongPagePassword, text);
            Assert.DoesNotContain(CpfWebFactory.Password, text);
        }
        finally
        {
            if (Directory.Exists(logs))
                Directory.Delete(logs, recursive: true);
        }
    }
}
