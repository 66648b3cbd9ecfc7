using System.Globalization;
using Cronos;

namespace CleanProdFlow.Engine.Expressions;

/// <summary>
/// When a BPMN timer fires, evaluated in Beijing time: a timeDate (one ISO-8601 instant), a timeDuration (one
/// ISO-8601 duration after the reference, usually when the timer was armed) or a timeCycle (an ISO-8601
/// repeating interval <c>R[n]/[start/]duration</c>, or a cron expression).
/// </summary>
/// <remarks>
/// The schedule holds no state: the caller keeps how often the timer has fired and when it last fired, and
/// passes them to <see cref="NextAfter"/>.
/// </remarks>
public sealed record TimerSchedule
{
    private readonly DateTimeOffset? _at;
    private readonly IsoDuration? _duration;
    private readonly int? _repetitions;
    private readonly CronExpression? _cron;

    private TimerSchedule(
        TimerKind kind,
        string expression,
        DateTimeOffset? at = null,
        IsoDuration? duration = null,
        int? repetitions = null,
        CronExpression? cron = null)
    {
        Kind = kind;
        Expression = expression;
        _at = at;
        _duration = duration;
        _repetitions = repetitions;
        _cron = cron;
    }

    public TimerKind Kind { get; }

    /// <summary>The expression as written in the definition, without surrounding white space.</summary>
    public string Expression { get; }

    /// <summary>Whether the timer can fire more than once: a cycle other than <c>R1/...</c>.</summary>
    public bool IsRepeating => Kind == TimerKind.Cycle && _repetitions != 1;

    public static TimerSchedule? TryParse(TimerKind kind, string expression, out ExpressionError? error)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.Trim();
        if (text.Length == 0)
        {
            error = new ExpressionError("The timer expression is empty.", "定时器表达式为空。");
            return null;
        }

