using System.Net.Http.Headers;
using System.Text.Json;
using CleanProdFlow.Web.Demo;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Register;

/// <summary>One refused cell of an import file: the spreadsheet's row, the column as the file names it, the value and why.</summary>
public sealed record ImportCellError(string Field, string? Column, string? Value, string Reason);

/// <summary>What an import answered: the counts, or why nothing was imported (the file as a whole, or every bad row).</summary>
public sealed record ImportOutcome(int Status, int Inserted, int Updated, int Unchanged, string? Title, string? Detail, IReadOnlyList<string> FileErrors,
    IReadOnlyList<(int Row, IReadOnlyList<ImportCellError> Errors)> Rows)
{
    public bool Succeeded => Status == StatusCodes.Status200OK;
}

/// <summary>
/// 批量导入: enterprises or accepted audits from a CSV or XLSX file. The upload goes to the API's own import endpoint
/// (called in process with the user as the caller), so the checks — file type and size, columns, every row through the
/// single-record validation, city and role — exist once; the page shows the counts or every bad row with its reason.
/// </summary>
public sealed class ImportModel(InProcessApi api) : CpfPageModel
{
    public const string Enterprises = "enterprises";
    public const string AuditResults = "audit-results";

    [BindProperty] public string Kind { get; set; } = Enterprises;

    public ImportOutcome? Outcome { get; private set; }

    public string? FileName { get; private set; }

    public void OnGet(string? kind) => Kind = kind == AuditResults ? AuditResults : Enterprises;

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        Kind = Kind == AuditResults ? AuditResults : Enterprises;
        FileName = file?.FileName;
        using var form = new MultipartFormDataContent();
        if (file is not null)
        {
            var content = new StreamContent(file.OpenReadStream());
            content.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "file", file.FileName);
        }
        var body = await form.ReadAsByteArrayAsync(cancellationToken);
        var (status, answer) = await api.SendAsync(Kind == AuditResults ? "ImportAuditResults" : "ImportEnterprises", User, HttpContext.RequestServices,
            body, form.Headers.ContentType!.ToString(), cancellationToken: cancellationToken);
        Outcome = Read(status, answer);
        if (!Outcome.Succeeded)
            Response.StatusCode = status; // the page shows why, with the API's status
        return Page();
    }

    private static ImportOutcome Read(int status, JsonElement answer)
    {
        if (status == StatusCodes.Status200OK)
            return new(status, Int(answer, "inserted"), Int(answer, "updated"), Int(answer, "unchanged"), null, null, [], []);
        var fileErrors = new List<string>();
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            && errors.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Array)
            fileErrors.AddRange(file.EnumerateArray().Select(e => e.GetString() ?? ""));
        var rows = new List<(int, IReadOnlyList<ImportCellError>)>();
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("rows", out var badRows) && badRows.ValueKind == JsonValueKind.Array)
            foreach (var row in badRows.EnumerateArray())
                rows.Add((row.GetProperty("row").GetInt32(), row.GetProperty("errors").EnumerateArray().Select(e => new ImportCellError(
                    Text(e, "field") ?? "", Text(e, "column"), Text(e, "value"), Text(e, "reason") ?? "")).ToList()));
        return new(status, 0, 0, 0, Text(answer, "title"), Text(answer, "detail"), fileErrors, rows);
    }

    private static int Int(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
