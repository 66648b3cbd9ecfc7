using System.Net;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Notifications;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Notifications;
using CleanProdFlow.Web.Tests.Workflows;
using static CleanProdFlow.Web.Tests.Eia.EiaApi;

namespace CleanProdFlow.Web.Tests.Notifications;

/// <summary>
/// Issue 13 item 5 on SQLite and PostgreSQL with the virtual clock: a fast-track EIA case of a Suzhou enterprise
/// (report, 30 working days: half used at 10-24 00:00, three quarters at 11-05 00:00, the working day before due at
/// 11-13 00:00, due at 11-14 00:00 Beijing — the dates of EiaDeadlineTests) notifies the users of the groups of its
/// new tasks in Suzhou, the approvers at each reminder at that very instant, the holders of the clock's tasks at the
/// breach and the approvers of the escalation; nobody in Nanjing; once each, also when the fan-out or a timer is
/// delivered again.
/// </summary>
public sealed class NotificationTests(NotificationHostsFixture hosts) : IClassFixture<NotificationHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_fast_track_case_notifies_the_right_users_at_the_exact_instants_once(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await host.EnsureUserAsync("review2.suzhou", "suzhou", "review");
        await host.EnsureUserAsync("review.nanjing", "nanjing", "review");
        await host.EnsureUserAsync("approver.nanjing", "nanjing", "approver");

        var code = await host.EnterpriseAsync(eligible: true);
        var submitted = await host.AcceptedAsync(Application(code));
        Assert.Equal("fast", submitted.GetProperty("track").GetString());
        var caseNumber = submitted.GetProperty("caseNumber").GetString()!;
        var view = await (await host.As("review.suzhou")).CaseAsync(caseNumber);
        Assert.Equal(["assessment", "publish", "review"], view.OpenTasks());
        var reviewTask = view.TaskId("review");

        // New tasks: every user of the task's group in Suzhou, nobody in Nanjing, nobody of other groups.
        var forReview = await host.ArrivedAsync("review.suzhou", "task", $"/tasks/{reviewTask:D}");
        AssertAt(Eia.EiaHostsFixture.Acceptance, forReview);
        Assert.Contains("审查", forReview.GetProperty("titleZh").GetString());
        Assert.Contains(caseNumber, forReview.GetProperty("titleZh").GetString());
        Assert.Contains("2026-11-13", forReview.GetProperty("bodyZh").GetString()); // the task is due with the decision clock
        Assert.Null(forReview.GetProperty("readAt").GetString());
        Assert.Single(await host.NotificationsAsync("review2.suzhou"), n => n.GetProperty("link").GetString() == $"/tasks/{reviewTask:D}");
        await host.ArrivedAsync("publicity.suzhou", "task", $"/tasks/{view.TaskId("publish"):D}");
        await host.ArrivedAsync("assessment.suzhou", "task", $"/tasks/{view.TaskId("assessment"):D}");
        Assert.Empty(await host.NotificationsAsync("review.nanjing"));
        Assert.Empty(await host.NotificationsAsync("review.province"));
        Assert.Empty(await host.NotificationsAsync("approver.suzhou"));

        // Reminders: not a moment early, then at the instant itself, to the approvers of Suzhou only.
        await host.AdvanceToAsync("2026-10-23T23:59:00+08:00");
        Assert.Empty(await host.NotificationsAsync("approver.suzhou"));
        await host.AdvanceToAsync("2026-10-24T00:00:00+08:00");
        var half = await host.ArrivedAsync("approver.suzhou", "reminder.half");
        AssertAt("2026-10-24T00:00:00+08:00", half);
        Assert.StartsWith("【时限已用一半】审批时限提醒：已用一半", half.GetProperty("titleZh").GetString());
        Assert.StartsWith("[Half the time used]", half.GetProperty("titleEn").GetString());

        await host.AdvanceToAsync("2026-11-04T23:59:00+08:00");
        Assert.Equal(["reminder.half"], (await host.NotificationsAsync("approver.suzhou")).Kinds());
        await host.AdvanceToAsync("2026-11-05T00:00:00+08:00");
        var threeQuarters = await host.ArrivedAsync("approver.suzhou", "reminder.three-quarters");
        AssertAt("2026-11-05T00:00:00+08:00", threeQuarters);

        await host.AdvanceToAsync("2026-11-12T23:59:00+08:00");
        Assert.Equal(["reminder.half", "reminder.three-quarters"], (await host.NotificationsAsync("approver.suzhou")).Kinds());
        await host.AdvanceToAsync("2026-11-13T00:00:00+08:00");
        var dayBefore = await host.ArrivedAsync("approver.suzhou", "reminder.day-before");
        AssertAt("2026-11-13T00:00:00+08:00", dayBefore);

        // The breach: those who hold the clock's open tasks (review; the approvers' reminder tasks) hear of it, and the
        // approvers get the escalation task — at the due instant.
        await host.AdvanceToAsync("2026-11-13T23:59:00+08:00");
        Assert.DoesNotContain("breach", (await host.NotificationsAsync("review.suzhou")).Kinds());
        await host.AdvanceToAsync("2026-11-14T00:00:00+08:00");
        var breach = await host.ArrivedAsync("review.suzhou", "breach");
        AssertAt("2026-11-14T00:00:00+08:00", breach);
        Assert.Contains("2026-11-13", breach.GetProperty("bodyZh").GetString());
        Assert.Equal($"/cases/{view.InstanceId():D}", breach.GetProperty("link").GetString());
        await host.ArrivedAsync("review2.suzhou", "breach");
        var escalation = await host.ArrivedAsync("approver.suzhou", "escalation");
        AssertAt("2026-11-14T00:00:00+08:00", escalation);
        Assert.Contains("审批超期督办", escalation.GetProperty("titleZh").GetString());
        await host.ArrivedAsync("approver.suzhou", "breach");

        // Exactly these, once each, for each user; nothing in Nanjing or the province; the publicity and assessment
        // staff hold no task on the decision clock and hear only of their own tasks.
        Assert.Equal(["breach", "task"], (await host.NotificationsAsync("review.suzhou")).Kinds());
        Assert.Equal(["breach", "task"], (await host.NotificationsAsync("review2.suzhou")).Kinds());
        Assert.Equal(["breach", "escalation", "reminder.day-before", "reminder.half", "reminder.three-quarters"],
            (await host.NotificationsAsync("approver.suzhou")).Kinds());
        Assert.Equal(["task"], (await host.NotificationsAsync("publicity.suzhou")).Kinds());
        Assert.Equal(["task"], (await host.NotificationsAsync("assessment.suzhou")).Kinds());
        Assert.Empty(await host.NotificationsAsync("review.nanjing"));
        Assert.Empty(await host.NotificationsAsync("approver.nanjing"));
        Assert.Empty(await host.NotificationsAsync("approver.province"));

        // Newest first.
        var approverKinds = (await host.NotificationsAsync("approver.suzhou")).Select(n => n.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(approverKinds.OrderDescending(), approverKinds);

        // Delivered again — the outbox's delivery, and a fired timer — nothing new appears.
        var store = host.Service<NotificationStore>();
        Assert.Equal(0, await host.Service<NotificationOutbox>().DeliverAsync(CancellationToken.None));
        Assert.Equal(0, (await store.FanOutPendingAsync(NotificationOutbox.BatchSize, email: true, DateTimeOffset.UnixEpoch)).Events);
        var journal = (await (await host.As("review.suzhou")).CaseAsync(caseNumber)).GetProperty("journal").EnumerateArray()
            .Where(j => j.GetProperty("kind").GetString() == "timer.fired").ToList();
        Assert.Equal(4, journal.Count); // half, three quarters, day before, due
        var runtime = host.Service<WorkflowRuntime>();
        foreach (var fired in journal)
            Assert.False(await runtime.FireTimerAsync(Guid.Parse(fired.GetProperty("data").GetProperty("timerId").GetString()!)));
        Assert.Empty(await store.PendingEventsAsync());
        Assert.Equal(2, (await host.NotificationsAsync("review.suzhou")).Count);
        Assert.Equal(5, (await host.NotificationsAsync("approver.suzhou")).Count);
    }

    /// <summary>
    /// Made when the virtual clock reached <paramref name="instant"/>: the clock runs on with the real time between
    /// moves, so a notification made by the move is stamped at the instant plus the moments the move took.
    /// </summary>
    private static void AssertAt(string instant, JsonElement notification)
    {
        var expected = At(instant);
        var createdAt = notification.GetProperty("createdAt").GetDateTimeOffset();
        Assert.True(createdAt >= expected && createdAt < expected.AddMinutes(5), $"made at {createdAt:O}, expected at {expected:O}");
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_user_reads_pages_and_marks_only_their_own_notifications(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var admin = await host.As("admin.province");
        var key = TestDefinitions.NewKey("notify-read");
        await admin.DeployAsync(TestDefinitions.SingleTask(key));
        await host.EnsureUserAsync("reader.suzhou", "suzhou", "review");
        var starter = await host.As("review.suzhou");
        var tasks = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var instance = await starter.StartAsync(key, $"N-{i}");
            tasks.Add(await starter.OpenTaskAsync(instance, "check"));
        }
        foreach (var task in tasks)
            await host.ArrivedAsync("reader.suzhou", "task", $"/tasks/{task:D}");

        var reader = await host.As("reader.suzhou");
        var before = await host.UnreadCountAsync("reader.suzhou");
        Assert.True(before >= 3);

        // Keyset pages of one, newest first, reach every notification once.
        var first = await (await reader.GetAsync("/api/v1/notifications?limit=1")).JsonAsync();
        Assert.Single(first.GetProperty("notifications").EnumerateArray());
        var all = await host.NotificationsAsync("reader.suzhou");
        var paged = new List<long>();
        string? after = null;
        do
        {
            var page = await (await reader.GetAsync("/api/v1/notifications?limit=1" + (after is null ? "" : $"&after={after}"))).JsonAsync();
            paged.AddRange(page.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("id").GetInt64()));
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }
        while (after is not null);
        Assert.Equal(all.Select(n => n.GetProperty("id").GetInt64()), paged);

        // Marking one read; another user's notification is a 404 and stays unread.
        var mine = all.First(n => n.GetProperty("link").GetString() == $"/tasks/{tasks[0]:D}").GetProperty("id").GetInt64();
        var read = await reader.PostAsync($"/api/v1/notifications/{mine}/read", null);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotNull((await read.JsonAsync()).GetProperty("readAt").GetString());
        Assert.Equal(before - 1, await host.UnreadCountAsync("reader.suzhou"));
        Assert.DoesNotContain(await host.NotificationsAsync("reader.suzhou", unreadOnly: true), n => n.GetProperty("id").GetInt64() == mine);

        var theirs = (await host.NotificationsAsync("review.suzhou")).First(n => n.GetProperty("link").GetString() == $"/tasks/{tasks[1]:D}");
        var other = await host.As("reader.suzhou");
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/notifications/{theirs.GetProperty("id").GetInt64()}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync("/api/v1/notifications/999999999/read", null)).StatusCode);
        Assert.Contains(await host.NotificationsAsync("review.suzhou", unreadOnly: true), n => n.GetProperty("id").GetInt64() == theirs.GetProperty("id").GetInt64());

        // Bad input: 400 naming the field, in both languages.
        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=abc", "limit"), ("unread=perhaps", "unread"), ("after=xyz", "after") })
        {
            var bad = await reader.GetAsync($"/api/v1/notifications?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
        var english = await host.InEnglishAsync("reader.suzhou");
        var badEnglish = await (await english.GetAsync("/api/v1/notifications?limit=1000")).JsonAsync();
        Assert.Contains("limit must be", badEnglish.GetProperty("errors").GetProperty("limit")[0].GetString());

        // Read all.
        var all2 = await reader.PostAsync("/api/v1/notifications/read-all", null);
        Assert.Equal(HttpStatusCode.OK, all2.StatusCode);
        Assert.Equal(0, (await all2.JsonAsync()).GetProperty("unread").GetInt32());
        Assert.Equal(0, await host.UnreadCountAsync("reader.suzhou"));
        Assert.NotEqual(0, await host.UnreadCountAsync("review.suzhou"));

        // Without a sign-in: 401.
        var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/notifications/unread-count")).StatusCode);
    }
}
