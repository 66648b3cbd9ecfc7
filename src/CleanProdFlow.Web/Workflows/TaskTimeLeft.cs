using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Timing.Calendars;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Workflows;

/// <summary>How urgent an open task is: the inbox's colour badge.</summary>
public enum Urgency
{
    /// <summary>More than half of the working days left.</summary>
    Green,
    /// <summary>Half or less left, more than one working day.</summary>
    Amber,
    /// <summary>One working day or less left.</summary>
    Red,
    /// <summary>The due instant has passed.</summary>
    Overdue,
}

/// <summary>
/// The time left of a task with a due date, counted in working days on the statutory calendar the way a clock counts:
/// the day the task was created does not count, a day counts once it has ended, so today is still "left". The due
/// date is the last day inside the limit (a due instant of 24:00 belongs to the day before).
/// </summary>
public sealed record TaskTimeLeft(DateOnly DueDate, int WorkingDaysTotal, int WorkingDaysLeft, int WorkingDaysOverdue, Urgency Urgency)
{
    /// <summary>"剩余 3 个工作日" / "3 working days left", "已超期 2 个工作日" / "2 working days overdue".</summary>
    public LocalizedText Text => Urgency == Urgency.Overdue
        ? WorkingDaysOverdue > 0
            ? new($"已超期 {WorkingDaysOverdue} 个工作日", $"{WorkingDaysOverdue} working day{(WorkingDaysOverdue == 1 ? "" : "s")} overdue")
            : new("已超期", "overdue")
        : new($"剩余 {WorkingDaysLeft} 个工作日", $"{WorkingDaysLeft} working day{(WorkingDaysLeft == 1 ? "" : "s")} left");

    /// <summary>The time left of an open task at <paramref name="now"/>; null when it is not open or has no due date (e.g. its clock is paused).</summary>
    public static TaskTimeLeft? Of(TaskRecord task, DateTimeOffset now, WorkingDayCalendar calendar) =>
        task.Status == TaskStatus.Open && task.DueAt is { } due ? Of(task.CreatedAt, due, now, calendar) : null;

    public static TaskTimeLeft? Of(DateTimeOffset createdAt, DateTimeOffset dueAt, DateTimeOffset now, WorkingDayCalendar calendar)
    {
        var dueDate = BeijingTime.DateOf(dueAt.AddTicks(-1));
        var startDay = BeijingTime.DateOf(createdAt);
        var today = BeijingTime.DateOf(now);
        if (!WorkingDayCalendar.Contains(dueDate) || !WorkingDayCalendar.Contains(startDay) || !WorkingDayCalendar.Contains(today))
            return null; // outside the calendar's years (2000–2100): no statutory count to show
        var total = calendar.WorkingDaysBetween(startDay, dueDate);
        if (now >= dueAt)
        {
            var overdue = calendar.WorkingDaysBetween(dueDate, today.AddDays(-1));
            return new TaskTimeLeft(dueDate, total, 0, overdue, Urgency.Overdue);
        }
        var used = calendar.WorkingDaysBetween(startDay, today.AddDays(-1));
        var left = Math.Max(0, total - used);
        var urgency = left <= 1 ? Urgency.Red
            : left * 2 > total ? Urgency.Green
            : Urgency.Amber;
        return new TaskTimeLeft(dueDate, total, left, 0, urgency);
    }
}
