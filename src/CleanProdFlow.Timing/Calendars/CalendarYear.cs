using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CleanProdFlow.Timing.Calendars;

/// <summary>
/// One year of the working-day calendar: official (from a State Council notice, with its make-up working
/// days) or provisional (weekends plus the regulation's statutory holidays). Immutable and validated:
/// an instance never has a day both off and worked, a weekday as make-up day, or a day of another year.
/// </summary>
public sealed class CalendarYear
{
    private readonly HashSet<DateOnly> _off;
    private readonly HashSet<DateOnly> _makeUp;

    private CalendarYear(int year, bool provisional, CalendarSource source, IReadOnlyList<DateOnly> daysOff, IReadOnlyList<DateOnly> makeUpWorkdays, string version)
    {
        Year = year;
        Provisional = provisional;
        Source = source;
        DaysOff = daysOff;
        MakeUpWorkdays = makeUpWorkdays;
        Version = version;
        _off = [.. daysOff];
        _makeUp = [.. makeUpWorkdays];
    }

    public int Year { get; }

    /// <summary>True when no notice has been loaded for the year and its days off are computed from the regulation.</summary>
    public bool Provisional { get; }

    public CalendarSource Source { get; }

    /// <summary>Every day off (放假) in date order; may include the weekend days inside a holiday block.</summary>
    public IReadOnlyList<DateOnly> DaysOff { get; }

    /// <summary>Weekend days worked (调休上班日), in date order.</summary>
    public IReadOnlyList<DateOnly> MakeUpWorkdays { get; }

    /// <summary>"sha256:…" of the content for an official year; "provisional:regulation-…" for a computed one.</summary>
    public string Version { get; }

    public bool IsDayOff(DateOnly day) => _off.Contains(day);

    public bool IsMakeUpWorkday(DateOnly day) => _makeUp.Contains(day);

    /// <summary>The year computed from the regulation in force: weekends plus its statutory holidays.</summary>
    public static CalendarYear ProvisionalFor(int year)
    {
        var regulation = HolidayRegulation.For(year);
        var off = regulation.HolidaysIn(year).Select(h => h.Date).Distinct().Order().ToList();
        var source = new CalendarSource(regulation.Title, regulation.DocumentNumber, regulation.Signed);
        return new CalendarYear(year, provisional: true, source, off, [], "provisional:regulation-" + regulation.Id);
    }

    /// <summary>Builds an official year from a notice, checking every rule; errors are named with <paramref name="pathPrefix"/>.</summary>
    public static Validated<CalendarYear> Official(
        int year,
        CalendarSource source,
        IReadOnlyList<DateOnly> daysOff,
        IReadOnlyList<DateOnly> makeUpWorkdays,
        string pathPrefix = "")
    {
        var errors = new List<FieldError>();
        string P(string field) => pathPrefix.Length == 0 ? field : pathPrefix + "." + field;

        if (year < WorkingDayCalendar.FirstYear || year > WorkingDayCalendar.LastYear)
        {
            errors.Add(FieldErrors.OutOfRange(P("year"), WorkingDayCalendar.FirstYear, WorkingDayCalendar.LastYear));
            return Validated<CalendarYear>.Fail(errors);
        }

        CheckSource(source, P("source"), errors);

        var off = new HashSet<DateOnly>();
        for (var i = 0; i < daysOff.Count; i++)
        {
            var day = daysOff[i];
            var path = $"{P("daysOff")}[{i}]";
            if (day.Year != year)
            {
                errors.Add(NotInYear(path, day, year));
            }
            else if (!off.Add(day))
            {
                errors.Add(Duplicate(path, day));
            }
        }

        var makeUp = new HashSet<DateOnly>();
        for (var i = 0; i < makeUpWorkdays.Count; i++)
        {
            var day = makeUpWorkdays[i];
            var path = $"{P("makeUpWorkdays")}[{i}]";
            if (day.Year != year)
            {
                errors.Add(NotInYear(path, day, year));
            }
            else if (!IsWeekend(day))
            {
                errors.Add(new FieldError(path, "weekdayMakeUp",
                    $"{BeijingTime.Format(day)} is a {day.DayOfWeek}; a make-up working day must be a Saturday or Sunday",
                    $"{BeijingTime.Format(day)} 是工作日（{day.DayOfWeek}），调休上班日必须是周六或周日"));
            }
            else if (off.Contains(day))
            {
                errors.Add(new FieldError(path, "offAndMakeUp",
                    $"{BeijingTime.Format(day)} is listed both as a day off and as a make-up working day",
                    $"{BeijingTime.Format(day)} 同时被列为放假日和调休上班日"));
            }
            else if (!makeUp.Add(day))
            {
                errors.Add(Duplicate(path, day));
            }
        }

        if (errors.Count > 0)
        {
            return Validated<CalendarYear>.Fail(errors);
        }

        var sortedOff = off.Order().ToList();
        var sortedMakeUp = makeUp.Order().ToList();
        return Validated<CalendarYear>.Ok(new CalendarYear(year, provisional: false, source, sortedOff, sortedMakeUp,
            ContentVersion(year, source, sortedOff, sortedMakeUp)));
    }

