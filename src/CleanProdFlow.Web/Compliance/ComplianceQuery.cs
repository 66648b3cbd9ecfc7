using System.Globalization;
using CleanProdFlow.Data.Compliance;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Web.Compliance;

/// <summary>
/// The filter of the compliance pages and exports as the query string carries it: city, clock rule, track and a
/// period of Beijing dates (from … to, both inclusive). A value that does not read is named in <see cref="Problems"/>
/// and left out of the filter, so the page still shows (unfiltered by it) and says why.
/// </summary>
public sealed record ComplianceQuery(string? City, string? Rule, string? Track, string? From, string? To)
{
    public static readonly string[] Tracks = ["standard", "fast", "fast-ended"];

    public static ComplianceQuery Read(IQueryCollection query) =>
        new(Clean(query["city"]), Clean(query["rule"]), Clean(query["track"]), Clean(query["from"]), Clean(query["to"]));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The store's filter within <paramref name="scope"/> (null: every organisation), and what was left out.</summary>
    public (ComplianceFilter Filter, IReadOnlyDictionary<string, LocalizedText> Problems) ToFilter(string? scope)
    {
        var problems = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        var city = City;
        if (city is not null && Organisation.Find(city) is null)
        {
            problems["city"] = new($"未知的单位“{city}”", $"unknown organisation '{city}'");
            city = null;
        }
        var track = Track;
        if (track is not null && !Tracks.Contains(track))
        {
            problems["track"] = new($"未知的通道“{track}”", $"unknown track '{track}'");
            track = null;
        }
        var from = Date("from", From, problems);
        var to = Date("to", To, problems);
        if (from is { } f && to is { } t && t < f)
        {
            problems["to"] = new("截止日期早于起始日期", "the end date is before the start date");
            to = null;
        }
        var filter = new ComplianceFilter
        {
            Organisation = scope ?? city,
            RuleId = Rule,
            Track = track,
            From = from is { } start ? BeijingTime.StartOf(start) : null,
            To = to is { } end ? BeijingTime.EndOf(end) : null,
        };
        return (filter, problems);
    }

    /// <summary>True when the caller limited to <paramref name="scope"/> asked for another organisation.</summary>
    public bool AsksOutside(string? scope) => scope is not null && City is not null && City != scope;

    private static DateOnly? Date(string field, string? text, Dictionary<string, LocalizedText> problems)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year is >= 2000 and <= 2100)
            return day;
        problems[field] = new($"日期“{text}”须为 yyyy-MM-dd 格式", $"the date '{text}' must be yyyy-MM-dd");
        return null;
    }

    /// <summary>This filter (and <paramref name="more"/>) as a query string, for links that keep it.</summary>
    public string QueryString(params (string Name, string? Value)[] more)
    {
        var pairs = new List<(string, string?)> { ("city", City), ("rule", Rule), ("track", Track), ("from", From), ("to", To) };
        foreach (var (name, value) in more)
        {
            pairs.RemoveAll(p => p.Item1 == name);
            pairs.Add((name, value));
        }
        var present = pairs.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join('&', present);
    }
}
