using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CleanProdFlow.Web.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CleanProdFlow.Web.Tests.Api;

public sealed class SignInTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    private HttpClient Client() => host.Factory.CreateClient();

    [Fact]
    public async Task A_demo_user_gets_a_token_that_me_accepts_with_name_organisation_and_roles()
    {
        var client = Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "review.suzhou", password = "Demo#2026" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        var me = await (await client.GetAsync("/api/v1/me")).JsonAsync();

        Assert.Equal("review.suzhou", me.GetProperty("username").GetString());
        Assert.Contains("review", me.GetProperty("displayName").GetString());
        Assert.Equal("suzhou", me.GetProperty("organisation").GetProperty("code").GetString());
        Assert.Equal("苏州市生态环境局", me.GetProperty("organisation").GetProperty("nameZh").GetString());
        Assert.Equal(["review"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Usernames_are_not_case_sensitive()
    {
        var response = await Client().PostAsJsonAsync("/api/v1/auth/token", new { username = " Admin.Province ", password = "Demo#2026" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("review.suzhou", "demo#2026")]
    [InlineData("nobody.suzhou", "Demo#2026")]
    public async Task A_wrong_password_or_unknown_user_is_401_with_the_same_answer(string username, string password)
    {
        var response = await Client().PostAsJsonAsync("/api/v1/auth/token", new { username, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("用户名或密码错误", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Missing_fields_are_400_naming_each_field()
    {
        var response = await Client().PostAsJsonAsync("/api/v1/auth/token", new { username = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["用户名不能为空"], await response.FieldErrorsAsync("username"));
        Assert.Equal(["密码不能为空"], await response.FieldErrorsAsync("password"));
    }

    [Fact]
    public async Task Problems_are_in_english_when_the_caller_asks_for_it()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token") { Content = JsonContent.Create(new { username = "x" }) };
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var response = await Client().SendAsync(request);

        Assert.Equal(["password is required"], await response.FieldErrorsAsync("password"));
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_400_naming_that_field()
    {
        var response = await Client().PostAsync("/api/v1/auth/token",
            new StringContent("""{"username": 123, "password": "x"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["“username”的值类型不正确"], await response.FieldErrorsAsync("username"));
    }

    [Theory]
    [InlineData("""{"username": "review.suzhou", """)]
    [InlineData("not json at all")]
    public async Task A_malformed_body_is_400_naming_the_body(string body)
    {
        var response = await Client().PostAsync("/api/v1/auth/token", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("请求体不是有效的 JSON", Assert.Single(await response.FieldErrorsAsync("body")));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_problem()
    {
        var response = await Client().PostAsync("/api/v1/auth/token",
            new FormUrlEncodedContent([new("username", "review.suzhou"), new("password", "Demo#2026")]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Single(await response.FieldErrorsAsync("body"));
    }

    [Fact]
    public async Task Without_a_token_me_is_401_problem_json()
    {
        var response = await Client().GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("需要登录", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_garbage_token_is_401()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "admin.province", ["role"] = "admin", ["org"] = "province" },
            Issuer = AuthSettings.Issuer,
            Audience = AuthSettings.Audience,
            Expires = DateTime.UnixEpoch.AddYears(100),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]), SecurityAlgorithms.HmacSha256),
        });
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        // A token issued by this host's own key and issuer, but with a lifetime that ended in 2020.
        var key = host.Factory.Services.GetRequiredService<TokenSigningKey>();
        var expired = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "review.suzhou", ["role"] = "review", ["org"] = "suzhou" },
            Issuer = AuthSettings.Issuer,
            Audience = AuthSettings.Audience,
            IssuedAt = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            NotBefore = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Expires = new DateTime(2020, 1, 1, 8, 0, 0, DateTimeKind.Utc),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", expired);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Null(host.Factory.Services.GetRequiredService<IConfiguration>()[TokenSigningKey.SigningKeyKey]);
    }
}