    /// <summary>
    /// Parses one year in the API/file shape <c>{"year", "source", "daysOff", "makeUpWorkdays"}</c>
    /// (a <c>"provisional": false</c> is accepted and ignored; <c>true</c> is refused: a loaded year is official).
    /// </summary>
    public static Validated<CalendarYear> Parse(string json)
    {
        var errors = new List<FieldError>();
        var root = FieldReader.Root(json, errors);
        return root is null ? Validated<CalendarYear>.Fail(errors) : Read(root);
    }

    public static Validated<CalendarYear> Parse(Stream utf8Json)
    {
        using var reader = new StreamReader(utf8Json, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    internal static Validated<CalendarYear> Read(FieldReader reader)
    {
        var errors = reader.Errors;
        var before = errors.Count;
        var year = reader.Int("year", required: true, int.MinValue, int.MaxValue);
        if (year is < WorkingDayCalendar.FirstYear or > WorkingDayCalendar.LastYear)
        {
            reader.Add(FieldErrors.OutOfRange(reader.Path("year"), WorkingDayCalendar.FirstYear, WorkingDayCalendar.LastYear));
            year = null;
        }

        if (reader.Bool("provisional", required: false) == true)
        {
            reader.Add(FieldErrors.Invalid(reader.Path("provisional"), "a loaded year is official; leave provisional out or false",
                "加载的年份为正式安排，provisional 应省略或为 false"));
        }

        CalendarSource? source = null;
        var sourceReader = reader.Object("source", required: true);
        if (sourceReader is not null)
        {
            var title = sourceReader.String("title", required: true);
            var number = sourceReader.String("documentNumber", required: true);
            var date = sourceReader.Date("date", required: true);
            var url = sourceReader.String("url", required: false);
            if (title is not null && number is not null && date is not null)
            {
                source = new CalendarSource(title, number, date.Value, url);
            }
        }

        var daysOff = ReadDates(reader, "daysOff", errors);
        var makeUp = ReadDates(reader, "makeUpWorkdays", errors);
        // Every null above was reported as an error, so the first test is the one that matters.
        if (errors.Count > before || year is null || source is null)
        {
            return Validated<CalendarYear>.Fail(errors.Skip(before).ToList());
        }

        var built = Official(year.Value, source, daysOff, makeUp, reader.Prefix);
        if (!built.IsValid)
        {
            errors.AddRange(built.Errors);
        }

        return built;
    }

    /// <summary>The year in the API shape {year, provisional, version, source, daysOff, makeUpWorkdays}.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TimingJson.Options);

    public override string ToString() => $"{Year} ({(Provisional ? "provisional" : Source.DocumentNumber)})";

    private static List<DateOnly> ReadDates(FieldReader reader, string name, List<FieldError> errors)
    {
        var days = new List<DateOnly>();
        foreach (var (element, path) in reader.Array(name, required: true))
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                errors.Add(FieldErrors.WrongType(path, "a date string yyyy-MM-dd", "yyyy-MM-dd 日期字符串"));
                continue;
            }

            var day = FieldReader.ParseDate(element.GetString()!, path, errors);
            if (day is not null)
            {
                days.Add(day.Value);
            }
        }

        return days;
    }

    private static void CheckSource(CalendarSource source, string path, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(source.Title))
        {
            errors.Add(FieldErrors.Required(path + ".title"));
        }

        if (string.IsNullOrWhiteSpace(source.DocumentNumber))
        {
            errors.Add(FieldErrors.Required(path + ".documentNumber"));
        }
    }

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static FieldError NotInYear(string path, DateOnly day, int year) =>
        new(path, "notInYear", $"{BeijingTime.Format(day)} is not in {year}", $"{BeijingTime.Format(day)} 不在 {year} 年内");

    private static FieldError Duplicate(string path, DateOnly day) =>
        new(path, "duplicate", $"{BeijingTime.Format(day)} is listed twice", $"{BeijingTime.Format(day)} 重复列出");

    private static string ContentVersion(int year, CalendarSource source, IEnumerable<DateOnly> off, IEnumerable<DateOnly> makeUp)
    {
        var canonical = $"{year}|{source.DocumentNumber}|off:{string.Join(',', off.Select(BeijingTime.Format))}|work:{string.Join(',', makeUp.Select(BeijingTime.Format))}";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12];
    }
}