        switch (kind)
        {
            case TimerKind.Date:
                return IsoInstant.TryParse(text, out error) is { } at ? new TimerSchedule(kind, text, at: at) : null;
            case TimerKind.Duration:
                return IsoDuration.TryParse(text, out error) is { } duration
                    ? new TimerSchedule(kind, text, duration: duration)
                    : null;
            case TimerKind.Cycle:
                return text[0] is 'R' or 'r' ? TryParseRepeatingInterval(text, out error) : TryParseCron(text, out error);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown timer kind.");
        }
    }

    /// <summary>
    /// The next time the timer fires, or null when it has fired for the last time.
    /// </summary>
    /// <param name="reference">When the timer was armed (the token arrived at the timer event).</param>
    /// <param name="previousFire">When the timer last fired (its due time), null before the first fire.</param>
    /// <param name="firedCount">How often the timer has fired.</param>
    /// <remarks>
    /// A date returns its instant even when it is already past (the caller fires it at once). A cycle's first fire
    /// is its start when one is given, else reference + duration; each later one is previousFire + duration, so
    /// a P1M cycle from 31 January goes on from 28 February. A cron cycle fires at the first match strictly after
    /// previousFire, or after reference before the first fire.
    /// </remarks>
    public DateTimeOffset? NextAfter(DateTimeOffset reference, DateTimeOffset? previousFire = null, int firedCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firedCount);
        if (_cron is not null)
        {
            return _cron.GetNextOccurrence(previousFire ?? reference, FixedBeijingZone.Instance, inclusive: false);
        }

        switch (Kind)
        {
            case TimerKind.Date:
                return firedCount >= 1 ? null : _at;
            case TimerKind.Duration:
                return firedCount >= 1 ? null : _duration!.Value.AddTo(reference);
            default:
                if (firedCount >= _repetitions)
                {
                    return null;
                }

                if (previousFire is { } previous)
                {
                    return _duration!.Value.AddTo(previous);
                }

                return _at ?? _duration!.Value.AddTo(reference);
        }
    }

    private static TimerSchedule? TryParseRepeatingInterval(string text, out ExpressionError? error)
    {
        var parts = text.Split('/');
        var count = parts[0][1..];
        int? repetitions = null;
        if (count.Length > 0)
        {
            if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = RepeatingIntervalExpected(text);
                return null;
            }

            if (n == 0)
            {
                error = new ExpressionError(
                    $"The cycle '{text}' repeats zero times (R0), so it would never fire; use R1 or more, or R for no limit.",
                    $"循环“{text}”重复零次（R0），永远不会触发；请使用 R1 及以上，或用 R 表示不限次数。");
                return null;
            }

            repetitions = n;
        }

        if (parts.Length == 3 && IsDuration(parts[1]))
        {
            error = new ExpressionError(
                $"The cycle '{text}' gives a duration and an end (R<n>/<duration>/<end>), which is not supported; "
                + "give the start instead: R<n>/<start>/<duration>.",
                $"循环“{text}”采用“重复次数/时长/结束时间”的写法，暂不支持；请改为给出开始时间：R<n>/<开始时间>/<时长>。");
            return null;
        }

        if (parts.Length == 3 && !IsDuration(parts[2]))
        {
            error = new ExpressionError(
                $"The cycle '{text}' gives a start and an end (R<n>/<start>/<end>), which is not supported; "
                + "give the start and a duration: R<n>/<start>/<duration>.",
                $"循环“{text}”采用“重复次数/开始时间/结束时间”的写法，暂不支持；请写成 R<n>/<开始时间>/<时长>。");
            return null;
        }

        if (parts.Length is not (2 or 3))
        {
            error = RepeatingIntervalExpected(text);
            return null;
        }

        DateTimeOffset? start = null;
        if (parts.Length == 3)
        {
            start = IsoInstant.TryParse(parts[1], out error);
            if (start is null)
            {
                return null;
            }
        }

        var duration = IsoDuration.TryParse(parts[^1], out error);
        return duration is null
            ? null
            : new TimerSchedule(TimerKind.Cycle, text, at: start, duration: duration, repetitions: repetitions);

        static bool IsDuration(string part) => part.Length > 0 && part[0] is 'P' or 'p' or '-' or '+';
    }

    private static ExpressionError RepeatingIntervalExpected(string text) => new(
        $"'{text}' is not an ISO-8601 repeating interval; expected for example R3/PT1H, R/P1D or "
        + "R5/2026-10-12T09:00/P1D.",
        $"“{text}”不是 ISO-8601 重复区间；应形如 R3/PT1H、R/P1D 或 R5/2026-10-12T09:00/P1D。");

    private static TimerSchedule? TryParseCron(string text, out ExpressionError? error)
    {
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var format = fields.Length switch
        {
            1 when text[0] == '@' => CronFormat.Standard, // @daily, @hourly, ...
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            _ => (CronFormat?)null,
        };
        if (format is null)
        {
            var why = fields.Length == 7
                ? "the seventh (year) field of Quartz is not supported"
                : $"it has {fields.Length} fields";
            var whyZh = fields.Length == 7 ? "不支持 Quartz 的第七个字段（年）" : $"它有 {fields.Length} 个字段";
            error = new ExpressionError(
                $"'{text}' is neither an ISO-8601 repeating interval (R3/PT1H) nor a cron expression: {why}. "
                + "A cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first.",
                $"“{text}”既不是 ISO-8601 重复区间（如 R3/PT1H），也不是 cron 表达式：{whyZh}。"
                + "cron 表达式有 5 个字段（分 时 日 月 星期），或在最前面加上秒共 6 个字段。");
            return null;
        }

        // Quartz (Flowable, older Camunda) counts weekdays 1 = Sunday, cron 0/7 = Sunday and 1 = Monday: with six
        // fields the same text means different days in different engines, so only names are accepted there.
        if (fields.Length == 6 && fields[5].Split('#')[0].Any(char.IsAsciiDigit))
        {
            error = new ExpressionError(
                $"The cron expression '{text}' gives weekdays as numbers, which mean different days in Quartz "
                + "(1 = Sunday) and in cron (1 = Monday); write names instead, for example MON-FRI.",
                $"cron 表达式“{text}”用数字表示星期，而数字在 Quartz（1 = 星期日）和 cron（1 = 星期一）中含义不同；"
                + "请改用英文缩写，例如 MON-FRI。");
            return null;
        }

        CronExpression cron;
        try
        {
            cron = CronExpression.Parse(text, format.Value);
        }
        catch (CronFormatException ex)
        {
            error = new ExpressionError(
                $"'{text}' is not a valid cron expression: {ex.Message}",
                $"“{text}”不是有效的 cron 表达式：{ex.Message}");
            return null;
        }

        // A pattern such as 30 February parses but never matches; refuse it rather than arm a timer that never fires.
        if (cron.GetNextOccurrence(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), FixedBeijingZone.Instance) is null)
        {
            error = new ExpressionError(
                $"The cron expression '{text}' never fires (for example 30 February).",
                $"cron 表达式“{text}”永远不会触发（例如 2 月 30 日）。");
            return null;
        }

        error = null;
        return new TimerSchedule(TimerKind.Cycle, text, cron: cron);
    }
}
