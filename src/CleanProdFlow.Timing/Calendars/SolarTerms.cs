namespace CleanProdFlow.Timing.Calendars;

/// <summary>
/// Solar-term dates from the sun's apparent ecliptic longitude (Meeus, Astronomical Algorithms ch. 25,
/// low-accuracy theory, about 0.01° ≈ 15 minutes). 清明 is the day, in Beijing time, on which the
/// longitude reaches 15°. The tests check every year 2000–2030 against published dates and the
/// whole range 2001–2099 against the 寿星 formula, so a year whose term falls within minutes of
/// midnight would show up there.
/// </summary>
public static class SolarTerms
{
    // JD of 0001-01-01 00:00 UT in the proleptic Gregorian calendar, the origin of DateOnly.DayNumber.
    private const double JulianDayOfDayNumberZero = 1721425.5;

    public static DateOnly Qingming(int year) => DayOfLongitude(year, 15.0, new DateOnly(year, 4, 5));

    /// <summary>The Beijing date on which the sun's apparent longitude reaches <paramref name="longitude"/>, near <paramref name="near"/>.</summary>
    public static DateOnly DayOfLongitude(int year, double longitude, DateOnly near)
    {
        var jde = near.DayNumber + JulianDayOfDayNumberZero;
        for (var i = 0; i < 20; i++)
        {
            var delta = SignedDegrees(longitude - ApparentLongitude(jde));
            jde += delta * 365.2422 / 360.0;
            if (Math.Abs(delta) < 1e-9)
            {
                break;
            }
        }

        var beijing = jde - DeltaTSeconds(year) / 86400.0 + 8.0 / 24.0;
        return DateOnly.FromDayNumber((int)Math.Floor(beijing - JulianDayOfDayNumberZero));
    }

    private static double ApparentLongitude(double jde)
    {
        var t = (jde - 2451545.0) / 36525.0;
        var l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
        var m = Radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t);
        var c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * Math.Sin(m)
                + (0.019993 - 0.000101 * t) * Math.Sin(2 * m)
                + 0.000289 * Math.Sin(3 * m);
        var omega = Radians(125.04 - 1934.136 * t);
        return Normalize(l0 + c - 0.00569 - 0.00478 * Math.Sin(omega));
    }

    // TT − UT (NASA polynomial fits, Espenak & Meeus); only shifts the instant by about a minute.
    private static double DeltaTSeconds(int year)
    {
        double t = year - 2000;
        if (year < 2005)
        {
            return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t
                   + 0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
        }

        if (year < 2050)
        {
            return 62.92 + 0.32217 * t + 0.005589 * t * t;
        }

        var u = (year - 1820) / 100.0;
        return -20 + 32 * u * u - 0.5628 * (2150 - year);
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180.0;

    private static double Normalize(double degrees)
    {
        var d = degrees % 360.0;
        return d < 0 ? d + 360.0 : d;
    }

    private static double SignedDegrees(double degrees)
    {
        var d = Normalize(degrees);
        return d > 180.0 ? d - 360.0 : d;
    }
}
