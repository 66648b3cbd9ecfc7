using System.Text.Json;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Admin.Definitions;

/// <summary>A problem as the modeler script marks it on the diagram: element id ("" for the whole file) and message.</summary>
public sealed record DiagramProblem(string ElementId, string Message);

/// <summary>
/// One definition version in the bpmn-js modeler: edit and save as a new draft (the runtime validates and stores it,
/// exactly as the upload API; a refusal comes back with every problem marked on its element), publish or retire
/// the version after a confirmation step, and what changed against the previous version.
/// </summary>
// A definition may be up to Workflows:MaxDefinitionBytes (as the API; checked below); the form's default limit for
// one value is 4 MB.
[RequestFormLimits(ValueLengthLimit = 2 * WorkflowSettings.LargestMaxDefinitionBytes)]
public sealed class EditModel(IWorkflowStore store, WorkflowRuntime runtime, DefinitionCatalog catalog, StatutoryTime statutory) : CpfPageModel
{
    /// <summary>Suggestions for the properties panel: the rule ids and handler names the runtime accepts.</summary>
    public IEnumerable<string> TimeLimitIds => statutory.Rules.Rules.Select(r => r.Id);

    public IEnumerable<string> HandlerNames => runtime.HandlerNames.Order(StringComparer.Ordinal);

    public static string UrlOf(string key, int version) => $"/admin/definitions/{Uri.EscapeDataString(key)}/versions/{version}/edit";

    public DefinitionVersion Definition { get; private set; } = null!;

    public IReadOnlyList<DefinitionVersionSummary> Versions { get; private set; } = [];

    public InstanceCounts Counts { get; private set; } = InstanceCounts.None;

    /// <summary>The version compared with (the highest lower one); null for a first version.</summary>
    public int? PreviousVersion { get; private set; }

    public DefinitionDiff? Diff { get; private set; }

    public bool DiffUnavailable { get; private set; }

    /// <summary>The XML the server refused, shown again in the modeler so the edit is not lost.</summary>
    public string? SubmittedXml { get; private set; }

    public IReadOnlyList<DiagramProblem> Problems { get; private set; } = [];

    /// <summary>"publish" or "retire" while the page asks to confirm it.</summary>
    public string? Confirm { get; private set; }

    public string? Refusal { get; private set; }

    public string ProblemsJson => JsonSerializer.Serialize(Problems, JsonSerializerOptions.Web);

    public string Here => UrlOf(Definition.Key, Definition.Version);

    public async Task<IActionResult> OnGetAsync(string key, int version, CancellationToken cancellationToken) =>
        await LoadAsync(key, version, cancellationToken) ?? Page();

    /// <summary>The version's BPMN XML, for the modeler (and to download).</summary>
    public async Task<IActionResult> OnGetXmlAsync(string key, int version, bool download, CancellationToken cancellationToken)
    {
        var stored = await store.FindDefinitionAsync(key, version, cancellationToken);
        if (stored is null)
            return StatusPage(StatusCodes.Status404NotFound);
        if (download)
            Response.Headers.ContentDisposition = $"attachment; filename=\"{Uri.EscapeDataString(key)}-v{version}.bpmn\"";
        return Content(stored.Xml, "application/xml; charset=utf-8");
    }

    /// <summary>Saves the modeler's XML as the definition's next draft; nothing is stored when the runtime refuses it.</summary>
    public async Task<IActionResult> OnPostSaveAsync(string key, int version, string? xml, CancellationToken cancellationToken)
    {
        if (await LoadAsync(key, version, cancellationToken) is { } missing)
            return missing;
        if (string.IsNullOrWhiteSpace(xml))
            return Refuse(StatusCodes.Status400BadRequest, Ui.T("没有收到流程图：请在设计器中保存", "No diagram was received: save from the modeler"));
        if (System.Text.Encoding.UTF8.GetByteCount(xml) > runtime.MaxDefinitionBytes)
            return Refuse(StatusCodes.Status400BadRequest, Ui.T("流程定义过大", "The definition is too large") + $" ({runtime.MaxDefinitionBytes / 1024} KB)");

        // Saving from this page must stay this definition: a changed process id would silently start another one.
        var read = BpmnReader.Read(xml, runtime.ReadOptions);
        if (read.Definition is { } definition && definition.Key != key)
            return Refused(xml, [new BpmnProblem(definition.Key,
                $"the process id must stay '{key}' (it is the definition's key); upload the file on the definitions page to create another definition",
                $"流程标识须保持为“{key}”（即流程定义的标识）；如需另建流程，请在流程定义页面上传文件")]);

        var deployed = await runtime.DeployAsync(xml, Caller.Username, cancellationToken);
        if (!deployed.IsValid)
            return Refused(xml, deployed.Problems);
        var saved = deployed.Version!;
        Flash = Ui.T($"已另存为新草稿：版本 {saved.Version}", $"Saved as a new draft: version {saved.Version}");
        return LocalRedirect(UrlOf(saved.Key, saved.Version));
    }

