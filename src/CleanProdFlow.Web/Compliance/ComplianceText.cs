using System.Globalization;
using CleanProdFlow.Domain.Compliance;
using CleanProdFlow.Web.Pages;

namespace CleanProdFlow.Web.Compliance;

/// <summary>The compliance pages' and exports' words for stored values, in the user's language.</summary>
public static class ComplianceText
{
    public static string Track(string? track) => track switch
    {
        "fast" => Ui.T("绿色通道（时限减半）", "Fast track (halved)"),
        "fast-ended" => Ui.T("退出绿色通道", "Left the fast track"),
        "standard" => Ui.T("普通程序", "Standard"),
        _ => track ?? "",
    };

    public static string Track(ClockTrack track) => Track(track switch
    {
        ClockTrack.Fast => "fast",
        ClockTrack.FastEnded => "fast-ended",
        _ => "standard",
    });

    /// <summary>A summary row's result; a running clock past its due instant reads as overdue.</summary>
    public static string Result(string result, DateTimeOffset? dueAt, DateTimeOffset now) => result switch
    {
        "on-time" => Ui.T("按期办结", "On time"),
        "late" => Ui.T("超期办结", "Late"),
        "running" when dueAt is { } due && due < now => Ui.T("已超期（办理中）", "Overdue (open)"),
        "running" => Ui.T("计时中", "Running"),
        "paused" => Ui.T("暂停中", "Paused"),
        "cancelled" => Ui.T("已撤销", "Cancelled"),
        _ => result,
    };

    public static string ResultBadge(string result, DateTimeOffset? dueAt, DateTimeOffset now) => result switch
    {
        "on-time" => "badge-green",
        "late" => "badge-red",
        "running" when dueAt is { } due && due < now => "badge-overdue",
        "paused" => "badge-paused",
        _ => "badge-neutral",
    };

    /// <summary>The verdict of one clock as a sentence: on time, late by N working days, running with N left, overdue by N.</summary>
    public static string Verdict(ClockVerdict verdict) => verdict.Result switch
    {
        ComplianceResult.OnTime => Ui.T("按期办结（在截止时刻前停止计时）", "On time (stopped before the due instant)"),
        ComplianceResult.Late => Ui.T($"超期办结：于截止后第 {verdict.WorkingDaysLate} 个工作日办结", $"Late: decided on working day {verdict.WorkingDaysLate} past the due date"),
        ComplianceResult.Overdue => Ui.T($"已超期，仍在计时：今日为截止后第 {verdict.WorkingDaysLate} 个工作日", $"Overdue, still running: today is working day {verdict.WorkingDaysLate} past the due date"),
        ComplianceResult.Running => verdict.WorkingDaysLeft is { } left
            ? Ui.T($"计时中：剩余 {left} 个工作日", $"Running: {left} working days left")
            : Ui.T("计时中", "Running"),
        ComplianceResult.Paused => Ui.T("暂停中：恢复计时后确定截止日期", "Paused: the due date is set when it resumes"),
        _ => Ui.T("已撤销计时", "Cancelled"),
    };

    /// <summary>
    /// How late, counted as ClockCompliance does: working days after the due date through the day decided (or today),
    /// so a decision on the first working day past the limit is "day 1" — the Timing library's explanation counts only
    /// working days that have fully ended, one fewer.
    /// </summary>
    public static string Lateness(string result, int workingDaysLate) => result == "late"
        ? Ui.T($"截止后第 {workingDaysLate} 个工作日办结", $"decided on working day {workingDaysLate} past due")
        : Ui.T($"截止后第 {workingDaysLate} 个工作日", $"working day {workingDaysLate} past due");

    public static string ResultBadge(ComplianceResult result) => result switch
    {
        ComplianceResult.OnTime => "badge-green",
        ComplianceResult.Late => "badge-red",
        ComplianceResult.Overdue => "badge-overdue",
        ComplianceResult.Paused => "badge-paused",
        _ => "badge-neutral",
    };

    /// <summary>A city by its short name (苏州市 / Suzhou), for charts and tables where the bureau's full name is too long.</summary>
    public static string CityName(string? code) => CleanProdFlow.Domain.Access.Organisation.Find(code) is { } organisation
        ? Ui.T(organisation.NameZh.Replace("生态环境局", "").Replace("江苏省生态环境厅", "省厅"), organisation.NameEn.Replace(" Ecology and Environment Bureau", "")
            .Replace("Jiangsu Provincial Department of Ecology and Environment", "Province"))
        : code ?? "";

    public static string RuleName(string? nameZh, string? nameEn, string? ruleId) =>
        (Ui.IsEnglish ? nameEn ?? nameZh : nameZh ?? nameEn) ?? ruleId ?? Ui.T("（无规则）", "(no rule)");

    /// <summary>A share as a percentage with one decimal, or "—" when nothing was decided.</summary>
    public static string Rate(long part, long whole) =>
        whole == 0 ? "—" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static double? RateValue(long part, long whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);

    public static string Days(double? days) => days is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    public static string Month(string? month) => month ?? Ui.T("（未办结）", "(open)");

    public static string EventKind(string kind) => kind switch
    {
        "started" => Ui.T("开始计时", "Started"),
        "paused" => Ui.T("暂停计时", "Paused"),
        "resumed" => Ui.T("恢复计时", "Resumed"),
        "extended" => Ui.T("延长期限", "Extended"),
        "fastTrackEnded" => Ui.T("退出绿色通道", "Left the fast track"),
        "stopped" => Ui.T("停止计时（办结）", "Stopped (decided)"),
        "cancelled" => Ui.T("撤销计时", "Cancelled"),
        _ => kind,
    };
}
