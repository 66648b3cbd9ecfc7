using System.Data;
using System.Globalization;
using Dapper;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Instants are stored in UTC (DESIGN §1). PostgreSQL hands back timestamptz as a UTC DateTime, SQL Server a
/// DateTimeOffset and SQLite the ISO text it was given; this reads all three as a UTC <see cref="DateTimeOffset"/>.
/// Dapper passes DateTimeOffset parameters to the provider without calling a handler, so stores write instants
/// through <see cref="Instants.ForStorage(DateTimeOffset)"/>.
/// </summary>
public sealed class UtcInstantTypeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        parameter.DbType = DbType.DateTimeOffset;
        parameter.Value = Instants.ForStorage(value);
    }

    public override DateTimeOffset Parse(object value) => ParseInstant(value);

    internal static DateTimeOffset ParseInstant(object value) => value switch
    {
        DateTimeOffset instant => instant.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
        _ => throw new DataException($"Cannot read an instant from a {value.GetType().Name}"),
    };

    public sealed class Nullable : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value)
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value is { } instant ? Instants.ForStorage(instant) : DBNull.Value;
        }

        public override DateTimeOffset? Parse(object value) =>
            value is null or DBNull ? null : ParseInstant(value);
    }
}

public static class Instants
{
    /// <summary>
    /// UTC with microsecond precision: the finest precision all three databases keep, so what is read back
    /// equals what was written.
    /// </summary>
    public static DateTimeOffset ForStorage(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        return new DateTimeOffset(ticks - ticks % 10, TimeSpan.Zero);
    }

    public static DateTimeOffset? ForStorage(DateTimeOffset? instant) => instant is { } value ? ForStorage(value) : null;
}
