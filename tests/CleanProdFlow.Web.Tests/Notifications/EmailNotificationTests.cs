using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Notifications;
using CleanProdFlow.Web.Tests.Workflows;
using MimeKit;
using netDumbster.smtp;

namespace CleanProdFlow.Web.Tests.Notifications;

/// <summary>Hosts that send notification e-mail to a local SMTP sink (netDumbster on 127.0.0.1, a free port).</summary>
public sealed class SmtpSinkHostsFixture : HostsPerProvider, IDisposable
{
    public SimpleSmtpServer Sink { get; } = SimpleSmtpServer.Start(FreePort.Next());

    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: EmailSettings.For(Sink.Configuration.Port));

    public void Dispose() => Sink.Dispose();
}

/// <summary>Hosts whose SMTP server refuses every connection (554 in its greeting), counting the attempts.</summary>
public sealed class RefusingSmtpHostsFixture : HostsPerProvider, IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public RefusingSmtpHostsFixture()
    {
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    private int _connections;

    /// <summary>Connections so far; the providers' hosts share the server, so a test counts its own difference.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    protected override Task<CpfWebFactory> StartAsync(DatabaseProvider provider) =>
        CpfWebFactory.StartAsync(provider, settings: EmailSettings.For(Port));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("554 5.3.2 Service not available, closing transmission channel\r\n"), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}

internal static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

internal static class EmailSettings
{
    public static Dictionary<string, string?> For(int port)
    {
        var settings = WorkflowApi.VirtualClock();
        settings[NotificationSettings.HostKey] = "127.0.0.1";
        settings[NotificationSettings.PortKey] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[NotificationSettings.SecurityKey] = "None";
        settings[NotificationSettings.FromKey] = "清洁生产审批系统 <cpf@sthjt.example.cn>";
        settings[NotificationSettings.TimeoutKey] = "10";
        settings[NotificationSettings.MaxAttemptsKey] = "3";
        settings[NotificationSettings.RetryDelaysKey] = "1,2";
        return settings;
    }
}

/// <summary>Notification e-mail reaches a local SMTP sink exactly once, Chinese intact (UTF-8); bad addresses are refused.</summary>
public sealed class EmailNotificationTests(SmtpSinkHostsFixture hosts) : IClassFixture<SmtpSinkHostsFixture>
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_new_task_is_mailed_once_to_each_user_with_an_address(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        var user = $"mail{provider}.suzhou".ToLowerInvariant();
        await host.EnsureUserAsync(user, "suzhou", "review");
        var address = $"{user}@example.cn";
        var me = await host.SignedInAsync(user);

        // Bad addresses are refused with the field named, and change nothing.
        foreach (var bad in new[] { "not-an-address", "a@b@c", "张三 <zhang@example.cn>", new string('x', 250) + "@example.cn" })
        {
            var refused = await me.SetEmailAsync(bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _), bad);
        }
        Assert.Equal(JsonValueKind.Null, (await (await me.GetAsync("/api/v1/me/email")).JsonAsync()).GetProperty("email").ValueKind);
        var set = await me.SetEmailAsync(address);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(address, (await set.JsonAsync()).GetProperty("email").GetString());
        Assert.Equal(address, (await (await me.GetAsync("/api/v1/me/email")).JsonAsync()).GetProperty("email").GetString());

        // An administrator of another city cannot set it (404: not theirs); the province's can; others are refused (403).
        var provinceAdmin = await host.SignedInAsync("admin.province");
        await host.EnsureUserAsync("admin.nanjing", "nanjing", "admin");
        var nanjing = await host.SignedInAsync("admin.nanjing");
        Assert.Equal(HttpStatusCode.NotFound, (await nanjing.PutAsJsonAsync($"/api/v1/admin/users/{user}/email", new { email = "x@example.cn" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await me.PutAsJsonAsync($"/api/v1/admin/users/{user}/email", new { email = "x@example.cn" })).StatusCode);
        var byProvince = await provinceAdmin.PutAsJsonAsync($"/api/v1/admin/users/{user}/email", new { email = address });
        Assert.Equal(HttpStatusCode.OK, byProvince.StatusCode);

        var admin = await host.SignedInAsync("admin.province");
        var key = TestDefinitions.NewKey("notify-mail");
        await admin.DeployAsync(TestDefinitions.SingleTask(key));
        var starter = await host.SignedInAsync("review.suzhou");
        var instance = await starter.StartAsync(key, $"邮件-{provider}");
        var task = await starter.OpenTaskAsync(instance, "check");

        var notification = await host.ArrivedAsync(user, "task", $"/tasks/{task:D}");
        var id = notification.GetProperty("id").GetInt64();
        await Eventually.UntilAsync<bool>(async () =>
            (await host.NotificationsAsync(user)).Single(n => n.GetProperty("id").GetInt64() == id).GetProperty("emailStatus").GetString() == "sent" ? true : null,
            "the e-mail marked sent");
        var mails = Received(address);
        var mail = Assert.Single(mails);

        // Chinese subject and body arrive intact: the subject is RFC 2047 UTF-8, the body UTF-8.
        var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data)));
        Assert.Equal(notification.GetProperty("titleZh").GetString(), message.Subject);
        Assert.StartsWith("【新待办】核查", message.Subject);
        Assert.Contains($"邮件-{provider}", message.Subject);
        Assert.Contains("=?utf-8?", mail.Data, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("测试：单一任务：核查", message.TextBody);
        Assert.Contains($"/tasks/{task:D}", message.TextBody);
        Assert.Equal("cpf@sthjt.example.cn", ((MailboxAddress)message.From[0]).Address);
        Assert.Equal("清洁生产审批系统", message.From[0].Name);

        // The mail job and the fan-out delivered again: nothing more is sent.
        await host.Service<NotificationMail>().SendAsync(id, CancellationToken.None);
        await host.Service<NotificationOutbox>().DeliverAsync(CancellationToken.None);
        Assert.Single(Received(address));
        // Users of the group without an address get the notification in the product only.
        Assert.Contains(await host.NotificationsAsync("review.suzhou"), n => n.GetProperty("link").GetString() == $"/tasks/{task:D}"
            && n.GetProperty("emailStatus").ValueKind == JsonValueKind.Null);
    }

    private List<SmtpMessage> Received(string address) =>
        hosts.Sink.ReceivedEmail.Where(m => m.ToAddresses.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();
}

