using CleanProdFlow.Data.Documents;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Web.Api.Documents;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Admin.Documents;

/// <summary>
/// One kind's template: its text in an editor, saved as the next version with a reason (the province's
/// administrators; the same checks as the API), and every earlier version.
/// </summary>
public sealed class TemplateModel(DocumentTemplateStore templates, TimeProvider time) : CpfPageModel
{
    public DocumentKind Kind { get; private set; } = null!;

    public IReadOnlyList<StoredTemplate> Versions { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? Refusal { get; private set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public int ExpectedVersion { get; set; }

    public bool MayEdit => Caller.IsProvince && Caller.Roles.Contains(Roles.Admin);

    public async Task<IActionResult> OnGetAsync(string kind, CancellationToken cancellationToken)
    {
        if (await LoadAsync(kind, cancellationToken) is { } missing)
            return missing;
        Body = Versions.FirstOrDefault()?.Body;
        ExpectedVersion = Versions.FirstOrDefault()?.Version ?? 0;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string kind, CancellationToken cancellationToken)
    {
        if (await LoadAsync(kind, cancellationToken) is { } missing)
            return missing;
        if (!MayEdit)
            return StatusPage(StatusCodes.Status403Forbidden);
        var (stored, errors) = await DocumentEndpoints.AddVersionAsync(Kind, Body, Reason, ExpectedVersion, Caller.Username, templates, time, cancellationToken);
        foreach (var error in errors)
            Errors[error.Field] = Errors.TryGetValue(error.Field, out var before) ? $"{before}；{Ui.T(error.Message.Zh, error.Message.En)}" : Ui.T(error.Message.Zh, error.Message.En);
        if (errors.Count == 0 && stored is not null)
        {
            Flash = Ui.T($"已保存为版本 {stored.Version}", $"Saved as version {stored.Version}");
            return LocalRedirect($"/admin/documents/{Kind.Code}");
        }
        Refusal = errors.Count == 0
            ? Ui.T("模板已被他人修改：请查看最新版本后重新修改", "Someone else changed the template meanwhile: see the newest version and edit again")
            : Ui.T("修改未保存：请更正标出的内容", "Not saved: correct the marked fields");
        Response.StatusCode = errors.Count == 0 ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(string kind, CancellationToken cancellationToken)
    {
        if (DocumentKind.Find(kind) is not { } found)
            return StatusPage(StatusCodes.Status404NotFound);
        Kind = found;
        Versions = await templates.VersionsAsync(found.Code, cancellationToken);
        return null;
    }
}
