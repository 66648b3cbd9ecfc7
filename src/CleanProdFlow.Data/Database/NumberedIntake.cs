using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Rows that carry a gap-free yearly number (EIA case numbers, reception request numbers): the number is taken from a
/// counter row in the same transaction as the row it numbers, so a rolled-back intake leaves no gap, and an intake
/// key (Idempotency-Key) makes a repeated request answer with the first one's number.
/// </summary>
public static class NumberedIntake
{
    private const int Attempts = 5;

    /// <summary>
    /// Runs <paramref name="insert"/> in a write transaction and commits; it returns the number it stored. A unique
    /// violation means the same intake committed meanwhile (<paramref name="findRaced"/> returns its number: Created
    /// false) or another intake inserted the first counter row of the same scope and year (tried again).
    /// </summary>
    public static async Task<(string Number, bool Created)> InsertAsync(CpfDatabase database,
        Func<DbConnection, DbTransaction, Task<string>> insert, Func<Task<string?>> findRaced, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var transaction = await BeginWriteAsync(connection, cancellationToken);
            try
            {
                var number = await insert(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return (number, true);
            }
            catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
            {
                await transaction.RollbackAsync(cancellationToken);
                if (await findRaced() is { } raced)
                    return (raced, false);
                if (attempt >= Attempts)
                    throw;
            }
        }
    }

    /// <summary>
    /// The next number of (<paramref name="scope"/>, <paramref name="year"/>) in the counter table
    /// <paramref name="table"/> (columns <paramref name="scopeColumn"/>, year, last_number). The UPDATE takes the row
    /// lock that serialises concurrent intakes of the same scope and year. Table and column are the caller's constants.
    /// </summary>
    public static async Task<int> NextNumberAsync(DbConnection connection, DbTransaction transaction, string table, string scopeColumn, string scope,
        int year, CancellationToken cancellationToken)
    {
        if (await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {table} SET last_number = last_number + 1 WHERE {scopeColumn} = @scope AND year = @year",
                new { scope, year }, transaction, cancellationToken: cancellationToken)) == 1)
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                $"SELECT last_number FROM {table} WHERE {scopeColumn} = @scope AND year = @year",
                new { scope, year }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {table} ({scopeColumn}, year, last_number) VALUES (@scope, @year, 1)",
            new { scope, year }, transaction, cancellationToken: cancellationToken));
        return 1;
    }

    /// <summary>SQLite takes its write lock at BEGIN (no upgrade deadlock between two readers); the others read committed.</summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
}
