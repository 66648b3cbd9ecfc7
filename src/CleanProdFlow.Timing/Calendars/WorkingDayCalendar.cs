using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CleanProdFlow.Timing.Calendars;

/// <summary>
/// The working-day calendar over 2000–2100: official years where a notice is loaded, provisional elsewhere.
/// Immutable: loading a year returns a new calendar. Built once into an index (working flag and cumulative
/// working-day count per day, and the position of every working day), so "is D a working day" and
/// "the N-th working day after D" are O(1) array reads.
/// </summary>
public sealed class WorkingDayCalendar
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;
    public const string MainlandId = "cn-mainland";

    // Bumped whenever the provisional computation changes, so versions of calendars built by it change too.
    private const string ProvisionalAlgorithm = "provisional-v1";

    public static readonly DateOnly FirstDay = new(FirstYear, 1, 1);
    public static readonly DateOnly LastDay = new(LastYear, 12, 31);

    private static readonly Lazy<CalendarYear[]> ProvisionalYears = new(() =>
        Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(CalendarYear.ProvisionalFor).ToArray());

    private readonly CalendarYear[] _years;
    private readonly bool[] _working;

    // _cumulative[i + 1] = working days in [FirstDay, FirstDay + i]; _cumulative[0] = 0.
    private readonly int[] _cumulative;

    // _workingDays[k] = index of the (k + 1)-th working day from FirstDay.
    private readonly int[] _workingDays;

    private WorkingDayCalendar(string id, CalendarYear[] years)
    {
        Id = id;
        _years = years;
        var count = LastDay.DayNumber - FirstDay.DayNumber + 1;
        _working = new bool[count];
        _cumulative = new int[count + 1];
        var workingDays = new List<int>(count * 3 / 4);
        for (var i = 0; i < count; i++)
        {
            var day = FirstDay.AddDays(i);
            var year = years[day.Year - FirstYear];
            var working = year.IsMakeUpWorkday(day) || (!IsWeekend(day) && !year.IsDayOff(day));
            _working[i] = working;
            _cumulative[i + 1] = _cumulative[i] + (working ? 1 : 0);
            if (working)
            {
                workingDays.Add(i);
            }
        }

        _workingDays = [.. workingDays];
        Version = ComputeVersion(id, years);
    }

    public string Id { get; }

    /// <summary>
    /// "cn-mainland@" + a hash of every official year's content and the provisional algorithm; any change
    /// to the data gives a new version, and every deadline records the version it was computed on.
    /// </summary>
    public string Version { get; }

    /// <summary>Every year 2000–2100, official or provisional.</summary>
    public IReadOnlyList<CalendarYear> Years => _years;

    public IEnumerable<CalendarYear> OfficialYears => _years.Where(y => !y.Provisional);

    /// <summary>A calendar with every year provisional.</summary>
    public static WorkingDayCalendar Provisional(string id = MainlandId) => new(id, [.. ProvisionalYears.Value]);

    /// <summary>Parses a calendar document <c>{"calendar": "cn-mainland", "years": [...]}</c>; every year listed is official.</summary>
    public static Validated<WorkingDayCalendar> Parse(string json)
    {
        var errors = new List<FieldError>();
        var root = FieldReader.Root(json, errors);
        if (root is null)
        {
            return Validated<WorkingDayCalendar>.Fail(errors);
        }

        var id = root.String("calendar", required: true);
        var timeZone = root.String("timeZone", required: false);
        if (timeZone is not null && timeZone != "Asia/Shanghai")
        {
            errors.Add(FieldErrors.Unknown("timeZone", timeZone, ["Asia/Shanghai"]));
        }

        var years = new List<CalendarYear>();
        var seen = new HashSet<int>();
        foreach (var (element, path) in root.Array("years", required: true))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldErrors.WrongType(path, "an object", "对象"));
                continue;
            }

            var year = CalendarYear.Read(FieldReader.Of(element, path, errors));
            if (!year.IsValid)
            {
                continue;
            }

            if (!seen.Add(year.Value.Year))
            {
                errors.Add(new FieldError(path + ".year", "duplicate", $"{year.Value.Year} is listed twice", $"{year.Value.Year} 年重复列出"));
                continue;
            }

            years.Add(year.Value);
        }

        if (errors.Count > 0 || id is null)
        {
            return Validated<WorkingDayCalendar>.Fail(errors.Count > 0 ? errors : [FieldErrors.Required("calendar")]);
        }

        var all = ProvisionalYears.Value.ToArray();
        foreach (var year in years)
        {
            all[year.Year - FirstYear] = year;
        }

        return Validated<WorkingDayCalendar>.Ok(new WorkingDayCalendar(id, all));
    }

    public static Validated<WorkingDayCalendar> Parse(Stream utf8Json)
    {
        using var reader = new StreamReader(utf8Json, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>
    /// Loads an official year (replacing the provisional one, or correcting an earlier notice) and
    /// returns the change: the calendars before and after and the days whose working status moved.
    /// </summary>
    public CalendarLoad Load(CalendarYear official)
    {
        ArgumentNullException.ThrowIfNull(official);
        if (official.Provisional)
        {
            throw new ArgumentException("Only an official year can be loaded; provisional years are computed.", nameof(official));
        }

        var years = (CalendarYear[])_years.Clone();
        var previous = years[official.Year - FirstYear];
        years[official.Year - FirstYear] = official;
        var after = new WorkingDayCalendar(Id, years);
        var changed = new List<DateOnly>();
        for (var day = new DateOnly(official.Year, 1, 1); day.Year == official.Year; day = day.AddDays(1))
        {
            if (IsWorkingDay(day) != after.IsWorkingDay(day))
            {
                changed.Add(day);
            }
        }

        return new CalendarLoad(this, after, previous, official, changed);
    }

    public CalendarYear Year(int year) =>
        year is >= FirstYear and <= LastYear
            ? _years[year - FirstYear]
            : throw new ArgumentOutOfRangeException(nameof(year), year, $"Supported years are {FirstYear}–{LastYear}.");

    public bool IsProvisional(int year) => Year(year).Provisional;

    public static bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    public bool IsWorkingDay(DateOnly day) => _working[Index(day)];

    public DayKind KindOf(DateOnly day)
    {
        var year = Year(day.Year);
        if (year.IsMakeUpWorkday(day))
        {
            return DayKind.MakeUpWorkday;
        }

        if (year.IsDayOff(day))
        {
            return DayKind.DayOff;
        }

        return IsWeekend(day) ? DayKind.Weekend : DayKind.Weekday;
    }

    /// <summary>The <paramref name="n"/>-th working day strictly after <paramref name="day"/> (n ≥ 1); O(1).</summary>
    public DateOnly AddWorkingDays(DateOnly day, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var ordinal = _cumulative[Index(day) + 1] + n;
        if (ordinal > _workingDays.Length)
        {
            throw new CalendarRangeException(LastDay.AddDays(1));
        }

        return FirstDay.AddDays(_workingDays[ordinal - 1]);
    }

    /// <summary>Working days in (<paramref name="after"/>, <paramref name="through"/>]; 0 when the range is empty; O(1).</summary>
    public int WorkingDaysBetween(DateOnly after, DateOnly through)
    {
        if (through <= after)
        {
            return 0;
        }

        // The day before FirstDay has index −1, whose cumulative count is _cumulative[0] = 0.
        var from = after < FirstDay ? -1 : Index(after);
        return _cumulative[Index(through) + 1] - _cumulative[from + 1];
    }

    /// <summary>The day itself when it is a working day, else the next working day.</summary>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly day) => IsWorkingDay(day) ? day : AddWorkingDays(day, 1);

    /// <summary>The calendar document (official years only) in the shape <see cref="Parse(string)"/> reads.</summary>
    public string ToJson()
    {
        var years = new JsonArray();
        foreach (var year in OfficialYears)
        {
            years.Add(JsonNode.Parse(year.ToJson()));
        }

        var document = new JsonObject
        {
            ["calendar"] = Id,
            ["timeZone"] = "Asia/Shanghai",
            ["years"] = years,
        };
        return document.ToJsonString(TimingJson.Options);
    }

    public override string ToString() => Version;

    private static int Index(DateOnly day) =>
        Contains(day) ? day.DayNumber - FirstDay.DayNumber : throw new CalendarRangeException(day);

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static string ComputeVersion(string id, CalendarYear[] years)
    {
        var canonical = ProvisionalAlgorithm + "|" + string.Join("|", years.Where(y => !y.Provisional).Select(y => $"{y.Year}:{y.Version}"));
        return id + "@" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12];
    }
}
