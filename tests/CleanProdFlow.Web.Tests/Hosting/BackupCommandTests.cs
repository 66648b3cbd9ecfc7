using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Web.Eia;
using CleanProdFlow.Web.Hosting;
using CleanProdFlow.Web.Tests.Eia;
using CleanProdFlow.Web.Tests.Workflows;
using Microsoft.Extensions.Configuration;

namespace CleanProdFlow.Web.Tests.Hosting;

/// <summary>
/// <c>backup &lt;file&gt;</c> (issue 12 item 7): an online copy of the SQLite database while the host runs, which a host
/// started on it runs on — its cases, tasks and pending timers are there and the timers fire — and clear refusals
/// (exit code 2, nothing written) for a bad path, an existing file and a PostgreSQL configuration.
/// </summary>
public sealed class BackupCommandTests
{
    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static IConfiguration SqliteAt(string file) =>
        Settings((DatabaseSettings.ProviderKey, "Sqlite"), (DatabaseSettings.ConnectionStringKey, $"Data Source={file}"));

    [Fact]
    public async Task A_backup_taken_while_the_host_runs_restores_to_a_host_with_the_cases_and_their_timers()
    {
        await using var database = TestDatabase.CreateSqlite();
        var file = Path.Combine(Path.GetTempPath(), "cpf-backup-tests", Guid.NewGuid().ToString("N"), "copy.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.Settings.ConnectionString).DataSource;
        string caseNumber;
        Guid instanceId;
        int pendingTimers;
        await using (var host = CpfWebFactory.StartOn(database, WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance)))
        {
            var answer = await host.AcceptedAsync(EiaApi.Application(await host.EnterpriseAsync(eligible: true)));
            caseNumber = answer.GetProperty("caseNumber").GetString()!;
            instanceId = answer.GetProperty("instanceId").GetGuid();
            pendingTimers = (await host.Service<IWorkflowStore>().DueTimersAsync(DateTimeOffset.MaxValue, 1000)).Count(t => t.InstanceId == instanceId);
            Assert.True(pendingTimers > 0);

            // Online: the host is running (and holds its connections) while the copy is taken.
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.Equal(0, await BackupCommand.RunAsync(["backup", file], SqliteAt(source), output, error));
            Assert.Contains("integrity ok", output.ToString());
            Assert.Equal("", error.ToString());
        }

        // Restore = start on the copy (README "Backups": stop, replace the file, start).
        await using var restored = CpfWebFactory.StartOn(database, new Dictionary<string, string?>(WorkflowApi.VirtualClock(EiaHostsFixture.Acceptance))
        {
            [DatabaseSettings.ConnectionStringKey] = $"Data Source={file}",
        });
        Assert.Equal(file, new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(restored.Service<CpfDatabase>().Settings.ConnectionString).DataSource);
        var caseView = await (await restored.As("acceptance.suzhou")).CaseAsync(caseNumber);
        Assert.Equal(instanceId, caseView.InstanceId());
        Assert.Equal(["assessment", "publish", "review"], caseView.OpenTasks());
        var store = restored.Service<IWorkflowStore>();
        Assert.Equal(pendingTimers, (await store.DueTimersAsync(DateTimeOffset.MaxValue, 1000)).Count(t => t.InstanceId == instanceId));
        Assert.Equal(EiaWorkflowStart.InstanceIdOf(caseNumber), instanceId);

        // The restored timers fire: long after the decision clock's due date, its reminders and the breach are there.
        await restored.AdvanceToAsync("2026-12-10T09:00:00+08:00");
        var later = await (await restored.As("acceptance.suzhou")).CaseAsync(caseNumber);
        Assert.True(later.Fired("half-used"));
        Assert.True(later.Fired("decision-due"));
        Assert.Contains("remind-half", later.OpenTasks());
        Assert.DoesNotContain(await store.DueTimersAsync(DateTimeOffset.MaxValue, 1000), t => t.InstanceId == instanceId);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public async Task A_bad_path_or_an_existing_file_is_refused_and_nothing_is_written()
    {
        await using var database = TestDatabase.CreateSqlite();
        await new DatabaseMigrator(database.Database, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.Settings.ConnectionString).DataSource;
        var folder = Path.Combine(Path.GetTempPath(), "cpf-backup-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var existing = Path.Combine(folder, "existing.db");
        await File.WriteAllTextAsync(existing, "keep me");

        foreach (var (args, message) in new (string[], string)[]
                 {
                     (["backup"], "usage: backup <file>"),
                     (["backup", Path.Combine(folder, "no-such-folder", "copy.db")], "does not exist"),
                     (["backup", existing], "exists already"),
                     (["backup", source], "exists already"),
                 })
        {
            var error = new StringWriter();
            Assert.Equal(2, await BackupCommand.RunAsync(args, SqliteAt(source), TextWriter.Null, error));
            Assert.Contains(message, error.ToString());
        }
        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
        Assert.Equal(["existing.db"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));

        var missing = new StringWriter();
        Assert.Equal(2, await BackupCommand.RunAsync(["backup", Path.Combine(folder, "copy.db")], SqliteAt(Path.Combine(folder, "none.db")), TextWriter.Null, missing));
        Assert.Contains("there is no database at", missing.ToString());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_PostgreSQL_configuration_is_told_to_use_pg_dump()
    {
        var error = new StringWriter();
        var code = await BackupCommand.RunAsync(["backup", Path.Combine(Path.GetTempPath(), "never.db")],
            Settings((DatabaseSettings.ProviderKey, "Postgres"), (DatabaseSettings.ConnectionStringKey, "Host=127.0.0.1;Username=postgres;Database=cpf")),
            TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.Contains("pg_dump", error.ToString());
        Assert.Contains("SQLite database only", error.ToString());
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "never.db")));
    }
}
