using CleanProdFlow.TestSupport;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Tests.Hosting;
using CleanProdFlow.Web.VirtualTime;
using CleanProdFlow.Web.Workflows;
using Microsoft.Extensions.Configuration;

namespace CleanProdFlow.Web.Tests.Workflows;

/// <summary>The clock and timer settings: defaults, refusals naming the setting, and their place in the sample.</summary>
public sealed class WorkflowSettingsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Without_settings_the_clock_is_the_system_clock_and_the_timer_pump_polls_every_second_with_sixteen_workers_of_fifty()
    {
        var clock = ClockSettings.Read(Settings());
        var workflows = WorkflowSettings.Read(Settings());

        Assert.Equal(ClockMode.System, clock.Mode);
        Assert.Equal(TimeSpan.FromSeconds(1), workflows.TimerPollInterval);
        Assert.Equal(16, workflows.TimerWorkers);
        Assert.Equal(50, workflows.TimerBatchSize);
        Assert.Equal("* * * * *", workflows.SweepCron);
    }

    [Fact]
    public void A_virtual_clock_starts_where_it_is_told()
    {
        var clock = ClockSettings.Read(Settings(("Clock:Mode", "virtual"), ("Clock:VirtualStart", "2026-10-12T09:00:00+08:00")));

        Assert.True(clock.IsVirtual);
        var provider = new VirtualTimeProvider(clock.VirtualStart);
        Assert.True((provider.GetUtcNow() - new DateTimeOffset(2026, 10, 12, 1, 0, 0, TimeSpan.Zero)).Duration() < TimeSpan.FromMinutes(1));
        Assert.False(provider.MoveTo(new DateTimeOffset(2026, 10, 11, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(provider.MoveTo(new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(provider.GetUtcNow() >= new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("Clock:Mode", "Sometimes")]
    [InlineData("Clock:VirtualStart", "2026-10-12 09:00")]
    [InlineData("Workflows:TimerPollSeconds", "0")]
    [InlineData("Workflows:TimerPollSeconds", "one second")]
    [InlineData("Workflows:TimerWorkers", "0")]
    [InlineData("Workflows:TimerWorkers", "65")]
    [InlineData("Workflows:TimerBatchSize", "501")]
    [InlineData("Workflows:SweepCron", "every minute")]
    public void A_wrong_setting_is_refused_naming_it(string key, string value)
    {
        var configuration = key == ClockSettings.ModeKey ? Settings((key, value)) : Settings((key, value), (ClockSettings.ModeKey, "Virtual"));

        var refusal = Assert.Throws<StartupException>(() =>
        {
            ClockSettings.Read(configuration);
            WorkflowSettings.Read(configuration);
        });

        Assert.Equal(key, refusal.Setting);
    }

    [Theory]
    [InlineData("Clock__Mode", "Sometimes", "Clock:Mode")]
    [InlineData("Workflows__TimerPollSeconds", "0", "Workflows:TimerPollSeconds")]
    public async Task A_wrong_setting_stops_the_host_with_a_line_naming_it(string variable, string value, string setting)
    {
        await using var web = WebProcess.Start(new Dictionary<string, string> { [variable] = value });

        Assert.Equal(2, await web.ExitCodeAsync());
        var line = Assert.Single(web.Output.Split('\n'), l => l.Contains("cannot start"));
        Assert.Contains($"Setting: {setting}", line);
    }

    [Theory]
    [InlineData(WorkflowSettings.TimerPollSecondsKey)]
    [InlineData(WorkflowSettings.TimerWorkersKey)]
    [InlineData(WorkflowSettings.TimerBatchSizeKey)]
    [InlineData(WorkflowSettings.SweepCronKey)]
    [InlineData(ClockSettings.ModeKey)]
    [InlineData(ClockSettings.VirtualStartKey)]
    public void The_sample_documents_the_setting(string key)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "appsettings.sample.json")))
            directory = directory.Parent;
        Assert.NotNull(directory);
        var sample = new ConfigurationBuilder().AddJsonFile(Path.Combine(directory.FullName, "appsettings.sample.json")).Build();

        Assert.NotNull(sample[key]);
        // The sample is itself valid.
        ClockSettings.Read(sample);
        WorkflowSettings.Read(sample);
    }
}
