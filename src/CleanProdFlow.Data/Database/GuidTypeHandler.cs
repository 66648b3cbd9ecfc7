using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CleanProdFlow.Data.Database;

/// <summary>
/// Guids are stored as <c>uuid</c> (PostgreSQL), <c>uniqueidentifier</c> (SQL Server) and lower-case "D" text
/// (SQLite). Microsoft.Data.Sqlite would write a Guid parameter as a 16-byte BLOB, which never equals the stored text,
/// so SQLite parameters get the text; the other providers get the Guid itself, and a null Guid is a typed null there.
/// Reading accepts a Guid, text or the 16 bytes. Dapper consults a handler only for types missing from its built-in
/// type map, so <see cref="Register"/> removes Guid from that map first. List parameters (<c>IN @ids</c>) bypass
/// handlers: do not pass lists of Guids.
/// </summary>
public sealed class GuidTypeHandler : SqlMapper.ITypeHandler
{
    public static void Register()
    {
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.AddTypeHandler(typeof(Guid), new GuidTypeHandler()); // Dapper registers it for Guid? as well
    }

    public void SetValue(IDbDataParameter parameter, object value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value is Guid guid ? guid.ToString("D", CultureInfo.InvariantCulture) : DBNull.Value;
        }
        else
        {
            parameter.DbType = DbType.Guid;
            parameter.Value = value is Guid guid ? guid : DBNull.Value;
        }
    }

    public object Parse(Type destinationType, object value) => ParseGuid(value);

    public static Guid ParseGuid(object value) => value switch
    {
        Guid guid => guid,
        string text => Guid.Parse(text, CultureInfo.InvariantCulture),
        byte[] { Length: 16 } bytes => new Guid(bytes),
        _ => throw new DataException($"Cannot read a Guid from a {value.GetType().Name}"),
    };
}
