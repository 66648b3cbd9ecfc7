using System.Globalization;

namespace CleanProdFlow.Timing.Calendars;

/// <summary>
/// 《全国年节及纪念日放假办法》 in the revision in force for a year. A provisional year gets exactly the
/// holidays the regulation names: no bridge days, no make-up working days, and no 补假 for a holiday
/// falling on a weekend (art. 6 leaves which weekday to the State Council's notice).
/// </summary>
public sealed record HolidayRegulation(
    string Id,
    string Title,
    string DocumentNumber,
    DateOnly Signed,
    int FirstYear,
    int LastYear)
{
    private const string TitleZh = "全国年节及纪念日放假办法";

    /// <summary>1999 text: 春节 初一至初三, 劳动节 and 国庆节 three days each, no 清明/端午/中秋.</summary>
    public static readonly HolidayRegulation Of1999 = new("1999", TitleZh + "（1999年）", "国务院令第270号", new DateOnly(1999, 9, 18), 2000, 2007);

    /// <summary>2007 revision: 春节 除夕至初二, 清明/端午/中秋 added, 劳动节 one day.</summary>
    public static readonly HolidayRegulation Of2007 = new("2007", TitleZh + "（2007年修订）", "国务院令第513号", new DateOnly(2007, 12, 14), 2008, 2013);

    /// <summary>2013 revision: 春节 back to 初一至初三.</summary>
    public static readonly HolidayRegulation Of2013 = new("2013", TitleZh + "（2013年修订）", "国务院令第644号", new DateOnly(2013, 12, 11), 2014, 2024);

    /// <summary>2024 revision, in force 2025-01-01: 春节 除夕 + 初一至初三, 劳动节 May 1–2.</summary>
    public static readonly HolidayRegulation Of2024 = new("2024", TitleZh + "（2024年修订）", "国务院令第795号", new DateOnly(2024, 11, 10), 2025, WorkingDayCalendar.LastYear);

    public static IReadOnlyList<HolidayRegulation> All { get; } = [Of1999, Of2007, Of2013, Of2024];

    private static readonly ChineseLunisolarCalendar Lunar = new();

    public static HolidayRegulation For(int year) =>
        All.FirstOrDefault(r => year >= r.FirstYear && year <= r.LastYear)
        ?? throw new ArgumentOutOfRangeException(nameof(year), year, $"Supported years are {WorkingDayCalendar.FirstYear}–{WorkingDayCalendar.LastYear}.");

    /// <summary>The statutory holidays of <paramref name="year"/> under this regulation, in date order.</summary>
    public IReadOnlyList<StatutoryHoliday> HolidaysIn(int year)
    {
        if (year < FirstYear || year > LastYear)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"Regulation {Id} applies to {FirstYear}–{LastYear}.");
        }

        var days = new List<StatutoryHoliday>();
        void Add(DateOnly date, string zh, string en) => days.Add(new StatutoryHoliday(date, zh, en));

        Add(new DateOnly(year, 1, 1), "元旦", "New Year's Day");

        var newYear = LunarDate(year, 1, 1);
        var springFirst = Id switch
        {
            "2007" or "2024" => -1, // 除夕, the last day of the lunar year
            _ => 0,
        };
        var springLast = Id == "2007" ? 1 : 2; // 2007 text: 除夕、初一、初二
        for (var offset = springFirst; offset <= springLast; offset++)
        {
            Add(newYear.AddDays(offset), "春节", "Spring Festival");
        }

        if (Id != "1999")
        {
            Add(SolarTerms.Qingming(year), "清明节", "Qingming Festival");
        }

        var labourDays = Id switch
        {
            "1999" => 3,
            "2024" => 2,
            _ => 1,
        };
        for (var d = 1; d <= labourDays; d++)
        {
            Add(new DateOnly(year, 5, d), "劳动节", "Labour Day");
        }

        if (Id != "1999")
        {
            Add(LunarDate(year, 5, 5), "端午节", "Dragon Boat Festival");
            Add(LunarDate(year, 8, 15), "中秋节", "Mid-Autumn Festival");
        }

        for (var d = 1; d <= 3; d++)
        {
            Add(new DateOnly(year, 10, d), "国庆节", "National Day");
        }

        return days.OrderBy(h => h.Date).ToList();
    }

    /// <summary>The Gregorian date of a day of an ordinary (non-leap) lunar month of lunar year <paramref name="lunarYear"/>.</summary>
    public static DateOnly LunarDate(int lunarYear, int month, int day)
    {
        // GetLeapMonth gives the 1-based position of the leap month (e.g. 7 = 闰六月); later months shift by one.
        var leap = Lunar.GetLeapMonth(lunarYear);
        var index = leap == 0 || month < leap ? month : month + 1;
        return DateOnly.FromDateTime(Lunar.ToDateTime(lunarYear, index, day, 0, 0, 0, 0));
    }
}
