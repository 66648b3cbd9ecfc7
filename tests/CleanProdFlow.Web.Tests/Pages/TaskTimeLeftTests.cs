using CleanProdFlow.Timing.Calendars;
using CleanProdFlow.Web.Workflows;

namespace CleanProdFlow.Web.Tests.Pages;

/// <summary>The inbox badge: working days left of a task, counted like a clock (creation day not counted, today still left).</summary>
public sealed class TaskTimeLeftTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Provisional();
    private static readonly DateTimeOffset Created = Beijing(2026, 11, 2, 9); // a Monday
    private static readonly DateTimeOffset Due = Beijing(2026, 11, 10, 0); // 24:00 of Monday 11-09: five working days

    private static DateTimeOffset Beijing(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(2, 10, 5, Urgency.Green, "剩余 5 个工作日", "5 working days left")]
    [InlineData(5, 10, 3, Urgency.Green, "剩余 3 个工作日", "3 working days left")]
    [InlineData(6, 10, 2, Urgency.Amber, "剩余 2 个工作日", "2 working days left")]
    [InlineData(8, 10, 1, Urgency.Red, "剩余 1 个工作日", "1 working day left")] // Sunday: Monday is the last day
    [InlineData(9, 23, 1, Urgency.Red, "剩余 1 个工作日", "1 working day left")]
    public void Time_left_counts_working_days_to_the_due_date(int day, int hour, int left, Urgency urgency, string zh, string en)
    {
        var timeLeft = TaskTimeLeft.Of(Created, Due, Beijing(2026, 11, day, hour), Calendar)!;

        Assert.Equal(new DateOnly(2026, 11, 9), timeLeft.DueDate);
        Assert.Equal(5, timeLeft.WorkingDaysTotal);
        Assert.Equal((left, urgency), (timeLeft.WorkingDaysLeft, timeLeft.Urgency));
        Assert.Equal((zh, en), (timeLeft.Text.Zh, timeLeft.Text.En));
    }

    [Theory]
    [InlineData(10, 0, 0, "已超期", "overdue")]
    [InlineData(12, 9, 2, "已超期 2 个工作日", "2 working days overdue")]
    public void A_task_past_its_due_instant_is_overdue_by_the_working_days_since(int day, int hour, int overdue, string zh, string en)
    {
        var timeLeft = TaskTimeLeft.Of(Created, Due, Beijing(2026, 11, day, hour), Calendar)!;

        Assert.Equal(Urgency.Overdue, timeLeft.Urgency);
        Assert.Equal(overdue, timeLeft.WorkingDaysOverdue);
        Assert.Equal((zh, en), (timeLeft.Text.Zh, timeLeft.Text.En));
    }

    [Fact]
    public void A_task_due_on_the_day_it_was_created_is_red_at_once()
    {
        var timeLeft = TaskTimeLeft.Of(Created, Beijing(2026, 11, 3, 0), Created.AddHours(1), Calendar)!;

        Assert.Equal((0, Urgency.Red), (timeLeft.WorkingDaysLeft, timeLeft.Urgency));
    }
}
