using System.Diagnostics;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CleanProdFlow.Data.Tests.Compliance;

/// <summary>
/// How fast the dashboard's queries are over many completed cases (target: ≤ 1 s for 100,000). A measurement, not a
/// test of speed: it runs only when CPF_COMPLIANCE_VOLUME gives the number of cases (e.g. 100000) and prints the
/// figures; it asserts only that the figures add up.
/// </summary>
public abstract class ComplianceVolumeMeasurement(ITestOutputHelper output)
{
    public const string Variable = "CPF_COMPLIANCE_VOLUME";

    protected abstract DatabaseProvider Provider { get; }

    private static readonly string[] Cities = ["suzhou", "nanjing", "wuxi", "changzhou", "nantong", "xuzhou", "yangzhou", "taizhou"];

    [SkippableFact]
    public async Task The_dashboard_figures_over_many_completed_cases()
    {
        Skip.IfNot(int.TryParse(Environment.GetEnvironmentVariable(Variable), out var cases) && cases > 0,
            $"a measurement: set {Variable} to a number of cases (e.g. 100000) to run it");
        await using var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        var calendar = WorkingDayCalendar.Provisional(); // the statutory holidays without make-up days: as good as the official one for timing
        var watch = Stopwatch.StartNew();
        await FillAsync(database.Database, calendar, cases);
        output.WriteLine($"{Provider}: {cases:N0} completed cases written in {watch.Elapsed.TotalSeconds:F1} s");

        var store = new ComplianceStore(database.Database);
        var now = new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);
        async Task<T> Timed<T>(string what, Func<Task<T>> run)
        {
            var w = Stopwatch.StartNew();
            var result = await run();
            output.WriteLine($"{Provider}: {what}: {w.Elapsed.TotalMilliseconds:F0} ms");
            return result;
        }

        await Timed("first refresh (summarises every clock)", () => store.RefreshAsync(calendar, now));
        for (var round = 1; round <= 2; round++)
        {
            await Timed($"refresh with nothing changed (round {round})", () => store.RefreshAsync(calendar, now));
            var figures = await Timed($"dashboard figures, every city (round {round})", () => store.FiguresAsync(new ComplianceFilter(), now));
            Assert.Equal(cases, figures.Steps.Sum(s => s.Decided));
            Assert.Equal(cases, figures.Cities.Sum(c => c.Decided));
            await Timed($"dashboard figures, one city (round {round})", () => store.FiguresAsync(new ComplianceFilter { Organisation = "suzhou" }, now));
            await Timed($"dashboard figures, one quarter (round {round})", () => store.FiguresAsync(new ComplianceFilter
            {
                From = new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero), To = new DateTimeOffset(2026, 6, 30, 16, 0, 0, TimeSpan.Zero),
            }, now));
            await Timed($"drill-down, late cases, first page (round {round})",
                () => store.CasesAsync(new ComplianceCaseQuery { Filter = new ComplianceFilter(), Result = "late", Limit = 51 }, now));
            await Timed($"breach list for the export (round {round})", () => store.BreachesAsync(new ComplianceFilter(), now));
            await Timed($"per-step table for the export (round {round})", () => store.StepsAsync(new ComplianceFilter(), now));
        }
    }

    /// <summary>
    /// Completed EIA cases of 2026 in eight cities: fast and standard, reports and forms, a third paused once (expert
    /// review), a tenth extended, about one in eight decided late with a breach record.
    /// </summary>
    private static async Task FillAsync(CpfDatabase database, WorkingDayCalendar calendar, int cases)
    {
        var form = new TimeLimit(30, PeriodUnit.WorkingDays, Halvable: true)
        { RuleId = "eia.decision.form", NameZh = "环境影响报告表审批决定", NameEn = "Decision on an EIA form", LegalBasis = "《环境影响评价法》第二十二条" };
        var report = form with { Amount = 60, RuleId = "eia.decision.report", NameZh = "环境影响报告书审批决定", NameEn = "Decision on an EIA report" };
        var random = new Random(20261125);
        var start = new DateTimeOffset(2026, 1, 5, 1, 30, 0, TimeSpan.Zero);
        await using var connection = await database.OpenAsync();
        foreach (var chunk in Enumerable.Range(0, cases).Chunk(1000))
        {
            var instances = new List<object>();
            var clocks = new List<object>();
            var breaches = new List<object>();
            foreach (var i in chunk)
            {
                var id = Guid.NewGuid();
                var fast = random.Next(3) > 0;
                var limit = random.Next(4) == 0 ? report : form;
                var received = start.AddHours(random.Next(0, 300 * 24));
                var clock = Clock.Start(limit, fast, received, calendar).Value;
                var at = received;
                if (random.Next(3) == 0)
                {
                    at = at.AddDays(random.Next(1, 5));
                    clock = clock.Pause(at, "技术评估（专家评审）", "《中华人民共和国行政许可法》第四十五条", calendar).Value;
                    at = at.AddDays(random.Next(2, 12));
                    clock = clock.Resume(at, calendar).Value;
                }
                if (random.Next(10) == 0)
                {
                    at = at.AddDays(1);
                    clock = clock.Extend(at, 10, $"approver.{Cities[i % Cities.Length]}", "案情复杂", calendar).Value;
                }
                var late = random.Next(8) == 0;
                var due = clock.DueAt!.Value;
                var stop = late ? due.AddDays(random.Next(1, 10)) : due.AddDays(-random.Next(1, 15));
                if (stop <= at)
                    stop = at.AddHours(1);
                clock = clock.Stop(stop, calendar).Value;
                var city = Cities[i % Cities.Length];
                instances.Add(new
                {
                    id, key = fast ? "eia-fast-track" : "eia-standard", businessKey = $"{city}环审〔2026〕{i:D6}", organisation = city,
                    started = Instants.ForStorage(received), ended = Instants.ForStorage(stop),
                });
                var subject = WorkflowRuntime.ClockSubject(id, "eia.decision");
                clocks.Add(new
                {
                    subject, json = clock.ToJson(), dueAt = Instants.ForStorage(clock.DueAt), calendarVersion = clock.CalendarVersion,
                    now = Instants.ForStorage(stop),
                });
                if (stop > due)
                    breaches.Add(new
                    {
                        subject, id, rule = limit.RuleId, dueAt = Instants.ForStorage(due), detected = Instants.ForStorage(due.AddSeconds(1)),
                    });
            }
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(
                "INSERT INTO workflow_instances (id, definition_key, version, business_key, organisation, status, state, started_at, ended_at, updated_at) " +
                "VALUES (@id, @key, 1, @businessKey, @organisation, 'completed', '{}', @started, @ended, @ended)", instances, transaction);
            await connection.ExecuteAsync(
                "INSERT INTO clocks (subject, status, clock, due_at, calendar_version, updated_at, row_version) " +
                "VALUES (@subject, 'stopped', @json, @dueAt, @calendarVersion, @now, 1)", clocks, transaction);
            await connection.ExecuteAsync(
                "INSERT INTO clock_breaches (subject, instance_id, clock_name, rule_id, due_at, detected_at, working_days_overdue, element_id, recorded_by) " +
                "VALUES (@subject, @id, 'eia.decision', @rule, @dueAt, @detected, 0, 'record-breach', 'system')", breaches, transaction);
            await transaction.CommitAsync();
        }
    }
}

public sealed class SqliteComplianceVolumeMeasurement(ITestOutputHelper output) : ComplianceVolumeMeasurement(output)
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresComplianceVolumeMeasurement(ITestOutputHelper output) : ComplianceVolumeMeasurement(output)
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
