namespace CleanProdFlow.Data.Database;

/// <summary>The database products CleanProdFlow runs on, chosen by the setting <c>Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded default: one file, no server to install.</summary>
    Sqlite,
    /// <summary>The tested server database.</summary>
    Postgres,
    /// <summary>Supported; its tests run when a server is given (CPF_TEST_SQLSERVER).</summary>
    SqlServer,
}
