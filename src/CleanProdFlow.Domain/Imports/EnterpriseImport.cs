using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Imports;

/// <summary>One valid row of an enterprise import.</summary>
public sealed record EnterpriseImportRow(int Row, Enterprise Enterprise);

/// <summary>One field an import changed on a stored enterprise.</summary>
public sealed record EnterpriseChange(string Field, string? Before, string? After);

/// <summary>
/// The rows of an enterprise file that passed, the optional columns the file does not have (their stored values
/// are kept), and every refused cell.
/// </summary>
public sealed record EnterpriseImportPlan(ColumnLayout Layout, IReadOnlyList<EnterpriseImportRow> Rows, IReadOnlySet<string> AbsentFields,
    IReadOnlyList<ImportRowError> Errors)
{
    /// <summary>What the stored enterprise becomes: the file's values, except for the columns the file does not have.</summary>
    public Enterprise Merge(Enterprise imported, Enterprise stored) => imported with
    {
        County = AbsentFields.Contains("county") ? stored.County : imported.County,
        Industry = AbsentFields.Contains("industry") ? stored.Industry : imported.Industry,
        Address = AbsentFields.Contains("address") ? stored.Address : imported.Address,
    };
}

/// <summary>
/// Enterprises from a CSV or XLSX file (统一社会信用代码, 企业名称, 设区市, 县（市、区）, 行业, 地址, 在线监测). Every row goes
/// through <see cref="NewEnterprise.Validate"/>, the check of the single-record API; this class only reads the
/// cells, adds what only a file can get wrong (a code twice, a city outside the importer's) and names the row.
/// </summary>
public static class EnterpriseImport
{
    public static readonly IReadOnlyList<ImportColumn> Columns =
    [
        new("creditCode", true, "统一社会信用代码", "社会信用代码", "信用代码", "Unified social credit code", "USCC"),
        new("name", true, "企业名称", "单位名称", "名称", "Enterprise name", "Company name"),
        new("city", true, "设区市", "所在设区市", "城市", "市"),
        new("county", false, "县（市、区）", "县市区", "区县", "县区", "District"),
        new("industry", false, "行业", "所属行业", "行业类别"),
        new("address", false, "地址", "企业地址", "详细地址", "生产经营地址"),
        new("onlineMonitoring", true, "在线监测", "是否安装在线监测", "是否依法安装在线监测", "在线监控", "Online monitoring"),
    ];

    public static EnterpriseImportPlan Check(IReadOnlyList<ImportRow> rows, ColumnLayout layout, Func<string, bool> mayImportCity)
    {
        var valid = new List<EnterpriseImportRow>();
        var errors = new List<ImportRowError>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Number > layout.HeaderRow))
        {
            var found = new List<ImportRowError>();
            void Refuse(string field, LocalizedText reason) =>
                found.Add(new(row.Number, field, layout.HeaderOf(field), layout.Cell(row, field), reason));

            var online = ImportValues.YesNo(layout.Cell(row, "onlineMonitoring"), out var unreadable);
            var input = new NewEnterprise(layout.Cell(row, "creditCode"), layout.Cell(row, "name"), ImportValues.City(layout.Cell(row, "city")),
                layout.Cell(row, "county"), layout.Cell(row, "industry"), layout.Cell(row, "address"), online);
            foreach (var error in input.Validate())
            {
                if (error.Field == "onlineMonitoring" && unreadable)
                    Refuse(error.Field, new("在线监测须填 是 或 否（也可写 有/无、true/false、1/0）", "onlineMonitoring must be 是 or 否 (or yes/no, true/false, 1/0)"));
                else
                    Refuse(error.Field, error.Message);
            }

            if (UnifiedSocialCreditCode.Check(input.CreditCode) is null)
            {
                var code = UnifiedSocialCreditCode.Normalise(input.CreditCode!);
                if (firstRowOf.TryGetValue(code, out var first))
                    Refuse("creditCode", new($"统一社会信用代码 {code} 与第 {first} 行重复，同一企业在一个文件中只能出现一次",
                        $"credit code {code} is in row {first} already; an enterprise may appear only once per file"));
                else
                    firstRowOf[code] = row.Number;
            }
            if (found.Count == 0)
            {
                var enterprise = input.ToEnterprise();
                if (!mayImportCity(enterprise.City))
                    Refuse("city", OutsideCity);
                else
                    valid.Add(new(row.Number, enterprise));
            }
            errors.AddRange(found);
        }
        var absent = Columns.Where(c => !c.Required && !layout.Has(c.Field)).Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        return new(layout, valid, absent, errors);
    }

    private static readonly LocalizedText OutsideCity = new("只能导入本单位辖区内的企业", "you may import only enterprises of your own city");

    /// <summary>
    /// Rows that would change an enterprise registered in a city the importer may not change (a city's staff
    /// cannot take over or alter another city's enterprise by importing it with their own city).
    /// </summary>
    public static IReadOnlyList<ImportRowError> CheckStored(EnterpriseImportPlan plan, IReadOnlyDictionary<string, Enterprise> stored,
        Func<string, bool> mayChangeCity) =>
        plan.Rows.Where(r => stored.TryGetValue(r.Enterprise.CreditCode, out var s) && !mayChangeCity(s.City))
            .Select(r => new ImportRowError(r.Row, "creditCode", plan.Layout.HeaderOf("creditCode"), r.Enterprise.CreditCode,
                new("该企业已由其他设区市登记，本单位不能通过导入修改", "the enterprise is registered by another city; you cannot change it by importing")))
            .ToList();

    /// <summary>The fields that differ between the stored and the merged enterprise, in column order.</summary>
    public static IReadOnlyList<EnterpriseChange> Changes(Enterprise before, Enterprise after)
    {
        var changes = new List<EnterpriseChange>();
        void Compare(string field, string? a, string? b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
                changes.Add(new(field, a, b));
        }
        Compare("name", before.Name, after.Name);
        Compare("city", before.City, after.City);
        Compare("county", before.County, after.County);
        Compare("industry", before.Industry, after.Industry);
        Compare("address", before.Address, after.Address);
        Compare("onlineMonitoring", before.OnlineMonitoring ? "true" : "false", after.OnlineMonitoring ? "true" : "false");
        return changes;
    }
}
