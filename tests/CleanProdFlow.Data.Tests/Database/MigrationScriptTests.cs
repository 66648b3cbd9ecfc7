using System.Text.RegularExpressions;
using CleanProdFlow.Data.Database;

namespace CleanProdFlow.Data.Tests.Database;

public sealed partial class MigrationScriptTests
{
    [GeneratedRegex(@"^db/(sqlite|postgres|sqlserver)/(\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex ScriptName();

    private static IReadOnlyList<string> Numbers(DatabaseProvider provider) =>
        DatabaseMigrator.ScriptsOf(provider).Select(name => ScriptName().Match(name).Groups[2].Value).ToList();

    [Fact]
    public void Every_provider_has_the_same_script_numbers()
    {
        var sqlite = Numbers(DatabaseProvider.Sqlite);

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, Numbers(DatabaseProvider.Postgres));
        Assert.Equal(sqlite, Numbers(DatabaseProvider.SqlServer));
    }

    [Fact]
    public void Script_numbers_run_from_0001_without_gaps_or_repeats()
    {
        var numbers = Numbers(DatabaseProvider.Sqlite).Select(int.Parse).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void Every_script_is_named_NNNN_name_sql(DatabaseProvider provider)
    {
        Assert.All(DatabaseMigrator.ScriptsOf(provider), name => Assert.Matches(ScriptName(), name));
    }
}
