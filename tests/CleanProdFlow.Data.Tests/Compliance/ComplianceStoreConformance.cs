using System.Text.Json.Nodes;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.TestSupport;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using Microsoft.Extensions.Logging.Abstractions;

namespace CleanProdFlow.Data.Tests.Compliance;

/// <summary>
/// The compliance figures on every provider. The clocks run in March 2027 on the provisional calendar (no holiday):
/// started Monday 2027-03-01 09:00, a 5-working-day limit is due at 24:00 on Monday 2027-03-08 (halved on the fast
/// track: 2 working days, due 24:00 Wednesday 2027-03-03).
/// </summary>
public abstract class ComplianceStoreConformance
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Provisional();

    private static DateTimeOffset At(string beijing) => DateTimeOffset.Parse(beijing + "+08:00", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset Now = At("2027-04-01T09:00:00");

    private static readonly TimeLimit Decision = new(5, PeriodUnit.WorkingDays, Halvable: true)
    {
        RuleId = "eia.decision.form", NameZh = "环境影响报告表审批决定", NameEn = "EIA form decision", LegalBasis = "《环境影响评价法》第二十二条",
    };

    private static readonly TimeLimit Other = new(10, PeriodUnit.WorkingDays) { RuleId = "permit.decision.simplified", NameZh = "排污许可决定（简化管理）" };

    private sealed class World(TestDatabase database) : IAsyncDisposable
    {
        public TestDatabase Database => database;
        public WorkflowStore Workflows { get; } = new(database.Database);
        public ClockStore Clocks { get; } = new(database.Database);
        public ComplianceStore Compliance { get; } = new(database.Database);

        /// <summary>A case of <paramref name="organisation"/> with one clock (name "decision").</summary>
        public async Task<(Guid Instance, StoredClock Clock)> CaseAsync(string caseNumber, string organisation, Clock clock)
        {
            var state = new InstanceState
            {
                Id = Guid.NewGuid(), DefinitionKey = "eia-standard", Version = 1, BusinessKey = caseNumber, Organisation = organisation,
                Status = InstanceStatus.Running, Variables = [],
                Tokens = [new Token { Id = Guid.NewGuid(), ElementId = "work", State = TokenState.Waiting, EnteredAt = clock.StartedAt }],
            };
            await using (var session = await Workflows.BeginAsync())
            {
                await session.InsertInstanceAsync(state, clock.StartedAt);
                await session.CommitAsync();
            }
            var stored = await Clocks.CreateAsync(WorkflowRuntime.ClockSubject(state.Id, "decision"), clock, clock.StartedAt);
            return (state.Id, stored);
        }

        public Task<int> RefreshAsync() => Compliance.RefreshAsync(Calendar, Now);

        public ValueTask DisposeAsync() => database.DisposeAsync();
    }

    private async Task<World> WorldAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        await new DatabaseMigrator(database.Database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return new World(database);
    }

    private static Clock Started(bool fast = false, TimeLimit? limit = null, string day = "2027-03-01") =>
        Clock.Start(limit ?? Decision, fast, At($"{day}T09:00:00"), Calendar).Value;

    private static ComplianceFilter All => new();

    [SkippableFact]
    public async Task Each_clock_is_summarised_once_and_again_only_when_it_changes()
    {
        await using var world = await WorldAsync();
        var (_, running) = await world.CaseAsync("苏州环审〔2027〕0001", "suzhou", Started());
        await world.CaseAsync("苏州环审〔2027〕0002", "suzhou", Started().Stop(At("2027-03-05T10:00:00"), Calendar).Value);

        Assert.Equal(2, await world.RefreshAsync());
        Assert.Equal(0, await world.RefreshAsync());

        Assert.True(await world.Clocks.ReplaceAsync(running, running.Clock.Stop(At("2027-03-12T10:00:00"), Calendar).Value, At("2027-03-12T10:00:00"), null));
        Assert.Equal(1, await world.RefreshAsync());
        var step = Assert.Single(await world.Compliance.StepsAsync(All, Now));
        Assert.Equal(2, step.Decided);
        Assert.Equal(1, step.OnTime);
        Assert.Equal(1, step.Late);
        Assert.Equal(0, step.RunningNow);
    }

    [SkippableFact]
    public async Task The_figures_count_on_time_late_overdue_and_paused_per_step_city_month_and_track()
    {
        await using var world = await WorldAsync();
        // Suzhou: on time on the standard track (3 working days used), late on the fast track (due Wed 3, stopped Fri 5: 2 days late).
        await world.CaseAsync("苏州环审〔2027〕0001", "suzhou", Started().Stop(At("2027-03-05T10:00:00"), Calendar).Value);
        await world.CaseAsync("苏州环审〔2027〕0002", "suzhou", Started(fast: true).Stop(At("2027-03-05T10:00:00"), Calendar).Value);
        // Nanjing: on time on the fast track in February, overdue now (running since March), paused now.
        await world.CaseAsync("南京环审〔2027〕0001", "nanjing", Started(fast: true, day: "2027-02-22").Stop(At("2027-02-23T16:00:00"), Calendar).Value);
        await world.CaseAsync("南京环审〔2027〕0002", "nanjing", Started());
        await world.CaseAsync("南京环审〔2027〕0003", "nanjing", Started(day: "2027-03-29").Pause(At("2027-03-30T10:00:00"), "专家评审", null, Calendar).Value);
        // Another rule, on time.
        await world.CaseAsync("苏州环审〔2027〕0003", "suzhou", Started(limit: Other).Stop(At("2027-03-02T10:00:00"), Calendar).Value);
        await world.RefreshAsync();

        var figures = await world.Compliance.FiguresAsync(All, Now);

        var decision = figures.Steps.Single(s => s.RuleId == "eia.decision.form");
        Assert.Equal("环境影响报告表审批决定", decision.NameZh);
        Assert.Equal("《环境影响评价法》第二十二条", decision.LegalBasis);
        Assert.Equal(3, decision.Decided);
        Assert.Equal(2, decision.OnTime);
        Assert.Equal(2, decision.FastDecided);
        Assert.Equal(1, decision.FastOnTime);
        Assert.Equal(3, decision.StandardAverageUsed); // Tue, Wed and Thu ended before the stop on Friday
        Assert.Equal(5, decision.StandardAverageLimit);
        Assert.Equal(2, decision.FastAverageLimit);
        Assert.Equal(2, decision.LateWorkingDays); // Thu 4 and Fri 5
        Assert.Equal(1, decision.OverdueNow);
        Assert.Equal(1, decision.PausedNow);
        Assert.Equal(1, figures.Steps.Single(s => s.RuleId == "permit.decision.simplified").OnTime);

        var nanjing = figures.Cities.Single(c => c.Key == "nanjing");
        Assert.Equal((1L, 1L, 1L), (nanjing.Decided, nanjing.OnTime, nanjing.OverdueNow));
        var suzhou = figures.Cities.Single(c => c.Key == "suzhou");
        Assert.Equal((3L, 2L), (suzhou.Decided, suzhou.OnTime));
        Assert.Equal(["2027-02", "2027-03"], figures.Months.Select(m => m.Key!).ToArray());
        Assert.Equal(3, figures.Months[1].Decided);

        var march = await world.Compliance.StepsAsync(All with { From = At("2027-03-01T00:00:00"), To = At("2027-04-01T00:00:00"), Organisation = "suzhou" }, Now);
        Assert.Equal(2, march.Single(s => s.RuleId == "eia.decision.form").Decided);
        Assert.Equal(0, march.Single(s => s.RuleId == "eia.decision.form").OverdueNow); // the overdue one is Nanjing's
        var fastOnly = await world.Compliance.StepsAsync(All with { Track = "fast" }, Now);
        Assert.Equal(2, fastOnly.Single(s => s.RuleId == "eia.decision.form").Decided);
    }

    [SkippableFact]
    public async Task Pauses_are_grouped_by_reason_and_legal_basis_and_extensions_by_approver()
    {
        await using var world = await WorldAsync();
        var art45 = "《中华人民共和国行政许可法》第四十五条";
        // Paused Tue 2 10:00 → Fri 5 10:00: Tue, Wed and Thu ended while paused.
        await world.CaseAsync("苏州环审〔2027〕0001", "suzhou", Started().Pause(At("2027-03-02T10:00:00"), "专家评审", art45, Calendar).Value
            .Resume(At("2027-03-05T10:00:00"), Calendar).Value.Stop(At("2027-03-10T10:00:00"), Calendar).Value);
        await world.CaseAsync("苏州环审〔2027〕0002", "suzhou", Started().Pause(At("2027-03-03T10:00:00"), "专家评审", art45, Calendar).Value);
        await world.CaseAsync("苏州环审〔2027〕0003", "suzhou", Started().Extend(At("2027-03-04T10:00:00"), 3, "approver.suzhou", "现场核查", Calendar).Value
            .Stop(At("2027-03-10T10:00:00"), Calendar).Value);
        await world.CaseAsync("南京环审〔2027〕0001", "nanjing", Started().Extend(At("2027-03-04T10:00:00"), 2, "approver.nanjing", "听证", Calendar).Value);
        await world.RefreshAsync();

        var figures = await world.Compliance.FiguresAsync(All, Now);

        var review = Assert.Single(figures.Pauses);
        Assert.Equal(("专家评审", art45), (review.Reason, review.LegalBasis));
        Assert.Equal(2, review.Pauses);
        Assert.Equal(1, review.OpenNow);
        Assert.Equal(3, review.WorkingDays); // the open pause's days still grow and are not summed
        Assert.Equal(2, review.Cases);
        Assert.Equal(3, figures.Steps.Single().PausedWorkingDays);
        Assert.Equal(["approver.nanjing", "approver.suzhou"], figures.Approvers.Select(a => a.Approver!).Order().ToArray());
        Assert.Equal(3, figures.Approvers.Single(a => a.Approver == "approver.suzhou").WorkingDays);
        Assert.Equal("现场核查", figures.RecentExtensions.Single(e => e.Approver == "approver.suzhou").Reason);
        Assert.Equal("苏州环审〔2027〕0003", figures.RecentExtensions.Single(e => e.Approver == "approver.suzhou").BusinessKey);

        var suzhouOnly = await world.Compliance.FiguresAsync(All with { Organisation = "suzhou" }, Now);
        Assert.Equal("approver.suzhou", Assert.Single(suzhouOnly.Approvers).Approver);
    }

    [SkippableFact]
    public async Task A_breach_gets_the_answer_of_its_escalation_task_and_a_withdrawn_escalation_stays_unexplained()
    {
        await using var world = await WorldAsync();
        var (answered, answeredClock) = await world.CaseAsync("苏州环审〔2027〕0001", "suzhou", Started());
        var (withdrawn, withdrawnClock) = await world.CaseAsync("南京环审〔2027〕0001", "nanjing", Started());
        var answeredTask = await BreachAsync(world, answered, answeredClock, "suzhou");
        var withdrawnTask = await BreachAsync(world, withdrawn, withdrawnClock, "nanjing");
        await world.RefreshAsync();

        Assert.All(await world.Compliance.BreachesAsync(All, Now), b => Assert.Null(b.Reason));

        await CompleteAsync(world, answered, answeredTask, At("2027-03-10T15:00:00"), "专家意见分歧，已督促于三个工作日内办结");
        await using (var session = await world.Workflows.BeginAsync())
        {
            var state = (await session.LoadInstanceAsync(withdrawn))!.State;
            await session.ApplyEffectsAsync(state, [new TaskCancelled(withdrawnTask, "the decision was made")], At("2027-03-11T09:00:00"));
            await session.CommitAsync();
        }
        await world.RefreshAsync();

        var breaches = await world.Compliance.BreachesAsync(All, Now);
        Assert.Equal(2, breaches.Count);
        var explained = breaches.Single(b => b.InstanceId == answered);
        Assert.Equal("专家意见分歧，已督促于三个工作日内办结", explained.Reason);
        Assert.Equal("approver.suzhou", explained.ReasonBy);
        Assert.Equal("苏州环审〔2027〕0001", explained.BusinessKey);
        Assert.Equal("suzhou", explained.Organisation);
        Assert.Equal(At("2027-03-09T00:00:00"), explained.DueAt);
        Assert.Null(breaches.Single(b => b.InstanceId == withdrawn).Reason);
        Assert.Equal("nanjing", Assert.Single(await world.Compliance.BreachesAsync(All with { Organisation = "nanjing" }, Now)).Organisation);
        var months = (await world.Compliance.FiguresAsync(All, Now)).BreachMonths;
        Assert.Equal(("2027-03", 2L, 1L), (months.Single().Month, months.Single().Breaches, months.Single().Unexplained));
        Assert.Single(await world.Compliance.BreachesOfInstanceAsync(answered));
    }

    /// <summary>The due timer's step at 24:00 on 2027-03-08: the breach record and, in the same step, the escalation task.</summary>
    private static async Task<Guid> BreachAsync(World world, Guid instanceId, StoredClock clock, string organisation)
    {
        var step = At("2027-03-09T00:00:01");
        var taskId = Guid.NewGuid();
        await using var session = await world.Workflows.BeginAsync();
        var state = (await session.LoadInstanceAsync(instanceId))!.State;
        await new ClockBreachStore(world.Database.Database).RecordAsync(session.Transaction, clock.Subject, instanceId, "decision", "eia.decision.form",
            clock.Clock.DueAt!.Value, step.AddTicks(-50), 0, "record-breach", "system");
        await session.ApplyEffectsAsync(state, [
            new JournalEntry("handler.succeeded", "record-breach", "system"),
            new TaskCreated(taskId, state.Tokens[0].Id, new UserTask("escalate", "审批超期督办") { CandidateGroups = ["approver"] }, organisation, null),
        ], step);
        await session.CommitAsync();
        return taskId;
    }

    private static async Task CompleteAsync(World world, Guid instanceId, Guid taskId, DateTimeOffset at, string reasons)
    {
        await using var session = await world.Workflows.BeginAsync();
        var state = (await session.LoadInstanceAsync(instanceId))!.State;
        await session.ApplyEffectsAsync(state, [
            new TaskCompleted(taskId, "approver.suzhou", null),
            new JournalEntry("task.completed", "escalate", "approver.suzhou", new JsonObject { ["taskId"] = taskId.ToString() }),
            new JournalEntry("variables.changed", null, "approver.suzhou", new JsonObject { ["reasons"] = reasons }),
        ], at);
        await session.CommitAsync();
    }

    [SkippableFact]
    public async Task The_drill_down_lists_the_clocks_behind_a_figure_a_page_at_a_time()
    {
        await using var world = await WorldAsync();
        var (late, _) = await world.CaseAsync("苏州环审〔2027〕0001", "suzhou", Started().Stop(At("2027-03-10T10:00:00"), Calendar).Value);
        var (onTime, _) = await world.CaseAsync("苏州环审〔2027〕0002", "suzhou", Started().Stop(At("2027-03-05T10:00:00"), Calendar).Value);
        var (overdue, _) = await world.CaseAsync("苏州环审〔2027〕0003", "suzhou", Started());
        var (paused, _) = await world.CaseAsync("苏州环审〔2027〕0004", "suzhou",
            Started(day: "2027-03-29").Pause(At("2027-03-30T10:00:00"), "申请人补正材料", null, Calendar).Value);
        var (extended, _) = await world.CaseAsync("苏州环审〔2027〕0005", "suzhou",
            Started().Extend(At("2027-03-02T10:00:00"), 2, "approver.suzhou", "听证", Calendar).Value.Stop(At("2027-03-09T10:00:00"), Calendar).Value);
        await world.RefreshAsync();

        async Task<Guid?[]> Ids(string? result, string? month = null, string? pauseReason = null, string? approver = null) =>
            (await world.Compliance.CasesAsync(new ComplianceCaseQuery { Filter = All, Result = result, Month = month, PauseReason = pauseReason, Approver = approver }, Now))
            .Select(r => r.InstanceId).ToArray();

        Assert.Equal([late], await Ids("late"));
        Assert.Equal([extended, onTime], await Ids("on-time"));
        Assert.Equal([overdue], await Ids("overdue"));
        Assert.Equal([paused], await Ids("paused"));
        Assert.Equal([paused], await Ids("was-paused", pauseReason: "申请人补正材料"));
        Assert.Equal([extended], await Ids("extended", approver: "approver.suzhou"));
        Assert.Equal([extended, onTime, late], await Ids(null, month: "2027-03"));

        var first = await world.Compliance.CasesAsync(new ComplianceCaseQuery { Filter = All, Limit = 2 }, Now);
        var next = await world.Compliance.CasesAsync(new ComplianceCaseQuery { Filter = All, Limit = 2, Before = first[^1].ClockId }, Now);
        Assert.Equal([extended, onTime], first.Select(r => r.InstanceId).ToArray());
        Assert.Equal([late], next.Select(r => r.InstanceId).ToArray());
        Assert.Equal(7, first[0].WorkingDaysLimit); // 5 + 2 extended
        Assert.Equal(2, (await world.Compliance.CasesAsync(new ComplianceCaseQuery { Filter = All, Result = "late" }, Now)).Single().WorkingDaysLate); // Tue 9, Wed 10
    }

    [SkippableFact]
    public async Task The_evidence_lists_the_due_dates_a_calendar_change_moved()
    {
        await using var world = await WorldAsync();
        var (instance, clock) = await world.CaseAsync("苏州环审〔2027〕0001", "suzhou", Started());
        var later = clock.Clock.Extend(At("2027-03-02T10:00:00"), 1, "approver.suzhou", "测试", Calendar).Value;
        await world.Clocks.ReplaceAsync(clock, later, At("2027-03-02T10:00:00"), new ClockRecomputation(clock.Clock.CalendarVersion, "official 2027 loaded", "admin.province"));

        var moved = Assert.Single(await world.Compliance.RecomputationsAsync(instance));

        Assert.Equal("official 2027 loaded", moved.Cause);
        Assert.Equal(clock.Clock.DueAt, moved.DueBefore);
        Assert.Equal(later.DueAt, moved.DueAfter);
        Assert.Empty(await world.Compliance.RecomputationsAsync(Guid.NewGuid()));
    }
}

public sealed class SqliteComplianceStoreConformance : ComplianceStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresComplianceStoreConformance : ComplianceStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerComplianceStoreConformance : ComplianceStoreConformance
{
    protected override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
