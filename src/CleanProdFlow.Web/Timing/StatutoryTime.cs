using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Rules;

namespace CleanProdFlow.Web.Timing;

/// <summary>The outcome of loading an official calendar year: the year and every stored clock whose due date moved.</summary>
public sealed record CalendarYearLoaded(CalendarYear Year, bool ReplacedProvisional, int Version, IReadOnlyList<ClockMoved> ClocksMoved);

public sealed record ClockMoved(string Subject, DateOnly? OldDueDate, DateOnly? NewDueDate, DateTimeOffset? NewDueAt);

/// <summary>
/// The outcome of an administrator's change to a time-limit rule: the version recorded, or the problems (fields of
/// the rule and <c>reason</c>), or a conflict when someone else recorded a version since <c>expectedVersion</c>.
/// </summary>
public sealed record RuleChange(TimeLimitRuleVersion? Recorded, IReadOnlyList<FieldError> Errors, bool Conflict = false)
{
    public bool Succeeded => Recorded is not null;
}

/// <summary>
/// The working-day calendar and time-limit rules in force. At start-up: the shipped files in workflows/, the rules
/// synchronised into the database (an administrator's later version wins over the file), then the official years
/// loaded through the API on top. Loading a year swaps the calendar and recomputes every stored clock that
/// depends on it, one optimistic update and one evidence row per moved clock.
/// </summary>
public sealed class StatutoryTime(
    TimeLimitRuleStore ruleStore, CalendarYearStore yearStore, ClockStore clocks, TimeProvider time, ILogger<StatutoryTime> logger)
{
    public const string ShippedRulesSource = "workflows/time-limits.json";
    private static readonly string WorkflowsDirectory = Path.Combine(AppContext.BaseDirectory, "workflows");

    private readonly SemaphoreSlim _changes = new(1, 1);
    private WorkingDayCalendar? _calendar;
    private TimeLimitRuleSet? _rules;

    public WorkingDayCalendar Calendar => _calendar ?? throw new InvalidOperationException("statutory time is not loaded yet");

    public TimeLimitRuleSet Rules => _rules ?? throw new InvalidOperationException("statutory time is not loaded yet");

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var calendarFile = Path.Combine(WorkflowsDirectory, "calendars", "cn-mainland.json");
        var rulesFile = Path.Combine(WorkflowsDirectory, "time-limits.json");
        var shippedCalendar = WorkingDayCalendar.Parse(await File.ReadAllTextAsync(calendarFile, cancellationToken));
        var shippedRules = TimeLimitRuleSet.Parse(await File.ReadAllTextAsync(rulesFile, cancellationToken));
        if (!shippedCalendar.IsValid || !shippedRules.IsValid)
            throw new StartupException("workflows/", $"The shipped timing data is invalid: {string.Join("; ",
                    shippedCalendar.Errors.Concat(shippedRules.Errors).Select(e => e.ToString()))}",
                "correct workflows/calendars/cn-mainland.json or workflows/time-limits.json (the Timing tests check both).");

        var calendar = shippedCalendar.Value;
        foreach (var stored in await yearStore.LatestAsync(calendar.Id, cancellationToken))
            calendar = calendar.Load(CalendarYear.Parse(stored.Document).Value).After;
        _calendar = calendar;
        _rules = await SynchroniseRulesAsync(shippedRules.Value, cancellationToken);
        logger.LogInformation("Statutory time: calendar {CalendarVersion}, {RuleCount} time-limit rules", calendar.Version, _rules.Rules.Count);
    }

    private async Task<TimeLimitRuleSet> SynchroniseRulesAsync(TimeLimitRuleSet shipped, CancellationToken cancellationToken)
    {
        var stored = (await ruleStore.CurrentAsync(cancellationToken)).ToDictionary(v => v.RuleId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var rule in shipped.Rules)
        {
            var definition = JsonSerializer.Serialize(rule, TimingJson.Options);
            stored.TryGetValue(rule.Id, out var current);
            if (current is not null && (current.Definition == definition || current.RecordedBy != ShippedRulesSource))
                continue; // unchanged, or an administrator's version, which the file does not override
            await ruleStore.AddVersionAsync(rule.Id, current?.Version ?? 0, definition, now, ShippedRulesSource,
                current is null ? "shipped" : "shipped file changed", cancellationToken);
        }
        return await CurrentRulesAsync(cancellationToken);
    }

    private async Task<TimeLimitRuleSet> CurrentRulesAsync(CancellationToken cancellationToken)
    {
        var rules = (await ruleStore.CurrentAsync(cancellationToken))
            .Select(v => JsonSerializer.Deserialize<TimeLimitRule>(v.Definition, TimingJson.Options)!)
            .ToList();
        return TimeLimitRuleSet.Create(rules).Value;
    }

    /// <summary>
    /// Records an administrator's change to one rule as its next version (who and why kept; the shipped file never
    /// overrides it afterwards) and puts the rule set in force at once: deadlines computed from now on use it, those
    /// already computed keep the rule as it was. The id of a rule cannot change; a reason is required.
    /// </summary>
    public async Task<RuleChange> ChangeRuleAsync(TimeLimitRule changed, int expectedVersion, string changedBy, string? reason,
        CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var current = (await ruleStore.HistoryAsync(changed.Id, cancellationToken)).LastOrDefault();
            if (current is null)
                return new RuleChange(null, [new FieldError("id", "unknown", $"no time-limit rule '{changed.Id}'", $"没有时限规则“{changed.Id}”")]);
            if (current.Version != expectedVersion)
                return new RuleChange(null, [], Conflict: true);

            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(reason))
                errors.Add(new FieldError("reason", "required", "a reason for the change is required", "须填写修改理由"));
            var others = Rules.Rules.Where(r => r.Id != changed.Id).ToList();
            var checkedSet = TimeLimitRuleSet.Create([.. others, changed]);
            if (!checkedSet.IsValid)
            {
                // The set names fields "rules[n].limit"; the rule's own field name is what a form shows the error beside.
                var prefix = $"rules[{others.Count}].";
                errors.AddRange(checkedSet.Errors.Select(e => e with { Field = e.Field.StartsWith(prefix, StringComparison.Ordinal) ? e.Field[prefix.Length..] : e.Field }));
            }
            var definition = JsonSerializer.Serialize(changed, TimingJson.Options);
            if (errors.Count == 0 && definition == current.Definition)
                errors.Add(new FieldError("", "unchanged", "nothing was changed", "规则没有任何修改"));
            if (errors.Count > 0)
                return new RuleChange(null, errors);

            var now = time.GetUtcNow();
            if (!await ruleStore.AddVersionAsync(changed.Id, expectedVersion, definition, now, changedBy, reason!.Trim(), cancellationToken))
                return new RuleChange(null, [], Conflict: true);
            _rules = await CurrentRulesAsync(cancellationToken);
            logger.LogWarning("{User} changed the time-limit rule {RuleId} to version {Version}: {Reason}", changedBy, changed.Id,
                expectedVersion + 1, reason);
            return new RuleChange((await ruleStore.HistoryAsync(changed.Id, cancellationToken))[^1], []);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Loads an official year, stores it, swaps the calendar and recomputes the clocks that depend on it.</summary>
    public async Task<CalendarYearLoaded> LoadOfficialYearAsync(CalendarYear year, string loadedBy, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var load = Calendar.Load(year);
            var version = await yearStore.AddAsync(load.After.Id, year.Year, year.ToJson(), time.GetUtcNow(), loadedBy, cancellationToken);
            _calendar = load.After;
            var moved = await RecomputeClocksAsync(load, loadedBy, cancellationToken);
            logger.LogWarning("{User} loaded the official calendar year {Year} ({Source}); {Moved} clock due dates moved",
                loadedBy, year.Year, year.Source.DocumentNumber, moved.Count);
            return new CalendarYearLoaded(year, load.ReplacedProvisional, version, moved);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<IReadOnlyList<ClockMoved>> RecomputeClocksAsync(CalendarLoad load, string loadedBy, CancellationToken cancellationToken)
    {
        var moved = new List<ClockMoved>();
        var cause = $"calendar {load.After.Id} {load.Year} loaded ({load.Loaded.Source.DocumentNumber})";
        long afterId = 0;
        while (true)
        {
            var page = await clocks.ListUnfinishedAsync(afterId, 500, cancellationToken);
            if (page.Count == 0)
                break;
            afterId = page[^1].Id;
            foreach (var change in CalendarChange.Recompute(load, page.Select(c => KeyValuePair.Create(c, c.Clock))))
            {
                if (!change.DueDateChanged)
                    continue;
                var stored = change.Key;
                var replaced = await clocks.ReplaceAsync(stored, change.After, time.GetUtcNow(),
                    new ClockRecomputation(stored.Clock.CalendarVersion, cause, loadedBy), cancellationToken);
                if (!replaced)
                {
                    // Changed since it was read: recompute from its newest state.
                    var fresh = await clocks.FindAsync(stored.Subject, cancellationToken);
                    if (fresh is null || fresh.Clock.IsFinished)
                        continue;
                    var after = fresh.Clock.Recompute(load.After);
                    if (after.DueDate == fresh.Clock.DueDate || !await clocks.ReplaceAsync(fresh, after, time.GetUtcNow(),
                            new ClockRecomputation(fresh.Clock.CalendarVersion, cause, loadedBy), cancellationToken))
                        continue;
                    moved.Add(new ClockMoved(fresh.Subject, fresh.Clock.DueDate, after.DueDate, after.DueAt));
                    continue;
                }
                moved.Add(new ClockMoved(stored.Subject, change.OldDueDate, change.NewDueDate, change.NewDueAt));
            }
        }
        return moved;
    }
}
