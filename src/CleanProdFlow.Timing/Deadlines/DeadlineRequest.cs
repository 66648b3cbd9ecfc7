using System.Text.Json;
using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Timing.Rules;

namespace CleanProdFlow.Timing.Deadlines;

/// <summary>
/// Everything a deadline depends on besides the calendar: when the period starts, the limit, whether the
/// fast track applies, the pauses (in time order, not overlapping) and the extensions.
/// </summary>
public sealed record DeadlineRequest(
    DateTimeOffset Start,
    TimeLimit Limit,
    bool FastTrack = false,
    IReadOnlyList<Pause>? Pauses = null,
    IReadOnlyList<Extension>? Extensions = null)
{
    public IReadOnlyList<Pause> PauseList => Pauses ?? [];

    public IReadOnlyList<Extension> ExtensionList => Extensions ?? [];

    public int ExtensionDays => ExtensionList.Sum(e => e.Days);

    /// <summary>Every reason the request cannot be computed, named by its API field.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>(Limit.Validate());
        var startDay = BeijingTime.DateOf(Start);
        if (!WorkingDayCalendar.Contains(startDay))
        {
            errors.Add(FieldErrors.Invalid("start", $"must fall in {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear}",
                $"必须在 {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear} 年之间"));
        }

        var pauses = PauseList;
        for (var i = 0; i < pauses.Count; i++)
        {
            var pause = pauses[i];
            var path = $"pauses[{i}]";
            if (pause.From < Start)
            {
                errors.Add(new FieldError(path + ".from", "beforeStart", "a pause cannot begin before the start", "暂停不能早于起算时间"));
            }

            if (pause.To is { } to && to < pause.From)
            {
                errors.Add(new FieldError(path + ".to", "beforeFrom", "must not be before from", "不能早于暂停开始时间（from）"));
            }

            if (pause.To is null && i < pauses.Count - 1)
            {
                errors.Add(new FieldError(path + ".to", "openPauseNotLast", "only the last pause may be open (to = null)",
                    "只有最后一个暂停可以未结束（to 为空）"));
            }

            if (i > 0 && pauses[i - 1] is { } previous && (previous.To is null || pause.From < previous.To || pause.From < previous.From))
            {
                errors.Add(new FieldError(path, "overlap", $"overlaps or precedes pauses[{i - 1}]; list pauses in time order without overlap",
                    $"与 pauses[{i - 1}] 重叠或顺序颠倒；暂停须按时间顺序且不重叠"));
            }
        }

        var extensions = ExtensionList;
        var total = 0L;
        for (var i = 0; i < extensions.Count; i++)
        {
            var days = extensions[i].Days;
            total += days;
            if (days < 1 || days > TimeLimit.MaxAmount)
            {
                errors.Add(FieldErrors.OutOfRange($"extensions[{i}].days", 1, TimeLimit.MaxAmount));
            }
        }

        if (total > TimeLimit.MaxAmount)
        {
            errors.Add(new FieldError("extensions", "outOfRange", $"extensions add up to more than {TimeLimit.MaxAmount} days",
                $"延长合计超过 {TimeLimit.MaxAmount} 日"));
        }

        return errors;
    }

    /// <summary>
    /// Reads the body of <c>POST /api/v1/timing/deadline</c>: <c>start</c> (with its UTC offset), either
    /// <c>ruleId</c> or <c>limit</c> + <c>unit</c> (+ optional <c>halvable</c>, default true, and <c>rounding</c>),
    /// <c>fastTrack</c>, <c>pauses</c> [{from, to|null, reason, legalBasis}] and <c>extensions</c> [{days, approver, reason}].
    /// Every bad field is reported, named by its JSON path.
    /// </summary>
    public static Validated<DeadlineRequest> Parse(string json, TimeLimitRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var errors = new List<FieldError>();
        var root = FieldReader.Root(json, errors);
        if (root is null)
        {
            return Validated<DeadlineRequest>.Fail(errors);
        }

        var start = root.Instant("start", required: true);
        var fastTrack = root.Bool("fastTrack", required: false) ?? false;
        TimeLimit? limit = null;
        var ruleId = root.String("ruleId", required: false);
        if (ruleId is not null)
        {
            if (root.Has("limit") || root.Has("unit"))
            {
                errors.Add(new FieldError("ruleId", "exclusive", "give either ruleId or limit and unit, not both", "ruleId 与 limit/unit 只能二选一"));
            }
            else if (rules.TryGet(ruleId, out var rule))
            {
                limit = rule.ToTimeLimit();
            }
            else
            {
                errors.Add(new FieldError("ruleId", "unknownValue", $"no time-limit rule '{ruleId}'", $"不存在期限规则“{ruleId}”"));
            }
        }
        else
        {
            var amount = root.Int("limit", required: true, 1, TimeLimit.MaxAmount);
            var unit = TimeLimitRuleSet.ReadUnit(root.String("unit", required: true), "unit", errors);
            var halvable = root.Bool("halvable", required: false) ?? true;
            var roundingText = root.String("rounding", required: false) ?? "down";
            if (!HalfRoundings.TryParse(roundingText, out var rounding))
            {
                errors.Add(FieldErrors.Unknown("rounding", roundingText, HalfRoundings.JsonNames));
            }

            if (amount is not null && unit is not null)
            {
                limit = new TimeLimit(amount.Value, unit.Value, halvable, rounding);
            }
        }

        var pauses = new List<Pause>();
        foreach (var (element, path) in root.Array("pauses", required: false))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldErrors.WrongType(path, "an object", "对象"));
                continue;
            }

            var item = FieldReader.Of(element, path, errors);
            var from = item.Instant("from", required: true);
            var to = item.Instant("to", required: false);
            var hadTo = item.Has("to");
            var reason = item.String("reason", required: false);
            var basis = item.String("legalBasis", required: false);
            if (from is not null && (to is not null || !hadTo))
            {
                pauses.Add(new Pause(from.Value, to, reason, basis));
            }
        }

        var extensions = new List<Extension>();
        foreach (var (element, path) in root.Array("extensions", required: false))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldErrors.WrongType(path, "an object", "对象"));
                continue;
            }

            var item = FieldReader.Of(element, path, errors);
            var days = item.Int("days", required: true, 1, TimeLimit.MaxAmount);
            var approver = item.String("approver", required: false);
            var reason = item.String("reason", required: false);
            if (days is not null)
            {
                extensions.Add(new Extension(days.Value, approver, reason));
            }
        }

        if (errors.Count > 0 || start is null || limit is null)
        {
            return Validated<DeadlineRequest>.Fail(errors);
        }

        var request = new DeadlineRequest(start.Value, limit, fastTrack, pauses, extensions);
        var crossField = request.Validate();
        return crossField.Count > 0 ? Validated<DeadlineRequest>.Fail(crossField) : Validated<DeadlineRequest>.Ok(request);
    }
}