/// <summary>An SMTP server that refuses: the workflow goes on; the e-mail is tried a bounded number of times with back-off, then given up with its error shown to administrators.</summary>
public sealed class RefusedEmailTests(RefusingSmtpHostsFixture hosts) : IClassFixture<RefusingSmtpHostsFixture>
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_refusing_server_is_retried_and_given_up_without_blocking_the_step(DatabaseProvider provider)
    {
        var host = await hosts.HostAsync(provider);
        await OneAtATime.WaitAsync(); // the connection count is shared by the providers' hosts
        try
        {
            var user = $"refused{provider}.suzhou".ToLowerInvariant();
            await host.EnsureUserAsync(user, "suzhou", "review");
            Assert.Equal(HttpStatusCode.OK, (await (await host.SignedInAsync(user)).SetEmailAsync($"{user}@example.cn")).StatusCode);
            var admin = await host.SignedInAsync("admin.province");
            var key = TestDefinitions.NewKey("notify-refused");
            await admin.DeployAsync(TestDefinitions.SingleTask(key));
            var connectionsBefore = hosts.Connections;

            var starter = await host.SignedInAsync("review.suzhou");
            var instance = await starter.StartAsync(key, $"拒收-{provider}");
            var task = await starter.OpenTaskAsync(instance, "check");
            var notification = await host.ArrivedAsync(user, "task", $"/tasks/{task:D}");
            var id = notification.GetProperty("id").GetInt64();

            // The workflow goes on while the e-mail fails: the task is completed normally.
            Assert.Equal(HttpStatusCode.OK, (await (await host.SignedInAsync(user)).CompleteAsync(task, new { })).StatusCode);

            var failed = await Eventually.UntilAsync<JsonElement>(async () =>
            {
                var n = (await host.NotificationsAsync(user)).Single(x => x.GetProperty("id").GetInt64() == id);
                return n.GetProperty("emailStatus").GetString() == "failed" ? n : null;
            }, "the e-mail given up after its attempts", TimeSpan.FromSeconds(60));
            Assert.Equal("failed", failed.GetProperty("emailStatus").GetString());
            Assert.Equal(3, hosts.Connections - connectionsBefore); // bounded: exactly MaxAttempts

            var deliveries = await (await admin.GetAsync("/api/v1/admin/notification-emails")).JsonAsync();
            var delivery = deliveries.EnumerateArray().Single(d => d.GetProperty("notificationId").GetInt64() == id);
            Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
            Assert.Equal("failed", delivery.GetProperty("status").GetString());
            Assert.Contains("554", delivery.GetProperty("lastError").GetString());
            Assert.Equal($"{user}@example.cn", delivery.GetProperty("emailTo").GetString());

            // Only administrators see deliveries; a bad limit is a 400 naming it.
            Assert.Equal(HttpStatusCode.Forbidden, (await starter.GetAsync("/api/v1/admin/notification-emails")).StatusCode);
            var bad = await admin.GetAsync("/api/v1/admin/notification-emails?limit=0");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("limit", out _));
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
