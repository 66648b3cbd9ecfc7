using CleanProdFlow.Data.Database;
using CleanProdFlow.Web.Hosting;
using Serilog;

// Until the host's logger is configured, a console logger reports start-up problems.
Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();

try
{
    // Settings and assets are found beside the program, wherever it is started from (dotnet run keeps ./data in
    // the directory it was started in; an installed service runs from its own folder).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = BackupCommand.IsRequested(args) ? args.Skip(2).ToArray() : args, ContentRootPath = AppContext.BaseDirectory,
    });
    // `backup <file>`: a copy of the SQLite database with the host's own settings, without starting the host.
    if (BackupCommand.IsRequested(args))
        return await BackupCommand.RunAsync(args, builder.Configuration, Console.Out, Console.Error);
    builder.AddCleanProdFlow();

    var app = builder.Build();
    await app.PrepareCleanProdFlowAsync();
    app.MapCleanProdFlow();
    await app.RunAsync();
    return 0;
}
catch (StartupException e)
{
    // One line an operator can act on: what is wrong, the setting, the fix.
    Log.Fatal("CleanProdFlow cannot start: {Problem} Setting: {Setting}. Fix: {Fix}", e.Problem, e.Setting, e.Fix);
    return 2;
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "CleanProdFlow stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
