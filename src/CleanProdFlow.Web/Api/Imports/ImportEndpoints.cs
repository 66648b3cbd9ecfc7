using System.Security.Claims;
using System.Security.Cryptography;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Imports;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Imports;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CleanProdFlow.Web.Api.Imports;

/// <summary>
/// /api/v1/imports: enterprises and accepted audits from the CSV and XLSX files the bureaus keep them in. The whole
/// file is checked first, every row through the single-record API's validation; if any row is bad nothing is
/// imported and the answer lists every bad row (row number as the spreadsheet shows it, column, reason). Otherwise
/// the file is imported in one transaction; importing the same file again changes nothing.
/// </summary>
public static class ImportEndpoints
{
    public sealed record ImportResult(int Inserted, int Updated, int Unchanged);

    /// <summary>Roles that record audit results, as for the single audit-result endpoint.</summary>
    private static readonly string[] AuditRoles = [Roles.AuditOfficer, Roles.Admin];

    public static void MapImports(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/imports").WithTags("imports");
        group.MapPost("/enterprises", ImportEnterprisesAsync).WithName("ImportEnterprises")
            .WithSummary("Import enterprises from CSV (UTF-8 or GB18030) or XLSX; all or nothing, upsert by credit code")
            .AddOpenApiOperationTransformer(MultipartFile).Produces<ImportResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPost("/audit-results", ImportAuditResultsAsync).WithName("ImportAuditResults")
            .WithSummary("Import accepted audits of registered enterprises from CSV or XLSX; all or nothing, each eligibility re-evaluated")
            .AddOpenApiOperationTransformer(MultipartFile).Produces<ImportResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>
    /// The request body for the API reference. Not .Accepts(): its routing check would answer another content type
    /// with a generic 415 that does not name the field <c>file</c>.
    /// </summary>
    private static Task MultipartFile(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "multipart/form-data with one file in the field 'file': .csv (UTF-8 with or without BOM, or GB18030/GBK) or .xlsx (first worksheet), at most 10 MB and 50,000 rows",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { ImportUpload.Field },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [ImportUpload.Field] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    private static IResult Forbidden(LocalizedText detail) =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    private static IResult Conflict() =>
        Problem.Status(StatusCodes.Status409Conflict, new("导入期间登记簿发生了变化，未导入任何数据", "The register changed during the import; nothing was imported"),
            new("同一企业或验收结果正被同时登记或导入，请稍后重新上传同一文件", "the same enterprise or audit result was being registered or imported at the same moment; upload the file again"));

    /// <summary>The file's rows and where its columns are, or the 400 naming what is wrong with the file as a whole.</summary>
    private static (IReadOnlyList<ImportRow> Rows, ColumnLayout? Layout, IResult? Refusal) Tabulate(Upload upload, IReadOnlyList<ImportColumn> columns)
    {
        var read = ImportFile.Read(upload.Content, upload.Format);
        if (read.Problem is not null)
            return ([], null, Problem.Validation(ImportUpload.Field, read.Problem));
        var (layout, problem) = ImportColumns.Locate(columns, read.Rows);
        return layout is null ? ([], null, Problem.Validation(ImportUpload.Field, problem!)) : (read.Rows, layout, null);
    }

    private static ImportSource SourceOf(Upload upload, string kind, IReadOnlyList<ImportRow> rows, ColumnLayout layout) =>
        new(kind, upload.FileName, Convert.ToHexStringLower(SHA256.HashData(upload.Content)), rows.Count(r => r.Number > layout.HeaderRow));

    /// <summary>
    /// 400 with every refused cell: <c>errors</c> keyed <c>rows[N].field</c> (N is the row number as the spreadsheet
    /// shows it) and <c>rows</c>, each bad row with its cells' field, the file's column header, the value and the reason.
    /// </summary>
    private static IResult RowsRefused(IEnumerable<ImportRowError> refused, ColumnLayout layout)
    {
        var errors = refused.OrderBy(e => e.Row).ToList();
        var badRows = errors.Select(e => e.Row).Distinct().Count();
        var problem = new HttpValidationProblemDetails(errors.GroupBy(e => $"rows[{e.Row}].{e.Field}")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason.In()).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = new LocalizedText($"文件中有 {badRows} 行有误，未导入任何数据", $"{badRows} row(s) of the file are not valid; nothing was imported").In(),
            Detail = new LocalizedText($"行号即电子表格中的行号（表头在第 {layout.HeaderRow} 行）。请改正所有列出的行后重新上传整个文件。",
                $"Row numbers are as the spreadsheet shows them (the header is row {layout.HeaderRow}). Correct every listed row and upload the whole file again.").In(),
        };
        problem.Extensions["rows"] = errors.GroupBy(e => e.Row).Select(g => new
        {
            row = g.Key,
            errors = g.Select(e => new { field = e.Field, column = e.Column, value = e.Value, reason = e.Reason.In() }).ToList(),
        }).ToList();
        return TypedResults.Problem(problem);
    }

    // The store holds nothing but the database, so each request makes its own instead of registering one.
    private static async Task<IResult> ImportEnterprisesAsync(HttpRequest request, ClaimsPrincipal principal, CpfDatabase database, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(EnterpriseAccess.RegisterRoles))
            return Forbidden(new("导入企业须具备登记企业的角色（受理、审核、执法或管理员）", "Importing enterprises needs a role that registers them (acceptance, audit-officer, enforcement or admin)"));
        var (upload, refusal) = await ImportUpload.ReadAsync(request, cancellationToken);
        if (upload is null)
            return refusal!;
        var (rows, layout, problem) = Tabulate(upload, EnterpriseImport.Columns);
        if (layout is null)
            return problem!;

        var plan = EnterpriseImport.Check(rows, layout, access.MaySee);
        var store = new ImportStore(database);
        var stored = await store.EnterprisesAsync(plan.Rows.Select(r => r.Enterprise.CreditCode), cancellationToken);
        var errors = plan.Errors.Concat(EnterpriseImport.CheckStored(plan, stored, access.MaySee)).ToList();
        if (errors.Count > 0)
            return RowsRefused(errors, layout);
        try
        {
            var counts = await store.ImportEnterprisesAsync(plan, SourceOf(upload, ImportSource.Enterprises, rows, layout), access.MaySee,
                time.GetUtcNow(), access.Username, cancellationToken);
            return TypedResults.Ok(new ImportResult(counts.Inserted, counts.Updated, counts.Unchanged));
        }
        catch (ImportConflictException)
        {
            return Conflict();
        }
    }

