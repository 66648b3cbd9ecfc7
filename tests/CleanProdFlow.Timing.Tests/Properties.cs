using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Clocks;
using CleanProdFlow.Timing.Deadlines;
using CsCheck;
using static CleanProdFlow.Timing.Tests.ShippedData;

namespace CleanProdFlow.Timing.Tests;

/// <summary>Properties over random starts in 2024–2027, limits, pauses (often at midnight) and extensions.</summary>
public sealed class Properties
{
    private const int Iterations = 2_000;

    private static readonly int FirstStart = D("2024-01-01").DayNumber;
    private static readonly int LastStart = D("2027-12-31").DayNumber;

    // Minutes of day that exercise the 24:00 rule: exactly midnight, just after, midday, just before.
    private static readonly Gen<int> MinuteOfDay = Gen.OneOf(0, 1, 600, 1439);

    private static readonly Gen<DateTimeOffset> Start =
        Gen.Select(Gen.Int[FirstStart, LastStart], Gen.OneOf(MinuteOfDay, Gen.Int[0, 1439]),
            (day, minute) => BeijingTime.StartOf(DateOnly.FromDayNumber(day)).AddMinutes(minute));

    private static readonly Gen<PeriodUnit> Unit = Gen.Enum<PeriodUnit>();

    private static readonly Gen<TimeLimit> Limit =
        Gen.Select(Unit, Gen.Int[1, 60], Gen.Bool, Gen.Enum<HalfRounding>(), (unit, amount, halvable, rounding) =>
            new TimeLimit(unit switch { PeriodUnit.Months => amount % 24 + 1, PeriodUnit.Years => amount % 3 + 1, _ => amount }, unit, halvable, rounding));

    /// <summary>Up to three pauses after <paramref name="start"/>, in order, the last one sometimes open.</summary>
    private static Gen<Pause[]> Pauses(DateTimeOffset start) =>
        Gen.Select(Gen.Select(Gen.Int[0, 25], MinuteOfDay).Array[0, 6], Gen.Bool, (points, openLast) =>
        {
            var instants = points
                .Select(p => BeijingTime.StartOf(BeijingTime.DateOf(start).AddDays(p.Item1)).AddMinutes(p.Item2))
                .Select(t => t < start ? start : t)
                .Order()
                .ToList();
            var pauses = new List<Pause>();
            for (var i = 0; i + 1 < instants.Count; i += 2)
            {
                pauses.Add(new Pause(instants[i], instants[i + 1], "专家评审"));
            }

            if (openLast && instants.Count % 2 == 1)
            {
                pauses.Add(new Pause(instants[^1], null, "申请人补正材料"));
            }

            return pauses.ToArray();
        });

    private static readonly Gen<DeadlineRequest> Request =
        Start.SelectMany(start => Gen.Select(Limit, Gen.Bool, Pauses(start), Gen.Int[0, 5],
            (limit, fastTrack, pauses, extension) => new DeadlineRequest(start, limit, fastTrack, pauses,
                extension == 0 ? [] : [new Extension(extension, "局长", "理由")])));

    private static DateOnly? Due(DeadlineRequest request, WorkingDayCalendar? calendar = null) =>
        Deadline.Compute(calendar ?? Mainland, request).DueDate;

    [Fact]
    public void Working_day_deadlines_match_a_day_by_day_count_of_running_days()
    {
        // An independent reading of the rule: walk day by day, count a working day when no pause
        // covers the moment up to its 24:00, i.e. no pause has from < 24:00 ≤ to.
        Request.Where(r => r.Limit.Unit == PeriodUnit.WorkingDays).Sample(request =>
        {
            var needed = request.Limit.AppliedAmount(request.FastTrack) + request.ExtensionDays;
            DateOnly? expected = null;
            var day = BeijingTime.DateOf(request.Start);
            var counted = 0;
            while (expected is null)
            {
                day = day.AddDays(1);
                var end = BeijingTime.EndOf(day);
                if (request.PauseList.Any(p => p.To is null && p.From < end))
                {
                    break; // paused for good: no due date
                }

                var running = !request.PauseList.Any(p => p.From < end && end <= p.To!.Value);
                if (running && Mainland.IsWorkingDay(day) && ++counted == needed)
                {
                    expected = day;
                }
            }

            Assert.Equal(expected, Due(request));
        }, iter: Iterations);
    }

    [Fact]
    public void The_due_date_is_never_before_the_start() =>
        Request.Sample(request =>
        {
            var deadline = Deadline.Compute(Mainland, request);
            if (deadline.DueAt is { } dueAt)
            {
                Assert.True(deadline.DueDate > BeijingTime.DateOf(request.Start));
                Assert.True(dueAt > request.Start);
                Assert.True(Mainland.IsWorkingDay(deadline.DueDate!.Value), "a period never ends on a day off");
            }
        }, iter: Iterations);

    [Fact]
    public void The_due_date_is_monotone_in_the_limit() =>
        Gen.Select(Request, Gen.Int[1, 30]).Sample((request, more) =>
        {
            var longer = request with { Limit = request.Limit with { Amount = request.Limit.Amount + more } };
            var (shortDue, longDue) = (Due(request), Due(longer));
            if (longDue is not null)
            {
                Assert.NotNull(shortDue);
                Assert.True(shortDue <= longDue, $"{shortDue} > {longDue}");
            }
        }, iter: Iterations);

    [Fact]
    public void A_pause_never_moves_the_due_date_earlier() =>
        Request.Sample(request =>
        {
            var unpaused = Due(request with { Pauses = [] });
            var paused = Due(request);
            Assert.True(paused is null || paused >= unpaused, $"paused {paused} < unpaused {unpaused}");
        }, iter: Iterations);