    public Task<IActionResult> OnPostPublishAsync(string key, int version, bool confirmed, CancellationToken cancellationToken) =>
        ChangeStatusAsync(key, version, "publish", confirmed, () => runtime.PublishAsync(key, version, Caller.Username, cancellationToken),
            Ui.T($"已发布版本 {version}：新案件按此版本办理", $"Version {version} is published: new cases start on it"), cancellationToken);

    public Task<IActionResult> OnPostRetireAsync(string key, int version, bool confirmed, CancellationToken cancellationToken) =>
        ChangeStatusAsync(key, version, "retire", confirmed, () => runtime.RetireAsync(key, version, Caller.Username, cancellationToken),
            Ui.T($"已停用版本 {version}：不再启动新案件，办理中的案件继续办理", $"Version {version} is retired: it starts no new case; running cases go on"),
            cancellationToken);

    private async Task<IActionResult> ChangeStatusAsync(string key, int version, string action, bool confirmed, Func<Task> change, string done,
        CancellationToken cancellationToken)
    {
        if (await LoadAsync(key, version, cancellationToken) is { } missing)
            return missing;
        if (!confirmed)
        {
            // Both change what new cases start on: the page asks once more, saying what will happen.
            Confirm = action;
            return Page();
        }
        try
        {
            await change();
        }
        catch (EngineRefusal refusal)
        {
            return Refuse(refusal.Kind switch
            {
                RefusalKind.NotFound => StatusCodes.Status404NotFound,
                RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
                RefusalKind.Invalid => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            }, Ui.T(refusal.MessageZh, refusal.Message));
        }
        Flash = done;
        return LocalRedirect(UrlOf(key, version));
    }

    private IActionResult Refused(string xml, IReadOnlyList<BpmnProblem> problems)
    {
        SubmittedXml = xml;
        Problems = problems.Select(p => new DiagramProblem(p.ElementId, Ui.T(p.MessageZh, p.Message))).ToList();
        return Refuse(StatusCodes.Status400BadRequest,
            Ui.T($"服务器未保存：流程定义有 {problems.Count} 个问题，已在图中标出", $"Not saved: the definition has {problems.Count} problem(s), marked on the diagram"));
    }

    private IActionResult Refuse(int status, string message)
    {
        Refusal = message;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>The version, its siblings, counts and the diff; the 404 page when there is no such version.</summary>
    private async Task<IActionResult?> LoadAsync(string key, int version, CancellationToken cancellationToken)
    {
        var stored = await store.FindDefinitionAsync(key, version, cancellationToken);
        if (stored is null)
            return StatusPage(StatusCodes.Status404NotFound);
        Definition = stored;
        Versions = await catalog.ListVersionsAsync(key, cancellationToken);
        Counts = (await catalog.InstanceCountsAsync(key, cancellationToken)).GetValueOrDefault((key, version), InstanceCounts.None);
        PreviousVersion = Versions.Where(v => v.Version < version).Select(v => (int?)v.Version).Max();
        if (PreviousVersion is { } previous)
        {
            try
            {
                Diff = DefinitionDiff.Between(await runtime.DefinitionAsync(key, previous, cancellationToken),
                    await runtime.DefinitionAsync(key, version, cancellationToken));
            }
            catch (InvalidOperationException)
            {
                // A version stored by an older reader that this one no longer reads: the page still opens, without a diff.
                DiffUnavailable = true;
            }
        }
        return null;
    }
}
