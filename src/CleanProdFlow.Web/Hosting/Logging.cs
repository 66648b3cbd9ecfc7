using CleanProdFlow.Data.Database;
using Serilog;
using Serilog.Formatting.Compact;

namespace CleanProdFlow.Web.Hosting;

/// <summary>
/// Serilog: levels and extra sinks from the "Serilog" configuration section; the console is human-readable in
/// Development and compact JSON elsewhere; a daily rolling JSON file under the data directory's logs/.
/// Workflow code pushes InstanceId / CaseNumber / TaskId onto the log context, so every line carries them.
/// </summary>
public static class Logging
{
    public const string DirectoryKey = "Logs:Directory";
    public const string RetainedFilesKey = "Logs:RetainedFileCount";

    public static void Configure(LoggerConfiguration logger, IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var environment = services.GetRequiredService<IHostEnvironment>();

        logger.ReadFrom.Configuration(configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Application", "CleanProdFlow");

        if (environment.IsDevelopment())
            logger.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        else
            logger.WriteTo.Console(new RenderedCompactJsonFormatter());

        var directory = configuration[DirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(DatabaseSettings.DataDirectory(configuration), "logs");
        var retained = int.TryParse(configuration[RetainedFilesKey], out var count) && count > 0 ? count : 90;
        logger.WriteTo.File(new CompactJsonFormatter(), Path.Combine(directory, "cleanprodflow-.log"),
            rollingInterval: RollingInterval.Day, retainedFileCountLimit: retained, shared: true);
    }
}
