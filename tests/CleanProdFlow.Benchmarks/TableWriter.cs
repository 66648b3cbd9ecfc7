using System.Data.Common;
using CleanProdFlow.Data.Database;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CleanProdFlow.Benchmarks;

/// <summary>
/// Bulk-loads rows straight into a table, not through the engine: PostgreSQL's binary COPY, or on SQLite one
/// transaction with a prepared INSERT. Values are written as the product writes them (Guids as text on SQLite,
/// instants in UTC at microsecond precision).
/// </summary>
public static class TableWriter
{
    public static async Task WriteAsync(CpfDatabase database, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        await using var connection = await database.OpenAsync();
        if (connection is NpgsqlConnection postgres)
            await CopyAsync(postgres, table, columns, rows);
        else
            await InsertAsync((SqliteConnection)connection, table, columns, rows);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await writer.StartRowAsync();
            foreach (var value in row)
            {
                switch (value)
                {
                    case null: await writer.WriteNullAsync(); break;
                    case Guid guid: await writer.WriteAsync(guid, NpgsqlDbType.Uuid); break;
                    case string text: await writer.WriteAsync(text, NpgsqlDbType.Text); break;
                    case int number: await writer.WriteAsync(number, NpgsqlDbType.Integer); break;
                    case bool flag: await writer.WriteAsync(flag, NpgsqlDbType.Boolean); break;
                    case DateTimeOffset instant: await writer.WriteAsync(Instants.ForStorage(instant), NpgsqlDbType.TimestampTz); break;
                    default: throw new ArgumentException($"no COPY mapping for {value.GetType().Name}");
                }
            }
        }
        await writer.CompleteAsync();
    }

    private static async Task InsertAsync(SqliteConnection connection, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" })).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    Guid guid => guid.ToString("D"),
                    DateTimeOffset instant => Instants.ForStorage(instant),
                    bool flag => flag ? 1 : 0,
                    var other => other,
                };
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>Runs statements (e.g. ANALYZE after a load) on a connection of the product's.</summary>
    public static async Task ExecuteAsync(CpfDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }
}
