using System.Net;
using System.Net.Http.Json;
using CleanProdFlow.Data.Database;
using Microsoft.Extensions.DependencyInjection;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>The virtual clock: reading it, moving it (by a duration or to an instant), refusing bad moves.</summary>
public sealed class VirtualClockTests(VirtualHostsFixture hosts) : IClassFixture<VirtualHostsFixture>
{
    [Fact]
    public async Task The_clock_reads_virtual_time_in_beijing_time()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var reviewer = await host.SignedInAsync("review.suzhou");

        var clock = await (await reviewer.GetAsync("/api/v1/clock")).JsonAsync();

        Assert.Equal("virtual", clock.GetProperty("mode").GetString());
        var now = clock.GetProperty("now").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(8), now.Offset);
        Assert.True(now >= DateTimeOffset.Parse(WorkflowApi.VirtualStart, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"by":"P1D","to":"2030-01-01T00:00:00+08:00"}""", "by")]
    [InlineData("""{"by":"P1D","to":"2030-01-01T00:00:00+08:00"}""", "to")]
    [InlineData("""{}""", "by")]
    [InlineData("""{"by":"-P1D"}""", "by")]
    [InlineData("""{"by":"PT0S"}""", "by")]
    [InlineData("""{"by":"three days"}""", "by")]
    [InlineData("""{"by":3}""", "by")]
    [InlineData("""{"to":"2020-01-01T00:00:00+08:00"}""", "to")]
    [InlineData("""{"to":"2030-01-01T00:00:00"}""", "to")]
    [InlineData("""{"to":"next monday"}""", "to")]
    public async Task A_bad_move_is_a_400_naming_the_field_and_the_clock_stays(string body, string field)
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var admin = await host.SignedInAsync("admin.province");
        var before = (await (await admin.GetAsync("/api/v1/clock")).JsonAsync()).GetProperty("now").GetDateTimeOffset();

        var response = await admin.PostAsync("/api/v1/clock/advance", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty(await response.FieldErrorsAsync(field));
        var after = (await (await admin.GetAsync("/api/v1/clock")).JsonAsync()).GetProperty("now").GetDateTimeOffset();
        Assert.True(after - before < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Only_administrators_move_the_clock()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var response = await (await host.SignedInAsync("review.suzhou")).AdvanceAsync(new { by = "P1D" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Moving_to_an_instant_fires_what_fell_due_and_nothing_else()
    {
        var host = await hosts.HostAsync(DatabaseProvider.Sqlite);
        var admin = await host.SignedInAsync("admin.province");
        var key = TestDefinitions.NewKey("wait");
        await admin.DeployAsync(TestDefinitions.TimerThenTask(key));
        var reviewer = await host.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);
        var due = (await reviewer.JournalAsync(instanceId)).Single(j => j.GetProperty("kind").GetString() == "timer.armed")
            .GetProperty("data").GetProperty("dueAt").GetDateTimeOffset();

        // Shipped timer start events (the daily re-audit sweep of audit-reaudit) fall due while the clock moves days:
        // they fire too; this instance's timer does not.
        async Task<int> StartTimersFiredAsync()
        {
            await using var connection = await host.Service<CleanProdFlow.Data.Database.CpfDatabase>().OpenAsync();
            return await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM workflow_timers WHERE instance_id IS NULL AND status = 'fired'");
        }
        var startTimersBefore = await StartTimersFiredAsync();
        var early = await admin.AdvanceAsync(new { to = due.AddHours(-1).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:sszzz") });
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Equal(await StartTimersFiredAsync() - startTimersBefore, (await early.JsonAsync()).GetProperty("timersFired").GetInt32());
        reviewer = await host.SignedInAsync("review.suzhou"); // three days passed: the old token expired
        admin = await host.SignedInAsync("admin.province");
        Assert.Equal(["wait"], (await reviewer.InstanceAsync(instanceId)).GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));

        var late = await admin.AdvanceAsync(new { to = due.AddMinutes(1).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:sszzz") });
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var body = await late.JsonAsync();
        Assert.True(body.GetProperty("timersFired").GetInt32() >= 1);
        Assert.True(body.GetProperty("now").GetDateTimeOffset() >= due);
        reviewer = await host.SignedInAsync("review.suzhou");
        Assert.Equal(["after-wait"], (await reviewer.InstanceAsync(instanceId)).GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Single(await reviewer.JournalAsync(instanceId), j => j.GetProperty("kind").GetString() == "timer.fired");
    }
}

/// <summary>With the system clock (the default): no clock routes; a timer due soon fires from the timer pump.</summary>
public sealed class SystemClockTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Fact]
    public async Task With_the_system_clock_the_clock_api_is_404()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");

        var read = await admin.GetAsync("/api/v1/clock");
        var move = await admin.AdvanceAsync(new { by = "P3D" });

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, move.StatusCode);
        Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_workflow_api_without_the_clock()
    {
        var document = await (await host.Factory.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/v1/definitions", "/api/v1/definitions/{key}/versions/{version}/publish", "/api/v1/instances/{id}",
                     "/api/v1/instances/{id}/journal", "/api/v1/instances/{id}/migrate", "/api/v1/tasks", "/api/v1/tasks/{id}/complete", "/api/v1/messages" })
            Assert.True(paths.TryGetProperty(path, out _), $"the document lacks {path}");
        Assert.False(paths.TryGetProperty("/api/v1/clock", out _));
        var upload = paths.GetProperty("/api/v1/definitions").GetProperty("post");
        Assert.False(string.IsNullOrEmpty(upload.GetProperty("summary").GetString()));
        Assert.True(upload.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/xml", out _));
    }

    [Fact]
    public async Task A_timer_on_the_system_clock_fires_from_the_timer_pump()
    {
        var admin = await host.Factory.SignedInAsync("admin.province");
        var key = TestDefinitions.NewKey("real");
        await admin.DeployAsync(TestDefinitions.TimerThenTask(key, "PT2S"));
        var reviewer = await host.Factory.SignedInAsync("review.suzhou");
        var instanceId = await reviewer.StartAsync(key);

        // Fired by the pump (or by the next minute's sweep).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<string?> active;
        do
        {
            await Task.Delay(250);
            active = (await reviewer.InstanceAsync(instanceId)).GetProperty("activeElementIds").EnumerateArray().Select(e => e.GetString()).ToList();
        } while (active.SequenceEqual(["wait"]) && waited.Elapsed < TimeSpan.FromSeconds(90));
        Assert.True(active.SequenceEqual(["after-wait"]), "the timer did not fire");
        Assert.Single(await reviewer.JournalAsync(instanceId), j => j.GetProperty("kind").GetString() == "timer.fired");
    }
}