    [Fact]
    public void Halved_is_never_later_than_full() =>
        Request.Sample(request =>
        {
            var full = Due(request with { FastTrack = false });
            var fast = Due(request with { FastTrack = true });
            // Null (held by an open pause) is later than any date.
            Assert.True(full is null || (fast is not null && fast <= full), $"fast {fast} > full {full}");
        }, iter: Iterations);

    [Fact]
    public void An_extension_never_moves_the_due_date_earlier() =>
        Gen.Select(Request, Gen.Int[1, 20]).Sample((request, days) =>
        {
            var extended = request with { Extensions = [.. request.ExtensionList, new Extension(days)] };
            var (before, after) = (Due(request), Due(extended));
            // Null (held by an open pause) is later than any date.
            Assert.True(before is null ? after is null : after is null || after > before, $"{after} not after {before}");
        }, iter: Iterations);

    /// <summary>A made-up official 2027: some weekdays off, some weekend days worked.</summary>
    private static readonly Gen<CalendarYear> Official2027 =
        Gen.Select(Gen.Int[0, 364].Array[0, 25], Gen.Int[0, 364].Array[0, 8], (off, worked) =>
        {
            var first = new DateOnly(2027, 1, 1);
            var daysOff = off.Select(first.AddDays).Distinct().ToList();
            var makeUp = worked.Select(first.AddDays)
                .Where(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && !daysOff.Contains(d))
                .Distinct().ToList();
            return CalendarYear.Official(2027, new CalendarSource("测试通知", "测试〔2026〕1号", new DateOnly(2026, 11, 1)), daysOff, makeUp).Value;
        });

    private static Gen<Clock> ClockGen(DateTimeOffset start) =>
        Gen.Select(Limit, Gen.Bool, Pauses(start), Gen.Int[0, 4], Gen.Bool, (limit, fastTrack, pauses, extension, stop) =>
        {
            var clock = Clock.Start(limit, fastTrack, start, Mainland).Value;
            var last = start;
            foreach (var pause in pauses)
            {
                clock = clock.Pause(pause.From, pause.Reason!, null, Mainland).Value;
                last = pause.From;
                if (pause.To is { } to)
                {
                    clock = clock.Resume(to, Mainland).Value;
                    last = to;
                }
            }

            if (extension > 0)
            {
                clock = clock.Extend(last.AddHours(1), extension, "局长", "理由", Mainland).Value;
                last = last.AddHours(1);
            }

            return stop ? clock.Stop(last.AddDays(3), Mainland).Value : clock;
        });

    private static Clock ReplayOn(Clock clock, WorkingDayCalendar calendar)
    {
        var fresh = Clock.Start(clock.Limit, clock.FastTrack, clock.StartedAt, calendar).Value;
        foreach (var @event in clock.Events.Skip(1))
        {
            fresh = (@event switch
            {
                ClockPaused p => fresh.Pause(p.At, p.Reason, p.LegalBasis, calendar),
                ClockResumed r => fresh.Resume(r.At, calendar),
                ClockExtended e => fresh.Extend(e.At, e.Days, e.Approver, e.Reason, calendar),
                ClockStopped s => fresh.Stop(s.At, calendar),
                ClockCancelled c => fresh.Cancel(c.At, c.Reason, calendar),
                _ => throw new InvalidOperationException(),
            }).Value;
        }

        return fresh;
    }

    [Fact]
    public void Recomputation_after_a_calendar_load_equals_a_fresh_computation()
    {
        var starts = Gen.Select(Gen.Int[D("2026-09-01").DayNumber, D("2027-09-30").DayNumber], Gen.Int[0, 1439],
            (day, minute) => BeijingTime.StartOf(DateOnly.FromDayNumber(day)).AddMinutes(minute));
        Gen.Select(Official2027, starts.SelectMany(ClockGen).Array[1, 6]).Sample((year, clocks) =>
        {
            var load = Mainland.Load(year);
            var stored = clocks.Select((c, i) => KeyValuePair.Create(i, c)).ToList();
            var recomputed = CalendarChange.Recompute(load, stored).ToDictionary(r => r.Key);
            foreach (var (key, clock) in stored)
            {
                var fresh = ReplayOn(clock, load.After);
                if (recomputed.TryGetValue(key, out var result))
                {
                    Assert.Equal(clock.DueDate, result.OldDueDate);
                    Assert.Equal(fresh.ToJson(), result.After.ToJson());
                }
                else
                {
                    // Not recomputed because it never read 2027: its due date must not have changed.
                    Assert.False(clock.DependsOn(2027));
                    Assert.Equal(fresh.DueDate, clock.DueDate);
                }
            }
        }, iter: 300);
    }

    [Fact]
    public void Clock_state_round_trips_through_json()
    {
        Start.SelectMany(ClockGen).Sample(clock =>
        {
            var json = clock.ToJson();
            var back = Clock.FromJson(json);
            Assert.Equal(json, back.ToJson());
            Assert.Equal(clock.Events, back.Events);
        }, iter: 500);
    }

    [Fact]
    public void Every_day_of_the_range_has_the_working_status_its_year_gives_it()
    {
        Gen.Int[WorkingDayCalendar.FirstDay.DayNumber, WorkingDayCalendar.LastDay.DayNumber].Sample(number =>
        {
            var day = DateOnly.FromDayNumber(number);
            var year = Mainland.Year(day.Year);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            Assert.Equal(year.IsMakeUpWorkday(day) || (!weekend && !year.IsDayOff(day)), Mainland.IsWorkingDay(day));
        }, iter: 20_000);
    }
}
