using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Users;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Security;

public sealed class AccessControlTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private static object NewUser(string username, string organisation, params string[] roles) =>
        new { username, displayName = "测试 " + username, organisation, roles, password = "Secret#2026" };

    private async Task<int> UserCountAsync() =>
        (await host.Factory.Services.GetRequiredService<UserStore>().ListAsync(null, null, 500)).Count;

    [Fact]
    public async Task A_user_without_the_admin_role_gets_403_and_nothing_is_created()
    {
        var client = await host.Factory.SignedInAsync("review.suzhou");
        var before = await UserCountAsync();

        var create = await client.PostAsJsonAsync("/api/v1/admin/users", NewUser("intruder.suzhou", "suzhou", "admin"));
        var list = await client.GetAsync("/api/v1/admin/users");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Without_sign_in_the_admin_api_is_401_and_nothing_is_created()
    {
        var before = await UserCountAsync();
        var response = await host.Factory.CreateClient().PostAsJsonAsync("/api/v1/admin/users", NewUser("anon.suzhou", "suzhou", "review"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task A_city_admin_creates_a_user_of_the_city_who_can_then_sign_in()
    {
        var admin = await host.Factory.SignedInAsync("admin.suzhou");

        var response = await admin.PostAsJsonAsync("/api/v1/admin/users", NewUser("Accept.Zhang", "suzhou", "acceptance", "publicity"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/admin/users/accept.zhang", response.Headers.Location?.OriginalString);
        var created = await response.JsonAsync();
        Assert.Equal("accept.zhang", created.GetProperty("username").GetString());
        Assert.Equal("admin.suzhou", created.GetProperty("createdBy").GetString());
        Assert.Equal(["acceptance", "publicity"], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var token = await host.Factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { username = "accept.zhang", password = "Secret#2026" });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task A_city_admin_may_not_create_users_of_another_organisation()
    {
        var admin = await host.Factory.SignedInAsync("admin.suzhou");
        var before = await UserCountAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/admin/users", NewUser("approver.x", "province", "approver"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task A_taken_username_is_409()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var response = await admin.PostAsJsonAsync("/api/v1/admin/users", NewUser("review.suzhou", "suzhou", "review"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("用户名已存在", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Every_bad_field_of_a_new_user_is_named_and_nothing_is_created()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var before = await UserCountAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/admin/users",
            new { username = "9x", displayName = "", organisation = "shanghai", roles = new[] { "review", "superuser" }, password = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await response.FieldErrorsAsync("username"));
        Assert.Single(await response.FieldErrorsAsync("displayName"));
        Assert.Contains("shanghai", Assert.Single(await response.FieldErrorsAsync("organisation")));
        Assert.Contains("superuser", Assert.Single(await response.FieldErrorsAsync("roles")));
        Assert.Single(await response.FieldErrorsAsync("password"));
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task A_city_admin_lists_only_the_city_and_is_refused_another()
    {
        var admin = await host.Factory.SignedInAsync("admin.suzhou");

        var own = await (await admin.GetAsync("/api/v1/admin/users?limit=500")).JsonAsync();
        var other = await admin.GetAsync("/api/v1/admin/users?organisation=province");
        var hidden = await admin.GetAsync("/api/v1/admin/users/admin.province");

        Assert.All(own.GetProperty("users").EnumerateArray(), u => Assert.Equal("suzhou", u.GetProperty("organisation").GetString()));
        Assert.Contains(own.GetProperty("users").EnumerateArray(), u => u.GetProperty("username").GetString() == "review.suzhou");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task The_province_admin_pages_through_everyone_without_repeats()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/admin/users?limit=7{(after is null ? "" : "&after=" + after)}")).JsonAsync();
            seen.AddRange(page.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("username").GetString()!));
            after = page.GetProperty("next").GetString();
        } while (after is not null);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.True(seen.Count >= 20);
        Assert.Equal(await UserCountAsync(), seen.Count);
    }

    [Fact]
    public async Task A_limit_out_of_range_is_400_naming_limit()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var response = await admin.GetAsync("/api/v1/admin/users?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(await response.FieldErrorsAsync("limit"));
    }

    [Fact]
    public async Task The_hangfire_dashboard_is_for_administrators_only()
    {
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var anonymous = await client.GetAsync("/hangfire");
        var reviewer = await (await host.Factory.SignedInAsync("review.suzhou")).GetAsync("/hangfire");
        var admin = await (await host.Factory.SignedInAsync("admin.province")).GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/login", anonymous.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Hangfire", await admin.Content.ReadAsStringAsync());
    }

    /// <summary>Routes anyone may call: health, API description, sign-in and the language switch.</summary>
    private static readonly string[] PublicRoutes =
    [
        "/health/live", "/health/ready", "/openapi/{documentName}.json", "/scalar/{documentName?}", "/scalar",
        "/api/v1/auth/token", "/account/login", "/account/logout", "/account/access-denied", "/culture/{culture}",
        // The published list of advanced enterprises (measure 2).
        "/public/advanced-enterprises", "/public/advanced-enterprises.json", "/public/advanced-enterprises.csv",
        // Certificates withdrawn by a revocation decision (issue 8), public like the list itself.
        "/public/revoked-certificates.json",
        // The published top-10 typical cases with their recommended technologies (measure 3, issue 9).
        "/public/typical-cases.json",
    ];

    [Fact]
    public async Task Every_other_endpoint_refuses_a_caller_who_is_not_signed_in()
    {
        var endpoints = host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !PublicRoutes.Contains("/" + raw.TrimStart('/')) && !raw.TrimStart('/').StartsWith("scalar/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(endpoints);
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var endpoint in endpoints)
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment =>
                string.Concat(segment.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    _ => "x",
                }))));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
                var response = await client.SendAsync(request);
                var refused = response.StatusCode == HttpStatusCode.Unauthorized
                              || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login"));
                Assert.True(refused, $"{method} {path} ({endpoint.RoutePattern.RawText}) answered {(int)response.StatusCode} to an anonymous caller");
            }
        }
    }
}
