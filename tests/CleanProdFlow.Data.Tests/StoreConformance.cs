using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using CleanProdFlow.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Data.Tests;

/// <summary>
/// What the data layer promises, written once and run on every provider (one subclass each). A provider whose
/// server is not configured is skipped with the reason (see <see cref="TestDatabase"/>).
/// </summary>
public abstract class StoreConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private async Task<TestDatabase> MigratedDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        await Migrator(database).MigrateAsync();
        return database;
    }

    private static DatabaseMigrator Migrator(TestDatabase database) =>
        new(database.Database, NullLogger<DatabaseMigrator>.Instance);

    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 4, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Migrating_an_empty_database_runs_every_script_and_a_second_run_runs_none()
    {
        await using var database = await TestDatabase.CreateAsync(Provider);
        var first = await Migrator(database).MigrateAsync();
        var second = await Migrator(database).MigrateAsync();

        Assert.Equal(DatabaseMigrator.ScriptsOf(Provider), first);
        Assert.Empty(second);
    }

    [SkippableFact]
    public async Task A_database_with_a_script_this_build_does_not_know_is_refused()
    {
        await using var database = await MigratedDatabaseAsync();
        var future = $"db/{DatabaseMigrator.FolderOf(Provider)}/9999_from_a_newer_version.sql";
        await using (var connection = await database.Database.OpenAsync())
        {
            await connection.ExecuteAsync(
                $"INSERT INTO {database.Database.Dialect.SchemaJournalTable} (scriptname, applied) VALUES (@future, @applied)",
                new { future, applied = Noon });
        }

        var refusal = await Assert.ThrowsAsync<StartupException>(() => Migrator(database).MigrateAsync());

        Assert.Contains("newer", refusal.Problem);
        Assert.Contains("9999_from_a_newer_version", refusal.Problem);
        Assert.Equal(DatabaseSettings.ConnectionStringKey, refusal.Setting);
    }

    [SkippableFact]
    public async Task Ping_answers_on_a_reachable_database()
    {
        await using var database = await MigratedDatabaseAsync();
        await database.Database.PingAsync();
    }

    [SkippableFact]
    public async Task A_created_user_is_found_with_its_roles_and_instant_unchanged()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new UserStore(database.Database);
        var createdAt = new DateTimeOffset(2026, 11, 24, 10, 15, 30, 123, TimeSpan.FromHours(8)).AddTicks(4567);

        var created = await store.CreateAsync("Review.Suzhou", "苏州 审查员", "suzhou",
            ["review", "acceptance", "review"], "hash-1", createdAt, "admin.province");
        var found = await store.FindByUsernameAsync("review.suzhou");

        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Id);
        Assert.Equal("review.suzhou", found.Username);
        Assert.Equal("苏州 审查员", found.DisplayName);
        Assert.Equal("suzhou", found.OrganisationCode);
        Assert.Equal(["acceptance", "review"], found.Roles);
        Assert.Equal("hash-1", found.PasswordHash);
        Assert.True(found.IsActive);
        Assert.Equal("admin.province", found.CreatedBy);
        // Stored in UTC to the microsecond: 02:15:30.1234567Z is read back as 02:15:30.123456Z.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 2, 15, 30, 123, TimeSpan.Zero).AddTicks(4560), found.CreatedAt);
        Assert.Equal(TimeSpan.Zero, found.CreatedAt.Offset);
    }

    [SkippableFact]
    public async Task An_unknown_username_finds_nobody()
    {
        await using var database = await MigratedDatabaseAsync();
        Assert.Null(await new UserStore(database.Database).FindByUsernameAsync("nobody.suzhou"));
        Assert.False(await new UserStore(database.Database).ExistsAsync("nobody.suzhou"));
    }

    [SkippableFact]
    public async Task A_second_user_with_the_same_name_is_refused_and_nothing_is_stored()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new UserStore(database.Database);
        await store.CreateAsync("approver.wuxi", "甲", "wuxi", ["approver"], "h", Noon, "test");

        var refusal = await Assert.ThrowsAsync<DuplicateUsernameException>(() =>
            store.CreateAsync("APPROVER.wuxi", "乙", "suzhou", ["review"], "h", Noon, "test"));

        Assert.Equal("approver.wuxi", refusal.Username);
        var users = await store.ListAsync(null, null, 10);
        var only = Assert.Single(users);
        Assert.Equal("甲", only.DisplayName);
        Assert.Equal(["approver"], only.Roles);
    }

    [SkippableFact]
    public async Task Wrong_passwords_count_up_and_lock_at_the_threshold_and_a_success_clears_them()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new UserStore(database.Database);
        await store.CreateAsync("enforcement.wuxi", "执法", "wuxi", ["enforcement"], "h", Noon, "test");
        var lockUntil = Noon.AddMinutes(15);

        var first = await store.RecordFailedSignInAsync("enforcement.wuxi", 3, lockUntil);
        await store.RecordFailedSignInAsync("enforcement.wuxi", 3, lockUntil);
        var third = await store.RecordFailedSignInAsync("enforcement.wuxi", 3, lockUntil);
        await store.RecordSuccessfulSignInAsync("enforcement.wuxi");
        var cleared = await store.FindByUsernameAsync("enforcement.wuxi");

        Assert.Equal(1, first!.FailedSignIns);
        Assert.Null(first.LockedUntil);
        Assert.Equal(3, third!.FailedSignIns);
        Assert.Equal(lockUntil, third.LockedUntil);
        Assert.True(third.IsLockedAt(Noon));
        Assert.False(third.IsLockedAt(lockUntil));
        Assert.Equal(0, cleared!.FailedSignIns);
        Assert.Null(cleared.LockedUntil);
    }

    [SkippableFact]
    public async Task A_clock_is_stored_with_its_due_date_and_a_stale_update_is_refused()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new ClockStore(database.Database);
        var calendar = WorkingDayCalendar.Provisional();
        var start = new DateTimeOffset(2030, 3, 4, 9, 0, 0, TimeSpan.FromHours(8));
        var clock = Clock.Start(new TimeLimit(10, PeriodUnit.WorkingDays), false, start, calendar).Value;

        var created = await store.CreateAsync("instance:7/decision", clock, start);
        var paused = clock.Pause(start.AddDays(2), "专家评审", "《行政许可法》第四十五条", calendar).Value;
        var first = await store.ReplaceAsync(created, paused, start.AddDays(2), null);
        var stale = await store.ReplaceAsync(created, clock, start.AddDays(3), null);
        var found = await store.FindAsync("instance:7/decision");
        var unfinished = await store.ListUnfinishedAsync(0, 10);

        Assert.True(first);
        Assert.False(stale);
        Assert.Equal(ClockState.Paused, found!.Clock.State);
        Assert.Null(found.Clock.DueDate);
        Assert.Equal(2, found.RowVersion);
        Assert.Equal(created.Id, Assert.Single(unfinished).Id);
        Assert.Equal(0, await store.RecomputationCountAsync(created.Id));
    }

    [SkippableFact]
    public async Task Rule_versions_are_added_never_overwritten_and_a_concurrent_version_is_refused()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new TimeLimitRuleStore(database.Database);

        Assert.True(await store.AddVersionAsync("eia.decision.form", 0, "{\"limit\":30}", Noon, "workflows/time-limits.json", "shipped"));
        Assert.True(await store.AddVersionAsync("eia.decision.form", 1, "{\"limit\":20}", Noon.AddDays(1), "admin.province", "省厅决定"));
        Assert.False(await store.AddVersionAsync("eia.decision.form", 1, "{\"limit\":25}", Noon.AddDays(1), "admin.suzhou", "late"));

        var current = Assert.Single(await store.CurrentAsync());
        Assert.Equal(2, current.Version);
        Assert.Equal("{\"limit\":20}", current.Definition);
        Assert.Equal(["workflows/time-limits.json", "admin.province"], (await store.HistoryAsync("eia.decision.form")).Select(v => v.RecordedBy));
    }

    [SkippableFact]
    public async Task Calendar_years_keep_every_version_and_the_latest_applies()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new CalendarYearStore(database.Database);

        Assert.Equal(1, await store.AddAsync("cn-mainland", 2027, "{\"v\":1}", Noon, "admin.province"));
        Assert.Equal(2, await store.AddAsync("cn-mainland", 2027, "{\"v\":2}", Noon.AddDays(1), "admin.province"));
        Assert.Equal(1, await store.AddAsync("cn-mainland", 2028, "{\"v\":1}", Noon.AddDays(2), "admin.province"));

        var latest = await store.LatestAsync("cn-mainland");
        Assert.Equal([(2027, 2), (2028, 1)], latest.Select(y => (y.Year, y.Version)));
        Assert.Equal("{\"v\":2}", latest[0].Document);
    }

    private static Enterprise Company(string code, string city = "suzhou", bool online = true) =>
        new(code, "苏州测试化工有限公司", city, "工业园区", "化工", "星湖街1号", online);

    [SkippableFact]
    public async Task Enterprises_upsert_changes_only_what_differs_and_facts_read_back_with_their_dates()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new EnterpriseStore(database.Database);
        var a = Company("91320500000000011A");
        var b = Company("91320500000000022B", "wuxi");

        var first = await store.UpsertAsync([a, b], Noon, "import");
        var again = await store.UpsertAsync([a, b], Noon.AddDays(1), "import");
        var changed = await store.UpsertAsync([a with { Name = "苏州新名称有限公司" }], Noon.AddDays(2), "admin.suzhou");
        await store.AddAuditResultsAsync([new AuditResult(a.CreditCode, new DateOnly(2025, 6, 30), AuditLevel.II, "苏州市生态环境局", "苏环验〔2025〕1号")], Noon, "t");
        var duplicateAudit = await store.AddAuditResultsAsync([new AuditResult(a.CreditCode, new DateOnly(2025, 6, 30), AuditLevel.II, "苏州市生态环境局", "苏环验〔2025〕1号")], Noon, "t");
        await store.AddPenaltyAsync(a.CreditCode, new Penalty("苏环罚〔2024〕5号", new DateOnly(2024, 2, 29), "苏州市生态环境局", true, false), Noon, "t");
        await Assert.ThrowsAsync<DuplicateFactException>(() =>
            store.AddPenaltyAsync(a.CreditCode, new Penalty("苏环罚〔2024〕5号", new DateOnly(2024, 3, 1), "x", true, false), Noon, "t"));
        Assert.True(await store.AnnulPenaltyAsync(a.CreditCode, "苏环罚〔2024〕5号"));
        var decision = EligibilityDecision.Evaluate(new DateOnly(2026, 11, 24), await store.AuditResultsAsync(a.CreditCode), await store.PenaltiesAsync(a.CreditCode));
        await store.RecordEligibilityAsync(a.CreditCode, decision, "test", Noon, "t");

        Assert.Equal((2, 0), first);
        Assert.Equal((0, 0), again);
        Assert.Equal((0, 1), changed);
        Assert.Equal("苏州新名称有限公司", (await store.FindAsync(a.CreditCode))!.Enterprise.Name);
        Assert.Equal(0, duplicateAudit);
        Assert.Equal(AuditLevel.II, Assert.Single(await store.AuditResultsAsync(a.CreditCode)).Level);
        var penalty = Assert.Single(await store.PenaltiesAsync(a.CreditCode));
        Assert.Equal(new DateOnly(2024, 2, 29), penalty.DecidedOn);
        Assert.True(penalty.Annulled);
        var recorded = Assert.Single(await store.EligibilityHistoryAsync(a.CreditCode));
        Assert.True(recorded.Decision.Eligible);
        Assert.Equal(new DateOnly(2026, 11, 24), recorded.Decision.AsOf);
        Assert.Equal(["91320500000000011A"], (await store.ListAsync("suzhou", null, 10)).Select(e => e.Enterprise.CreditCode));
    }

    [SkippableFact]
    public async Task Certificate_numbers_are_a_gap_free_yearly_sequence_and_a_revocation_ends_list_memberships()
    {
        await using var database = await MigratedDatabaseAsync();
        var enterprises = new EnterpriseStore(database.Database);
        var register = new RegisterStore(database.Database);
        await enterprises.UpsertAsync([Company("91320500000000011A"), Company("91320500000000022B"), Company("91320500000000033C")], Noon, "t");

        var first = await register.AdmitAsync("91320500000000011A", 2026, new DateOnly(2026, 11, 24), Noon, "approver.province");
        var second = await register.AdmitAsync("91320500000000022B", 2026, new DateOnly(2026, 11, 24), Noon, "approver.province");
        var nextYear = await register.AdmitAsync("91320500000000033C", 2027, new DateOnly(2027, 1, 4), Noon, "approver.province");
        var twice = await register.AdmitAsync("91320500000000011A", 2026, new DateOnly(2026, 11, 25), Noon, "approver.province");
        Assert.True(await register.AddToListAsync("emergency-exemption", "91320500000000011A", "先进企业", Noon, "t"));
        Assert.False(await register.AddToListAsync("emergency-exemption", "91320500000000011A", "again", Noon, "t"));
        Assert.True(await register.RevokeAsync("91320500000000011A", new DateOnly(2026, 12, 1), "较大环境污染事故", Noon.AddDays(7), "approver.province"));
        Assert.False(await register.RevokeAsync("91320500000000011A", new DateOnly(2026, 12, 2), "again", Noon.AddDays(8), "approver.province"));

        Assert.Equal("苏清洁先进〔2026〕001号", first!.CertificateNumber);
        Assert.Equal("苏清洁先进〔2026〕002号", second!.CertificateNumber);
        Assert.Equal("苏清洁先进〔2027〕001号", nextYear!.CertificateNumber);
        Assert.Null(twice);
        Assert.Equal(["91320500000000022B", "91320500000000033C"], (await register.ListAsync(true, null)).Select(e => e.CreditCode));
        Assert.Empty(await register.MembershipsAsync("emergency-exemption", currentOnly: true));
        var ended = Assert.Single(await register.MembershipsAsync("emergency-exemption", currentOnly: false));
        Assert.Equal("较大环境污染事故", ended.RemovalReason);
    }

    [SkippableFact]
    public async Task Users_are_listed_by_organisation_in_keyset_pages()
    {
        await using var database = await MigratedDatabaseAsync();
        var store = new UserStore(database.Database);
        foreach (var name in new[] { "e.suzhou", "a.suzhou", "c.suzhou", "b.wuxi", "d.suzhou" })
            await store.CreateAsync(name, name, name.Split('.')[1], ["review"], "h", Noon, "test");

        var first = await store.ListAsync("suzhou", null, 2);
        var second = await store.ListAsync("suzhou", first[^1].Username, 2);
        var third = await store.ListAsync("suzhou", second[^1].Username, 2);
        var everyone = await store.ListAsync(null, null, 500);

        Assert.Equal(["a.suzhou", "c.suzhou"], first.Select(u => u.Username));
        Assert.Equal(["d.suzhou", "e.suzhou"], second.Select(u => u.Username));
        Assert.Empty(third);
        Assert.Equal(5, everyone.Count);
    }
}

public sealed class SqliteStoreConformance : StoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresStoreConformance : StoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerStoreConformance : StoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
