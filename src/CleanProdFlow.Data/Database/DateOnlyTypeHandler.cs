using System.Data;
using System.Globalization;
using Dapper;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Calendar dates (DateOnly) are stored as <c>date</c> (PostgreSQL, SQL Server) or ISO text (SQLite); this reads
/// all of them back, whichever CLR type the provider returns.
/// </summary>
public sealed class DateOnlyTypeHandler : SqlMapper.TypeHandler<DateOnly>
{
    public override void SetValue(IDbDataParameter parameter, DateOnly value)
    {
        parameter.DbType = DbType.Date;
        parameter.Value = value;
    }

    public override DateOnly Parse(object value) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        string text => DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new DataException($"Cannot read a date from a {value.GetType().Name}"),
    };

    public sealed class Nullable : SqlMapper.TypeHandler<DateOnly?>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly? value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value is { } date ? date : DBNull.Value;
        }

        public override DateOnly? Parse(object value) =>
            value is null or DBNull ? null : new DateOnlyTypeHandler().Parse(value);
    }
}
