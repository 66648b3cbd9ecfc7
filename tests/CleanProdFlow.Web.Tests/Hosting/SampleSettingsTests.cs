using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Hosting;
using CleanProdFlow.Web.Notifications;
using CleanProdFlow.Web.Scheduling;
using CleanProdFlow.Web.Security;
using Microsoft.Extensions.Configuration;

namespace CleanProdFlow.Web.Tests.Hosting;

/// <summary>appsettings.sample.json documents every setting the product reads, and is itself a valid configuration.</summary>
public sealed class SampleSettingsTests
{
    private static IConfigurationRoot Sample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "appsettings.sample.json")))
            directory = directory.Parent;
        Assert.NotNull(directory);
        return new ConfigurationBuilder().AddJsonFile(Path.Combine(directory.FullName, "appsettings.sample.json")).Build();
    }

    public static TheoryData<string> SettingsTheProductReads =>
    [
        "Urls", DatabaseSettings.ProviderKey, DatabaseSettings.ConnectionStringKey, DatabaseSettings.DataDirectoryKey,
        AuthSettings.TokenLifetimeKey, AuthSettings.LockoutThresholdKey, AuthSettings.LockoutMinutesKey, SignInRateLimit.AttemptsPerMinuteKey,
        CleanProdFlow.Web.Workflows.WorkflowSettings.MaxDefinitionBytesKey, TokenSigningKey.SigningKeyKey, DemoUsers.SeedKey, DemoUsers.PasswordKey,
        CleanProdFlow.Web.Demo.DemoData.SeedKey,
        HangfireSetup.WorkerCountKey, Logging.DirectoryKey, Logging.RetainedFilesKey, "Serilog:MinimumLevel:Default",
        NotificationSettings.HostKey, NotificationSettings.PortKey, NotificationSettings.SecurityKey, NotificationSettings.UserKey,
        NotificationSettings.PasswordKey, NotificationSettings.FromKey, NotificationSettings.TimeoutKey, NotificationSettings.MaxAttemptsKey,
        NotificationSettings.RetryDelaysKey,
    ];

    [Theory]
    [MemberData(nameof(SettingsTheProductReads))]
    public void The_sample_shows_the_setting(string key)
    {
        Assert.NotNull(Sample()[key]);
    }

    [Fact]
    public void The_sample_is_a_working_configuration_with_demo_users_off()
    {
        var sample = Sample();
        var database = DatabaseSettings.Read(new ConfigurationBuilder().AddConfiguration(sample)
            .AddInMemoryCollection([new(DatabaseSettings.DataDirectoryKey, Path.Combine(Path.GetTempPath(), "cpf-sample"))]).Build());

        Assert.Equal(DatabaseProvider.Sqlite, database.Provider);
        Assert.Equal(TimeSpan.FromHours(8), AuthSettings.Read(sample).TokenLifetime);
        Assert.Equal("False", sample[DemoUsers.SeedKey], ignoreCase: true);
        Assert.Equal("False", sample[CleanProdFlow.Web.Demo.DemoData.SeedKey], ignoreCase: true);
        Assert.False(NotificationSettings.Read(sample).EmailEnabled); // e-mail is off by default
    }
}
