using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Notifications;

/// <summary>What a notification is about (DESIGN §4: reminders, breaches, escalations; and new tasks for a group).</summary>
public static class NotificationKind
{
    public const string Task = "task";
    public const string ReminderHalf = "reminder.half";
    public const string ReminderThreeQuarters = "reminder.three-quarters";
    public const string ReminderDayBefore = "reminder.day-before";
    public const string Breach = "breach";
    public const string Escalation = "escalation";

    public static IReadOnlyList<string> All { get; } = [Task, ReminderHalf, ReminderThreeQuarters, ReminderDayBefore, Breach, Escalation];

    public static LocalizedText NameOf(string kind) => kind switch
    {
        Task => new("新待办", "New task"),
        ReminderHalf => new("时限已用一半", "Half the time used"),
        ReminderThreeQuarters => new("时限已用四分之三", "Three quarters of the time used"),
        ReminderDayBefore => new("明日到期", "Due tomorrow"),
        Breach => new("已超期", "Overdue"),
        Escalation => new("超期督办", "Escalation"),
        _ => new(kind, kind),
    };
}

/// <summary>
/// Something that happened in a case that the users holding <see cref="Groups"/> in <see cref="Organisation"/> must
/// hear of, once: <see cref="SourceKey"/> names the event (a task id, a fired timer, a clock's due date), so recording
/// it again, or fanning it out again, creates nothing new.
/// </summary>
public sealed record NotificationEvent(
    string SourceKey, string Kind, Guid? InstanceId, Guid? TaskId, string Organisation, IReadOnlyList<string> Groups,
    LocalizedText Title, LocalizedText Body, string Link, DateTimeOffset OccurredAt)
{
    /// <summary>The title with the kind in front, e.g. “【明日到期】审批决定 · 苏州环审〔2026〕0001”.</summary>
    public static LocalizedText TitleOf(string kind, string what, string? businessKey)
    {
        var name = NotificationKind.NameOf(kind);
        var suffix = string.IsNullOrWhiteSpace(businessKey) ? "" : $" · {businessKey}";
        return new($"【{name.Zh}】{what}{suffix}", $"[{name.En}] {what}{suffix}");
    }
}
