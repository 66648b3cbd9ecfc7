using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Enterprises;

namespace CleanProdFlow.Domain.Imports;

/// <summary>One valid row of an audit-result import.</summary>
public sealed record AuditImportRow(int Row, AuditResult Result);

public sealed record AuditImportPlan(ColumnLayout Layout, IReadOnlyList<AuditImportRow> Rows, IReadOnlyList<ImportRowError> Errors);

/// <summary>
/// Accepted clean-production audits from a CSV or XLSX file (统一社会信用代码, 验收日期, 等级, 验收部门, 文号). Every row
/// goes through <see cref="UnifiedSocialCreditCode.Check"/> and <see cref="NewAuditResult.Validate"/>, the checks of
/// the single-record API. The enterprise must be in the register already (import the enterprises first): an audit
/// file does not create enterprises. Audit results are facts and only added: a document number recorded with the
/// same details is unchanged, one recorded with other details is refused, never overwritten.
/// </summary>
public static class AuditResultImport
{
    public static readonly IReadOnlyList<ImportColumn> Columns =
    [
        new("creditCode", true, "统一社会信用代码", "社会信用代码", "信用代码", "Unified social credit code", "USCC"),
        new("acceptedOn", true, "验收日期", "验收时间", "通过验收日期", "验收通过日期", "Accepted on", "Acceptance date"),
        new("level", true, "等级", "审核等级", "验收等级", "Audit level"),
        new("authority", true, "验收部门", "验收单位", "验收机关", "Accepting authority"),
        new("documentNumber", true, "文号", "验收文号", "批复文号", "Document number", "Document no"),
    ];

    public static AuditImportPlan Check(IReadOnlyList<ImportRow> rows, ColumnLayout layout, ImportFormat format, DateOnly today)
    {
        var valid = new List<AuditImportRow>();
        var errors = new List<ImportRowError>();
        var firstRowOf = new Dictionary<(string, string), int>();
        foreach (var row in rows.Where(r => r.Number > layout.HeaderRow))
        {
            var found = new List<ImportRowError>();
            void Refuse(string field, LocalizedText reason) =>
                found.Add(new(row.Number, field, layout.HeaderOf(field), layout.Cell(row, field), reason));

            var input = new NewAuditResult(layout.Cell(row, "creditCode"), ImportValues.Date(layout.Cell(row, "acceptedOn"), format),
                layout.Cell(row, "level"), layout.Cell(row, "authority"), layout.Cell(row, "documentNumber"));
            if (UnifiedSocialCreditCode.Check(input.CreditCode) is { } codeProblem)
                Refuse("creditCode", codeProblem);
            foreach (var error in input.Validate(today))
                Refuse(error.Field, error.Message);
            if (found.Count == 0)
            {
                var result = input.ToAuditResult();
                if (firstRowOf.TryGetValue((result.CreditCode, result.DocumentNumber), out var first))
                    Refuse("documentNumber", new($"该企业的文号 {result.DocumentNumber} 与第 {first} 行重复",
                        $"document {result.DocumentNumber} of this enterprise is in row {first} already"));
                else
                {
                    firstRowOf[(result.CreditCode, result.DocumentNumber)] = row.Number;
                    valid.Add(new(row.Number, result));
                }
            }
            errors.AddRange(found);
        }
        return new(layout, valid, errors);
    }

    /// <summary>
    /// Refuses rows whose enterprise the importer cannot find (not registered, or of another city — the same answer,
    /// so existence does not leak) and rows whose document number is recorded with other details.
    /// </summary>
    /// <param name="cityOf">The stored enterprise's city, or null when it is not registered.</param>
    public static IReadOnlyList<ImportRowError> CheckStored(AuditImportPlan plan, Func<string, string?> cityOf, Func<string, bool> mayChangeCity,
        IReadOnlyList<AuditResult> stored)
    {
        var recorded = stored.ToDictionary(a => (a.CreditCode, a.DocumentNumber));
        var errors = new List<ImportRowError>();
        foreach (var (row, result) in plan.Rows)
        {
            if (cityOf(result.CreditCode) is not { } city || !mayChangeCity(city))
                errors.Add(new(row, "creditCode", plan.Layout.HeaderOf("creditCode"), result.CreditCode, new(
                    $"登记簿中没有统一社会信用代码为 {result.CreditCode} 的企业（或不在本单位辖区），请先导入或登记该企业",
                    $"no enterprise {result.CreditCode} in the register (or not in your city); import or register the enterprise first")));
            else if (recorded.TryGetValue((result.CreditCode, result.DocumentNumber), out var existing) && existing != result)
                errors.Add(new(row, "documentNumber", plan.Layout.HeaderOf("documentNumber"), result.DocumentNumber, new(
                    $"文号 {result.DocumentNumber} 已登记，但内容不同（已登记：{existing.AcceptedOn:yyyy-MM-dd}，{existing.Level} 级，{existing.Authority}）；验收结果只增不改，请核对",
                    $"document {result.DocumentNumber} is recorded already with other details ({existing.AcceptedOn:yyyy-MM-dd}, level {existing.Level}, {existing.Authority}); audit results are never changed, check the row")));
        }
        return errors;
    }
}
