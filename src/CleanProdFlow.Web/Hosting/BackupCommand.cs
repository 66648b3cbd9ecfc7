using CleanProdFlow.Data.Database;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Web.Hosting;

/// <summary>
/// <c>CleanProdFlow.Web backup &lt;file&gt;</c> (README "Backups"): a consistent copy of the SQLite database through
/// SQLite's online backup API, also while the product runs (writers wait only for the moments the pages are copied;
/// committed WAL content is included). The copy is checked with <c>PRAGMA integrity_check</c>. Only for SQLite: a
/// PostgreSQL or SQL Server installation is backed up with its own tools (pg_dump, base backups with WAL archiving).
/// Hangfire's storage needs no backup: our tables are the truth and jobs are re-created from them at start-up.
/// </summary>
public static class BackupCommand
{
    public const string Name = "backup";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Returns the exit code: 0 backed up, 2 refused (bad path, not SQLite, no database), 1 failed while copying.</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (args.Length < 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            error.WriteLine("usage: backup <file>   (a new file for the copy of the SQLite database, e.g. backups/cleanprodflow-2026-10-12.db)");
            return 2;
        }
        DatabaseSettings settings;
        try
        {
            settings = DatabaseSettings.Read(configuration);
        }
        catch (StartupException e)
        {
            error.WriteLine($"backup: {e.Problem} Setting: {e.Setting}. Fix: {e.Fix}");
            return 2;
        }
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            error.WriteLine($"backup: this command copies the SQLite database only, and {DatabaseSettings.ProviderKey} is {settings.Provider}. " +
                (settings.Provider == DatabaseProvider.Postgres
                    ? "Back up PostgreSQL with pg_dump (e.g. pg_dump -Fc -f cleanprodflow.dump <database>), or base backups with WAL archiving for point-in-time recovery (README \"Backups\")."
                    : "Back up SQL Server with BACKUP DATABASE (README \"Backups\")."));
            return 2;
        }
        var source = Path.GetFullPath(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
        if (!File.Exists(source))
        {
            error.WriteLine($"backup: there is no database at {source} (Storage:DataDirectory or ConnectionStrings:CleanProdFlow point elsewhere?)");
            return 2;
        }
        string target;
        try
        {
            target = Path.GetFullPath(args[1].Trim());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            error.WriteLine($"backup: '{args[1]}' is not a usable file path: {e.Message}");
            return 2;
        }
        var folder = Path.GetDirectoryName(target);
        if (folder is null || !Directory.Exists(folder))
        {
            error.WriteLine($"backup: the folder {folder ?? target} does not exist; create it first or choose another path");
            return 2;
        }
        if (Directory.Exists(target) || File.Exists(target))
        {
            error.WriteLine($"backup: {target} exists already; a backup never overwrites a file — choose a new name");
            return 2;
        }
        if (string.Equals(target, source, StringComparison.Ordinal))
        {
            error.WriteLine("backup: the copy cannot be the database itself");
            return 2;
        }

        try
        {
            await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder(settings.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
            {
                await from.OpenAsync();
                await to.OpenAsync();
                from.BackupDatabase(to);
                await using var check = to.CreateCommand();
                check.CommandText = "PRAGMA integrity_check";
                var result = (string?)await check.ExecuteScalarAsync();
                if (result != "ok")
                    throw new InvalidOperationException($"the copy failed its integrity check: {result}");
                // A copy that stands alone: one file, no WAL beside it.
                check.CommandText = "PRAGMA journal_mode = DELETE";
                await check.ExecuteNonQueryAsync();
            }
            output.WriteLine($"backed up {source} to {target} ({new FileInfo(target).Length:N0} bytes, integrity ok)");
            return 0;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"backup: copying {source} to {target} failed: {e.Message}");
            try
            {
                File.Delete(target);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"backup: the incomplete copy {target} could not be removed: {cleanup.Message}");
            }
            return 1;
        }
    }
}
