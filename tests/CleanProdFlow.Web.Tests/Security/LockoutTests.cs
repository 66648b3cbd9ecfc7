using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CleanProdFlow.Web.Tests.Security;

public sealed class LockoutTests
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_even_against_the_right_one()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var factory = await CpfWebFactory.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var client = factory.CreateClient();
        Task<HttpResponseMessage> SignIn(string password) =>
            client.PostAsJsonAsync("/api/v1/auth/token", new { username = "approver.suzhou", password });

        for (var i = 0; i < 4; i++)
            Assert.Equal("用户名或密码错误", (await (await SignIn("wrong")).JsonAsync()).GetProperty("title").GetString());
        var fifth = await (await SignIn("wrong")).JsonAsync();
        var whileLocked = await SignIn(CpfWebFactory.Password);
        clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await SignIn(CpfWebFactory.Password);
        clock.Advance(TimeSpan.FromMinutes(1));
        var unlocked = await SignIn(CpfWebFactory.Password);

        Assert.Equal("账号已被临时锁定", fifth.GetProperty("title").GetString());
        Assert.Contains("北京时间", fifth.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, whileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stillLocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        // Other accounts were never affected.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/token",
            new { username = "approver.province", password = CpfWebFactory.Password })).StatusCode);
    }

    [Fact]
    public async Task A_correct_password_resets_the_count_of_wrong_ones()
    {
        await using var factory = await CpfWebFactory.StartAsync();
        var client = factory.CreateClient();
        Task<HttpResponseMessage> SignIn(string password) =>
            client.PostAsJsonAsync("/api/v1/auth/token", new { username = "review.province", password });

        for (var i = 0; i < 4; i++) await SignIn("wrong");
        Assert.Equal(HttpStatusCode.OK, (await SignIn(CpfWebFactory.Password)).StatusCode);
        for (var i = 0; i < 4; i++) await SignIn("wrong");

        Assert.Equal(HttpStatusCode.OK, (await SignIn(CpfWebFactory.Password)).StatusCode);
    }
}