    private static async Task<IResult> ImportAuditResultsAsync(HttpRequest request, ClaimsPrincipal principal, CpfDatabase database, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(AuditRoles))
            return Forbidden(new("导入验收结果须具备审核或管理员角色", "Importing audit results needs the audit-officer or admin role"));
        var (upload, refusal) = await ImportUpload.ReadAsync(request, cancellationToken);
        if (upload is null)
            return refusal!;
        var (rows, layout, problem) = Tabulate(upload, AuditResultImport.Columns);
        if (layout is null)
            return problem!;

        var today = EnterpriseEndpoints.Today(time);
        var plan = AuditResultImport.Check(rows, layout, upload.Format, today);
        var store = new ImportStore(database);
        var codes = plan.Rows.Select(r => r.Result.CreditCode).ToList();
        var enterprises = await store.EnterprisesAsync(codes, cancellationToken);
        var audits = await store.AuditResultsAsync(codes, cancellationToken);
        var errors = plan.Errors.Concat(AuditResultImport.CheckStored(plan, code => enterprises.GetValueOrDefault(code)?.City, access.MaySee, audits)).ToList();
        if (errors.Count > 0)
            return RowsRefused(errors, layout);
        try
        {
            var counts = await store.ImportAuditResultsAsync(plan.Rows.Select(r => r.Result).ToList(), SourceOf(upload, ImportSource.AuditResults, rows, layout),
                access.MaySee, today, time.GetUtcNow(), access.Username, cancellationToken);
            return TypedResults.Ok(new ImportResult(counts.Inserted, counts.Updated, counts.Unchanged));
        }
        catch (ImportConflictException)
        {
            return Conflict();
        }
    }
}
