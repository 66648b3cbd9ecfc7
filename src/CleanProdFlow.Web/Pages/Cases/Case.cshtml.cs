using System.Text.Json;
using System.Text.Json.Nodes;
using CleanProdFlow.Data.Documents;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Clocks;
using CleanProdFlow.Web.Clocks;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Pages.Cases;

/// <summary>One line of the case's timeline: when (Beijing time), who, what, at which step, and the detail that matters.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Actor, string Kind, string? ElementId, string? ElementName, string? Detail);

/// <summary>Where the case stands on its diagram: the elements to mark (and the flows already taken).</summary>
public sealed record DiagramMarkers(IReadOnlyList<string> Active, IReadOnlyList<string> Completed, IReadOnlyList<string> Overdue, IReadOnlyList<string> Flows);

/// <summary>A refused clock action, shown beside that clock's form.</summary>
public sealed record ClockFormError(string Clock, string Action, string Message, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The case page: the BPMN diagram (bpmn-js viewer) with done, active and overdue steps marked; the open tasks; every
/// statutory clock with its explanation and the staff actions the user may take (the same checks as the API, in
/// <see cref="ClockActions"/>); the journal as a timeline. A case of another organisation is the 403 page.
/// </summary>
public sealed class CaseModel(IWorkflowStore store, WorkflowRuntime runtime, ClockStore clocks, StatutoryTime statutory, ClockActions actions,
    DocumentStore documents, TimeProvider time) : CpfPageModel
{
    /// <summary>The official documents issued in the case (numbers, kinds, void), downloadable from the page.</summary>
    public IReadOnlyList<IssuedDocument> Documents { get; private set; } = [];

    public InstanceState Instance { get; private set; } = null!;
    public string WorkflowName { get; private set; } = "";
    public IReadOnlyList<ClockEndpoints.ClockView> Clocks { get; private set; } = [];
    public IReadOnlyList<(TaskRecord Task, TaskTimeLeft? TimeLeft)> OpenTasks { get; private set; } = [];
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];
    public DiagramMarkers Markers { get; private set; } = new([], [], [], []);
    public IReadOnlyDictionary<string, string> ElementNames { get; private set; } = new Dictionary<string, string>();
    public ClockFormError? ClockError { get; private set; }

    public bool MayPauseOrResume => ClockActions.MayPauseOrResume(Caller);
    public bool MayExtend => ClockActions.MayExtend(Caller);

    public string MarkersJson => JsonSerializer.Serialize(Markers, JsonSerializerOptions.Web);

    public string NameOf(string elementId) => ElementNames.TryGetValue(elementId, out var name) ? name : elementId;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    /// <summary>The definition version the case runs on, as BPMN XML for the viewer (authorised like the page).</summary>
    public async Task<IActionResult> OnGetDiagramAsync(Guid id, CancellationToken cancellationToken)
    {
        var stored = await store.FindInstanceAsync(id, cancellationToken);
        if (stored is null)
            return NotFound();
        if (!Caller.MaySeeInstanceOf(stored.State.Organisation))
            return Forbid();
        var definition = await store.FindDefinitionAsync(stored.State.DefinitionKey, stored.State.Version, cancellationToken);
        return definition is null ? NotFound() : Content(definition.Xml, "application/xml; charset=utf-8");
    }

    /// <summary>A document of the case, PDF or DOCX, exactly as issued (authorised like the page).</summary>
    public async Task<IActionResult> OnGetDocumentAsync(Guid id, Guid documentId, string? format, CancellationToken cancellationToken)
    {
        var stored = await store.FindInstanceAsync(id, cancellationToken);
        if (stored is null)
            return NotFound();
        if (!Caller.MaySeeInstanceOf(stored.State.Organisation))
            return Forbid();
        if (await documents.FindAsync(documentId, cancellationToken) is not { } document || document.InstanceId != id)
            return NotFound();
        var pdf = format != "docx";
        var bytes = (await documents.BytesAsync(documentId, pdf, cancellationToken))!;
        return pdf
            ? File(bytes, "application/pdf", $"{document.Number}.pdf")
            : File(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", $"{document.Number}.docx");
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id, string clock, string? reason, string? legalBasis, CancellationToken cancellationToken) =>
        ClockActionAsync(id, clock, "pause", () => actions.PauseAsync(id, clock, reason, legalBasis, Caller, cancellationToken),
            new("计时已暂停", "The clock is paused"), cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(Guid id, string clock, CancellationToken cancellationToken) =>
        ClockActionAsync(id, clock, "resume", () => actions.ResumeAsync(id, clock, Caller, cancellationToken),
            new("计时已恢复", "The clock is running again"), cancellationToken);

    public Task<IActionResult> OnPostExtendAsync(Guid id, string clock, string? days, string? reason, CancellationToken cancellationToken)
    {
        // A number that does not parse is "no number": the shared check then names the field.
        int? count = int.TryParse(days, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        return ClockActionAsync(id, clock, "extend", () => actions.ExtendAsync(id, clock, count, reason, Caller, cancellationToken),
            new("期限已延长", "The time limit is extended"), cancellationToken);
    }

    private async Task<IActionResult> ClockActionAsync(Guid id, string clock, string action, Func<Task<ClockActionResult>> run, LocalizedText done,
        CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
            return refused;
        var result = await run();
        if (result.Clock is { } changed)
        {
            Flash = $"{Ui.T(done)}：{changed.RuleName}";
            return LocalRedirect($"/cases/{id}#clock-{Uri.EscapeDataString(clock)}");
        }

        int status;
        string message;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result.EngineRefused is { } engine)
        {
            status = engine.Kind switch
            {
                RefusalKind.Invalid => StatusCodes.Status400BadRequest,
                RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
                RefusalKind.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status409Conflict,
            };
            message = Ui.T(engine.MessageZh, engine.Message);
            foreach (var problem in engine.Problems)
                fields[problem.Field] = Ui.T(problem.MessageZh, problem.Message);
        }
        else
        {
            var refusal = result.Refused!;
            status = refusal.Status;
            message = refusal.Detail is null ? Ui.T(refusal.Title) : $"{Ui.T(refusal.Title)}：{Ui.T(refusal.Detail)}";
            foreach (var error in refusal.Errors)
                fields[error.Field] = Ui.T(error.Message);
        }
        ClockError = new ClockFormError(clock, action, message, fields);
        Response.StatusCode = status;
        // The page as it is now (nothing changed), with the refusal beside the form.
        return Page();
    }

    /// <summary>Everything the page shows; the 404 or 403 page when the case does not exist or belongs to another organisation.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var stored = await store.FindInstanceAsync(id, cancellationToken);
        if (stored is null)
            return StatusPage(StatusCodes.Status404NotFound);
        if (!Caller.MaySeeInstanceOf(stored.State.Organisation))
            return StatusPage(StatusCodes.Status403Forbidden);
        Instance = stored.State;
        var now = time.GetUtcNow();

        var definition = await runtime.DefinitionAsync(Instance.DefinitionKey, Instance.Version, cancellationToken);
        WorkflowName = definition.Name ?? definition.Key;
        ElementNames = definition.Nodes.ToDictionary(n => n.Id, n => string.IsNullOrWhiteSpace(n.Name) ? Ui.ElementKind(n.Kind) : n.Name,
            StringComparer.Ordinal);

        Clocks = await ClockEndpoints.ClocksOfAsync(id, clocks, statutory, now, cancellationToken);
        Documents = await documents.OfInstanceAsync(id, cancellationToken);

        var tasks = await store.ListTasksAsync(new TaskQuery { InstanceId = id, Status = TaskStatus.Open, Limit = 200 }, cancellationToken);
        OpenTasks = tasks.Select(t => (t, TaskTimeLeft.Of(t, now, statutory.Calendar))).ToList();

        var journal = (await store.JournalAsync(id, cancellationToken)).OrderBy(j => j.Sequence).ToList();
        Timeline = journal.Select(j => new TimelineEntry(j.At, j.Actor, j.Kind, j.ElementId,
            j.ElementId is null ? null : NameOf(j.ElementId), DetailOf(j.Data))).ToList();

        var overdue = tasks.Where(t => t.DueAt is { } due && due <= now).Select(t => t.ElementId).Distinct().ToList();
        var active = Instance.ActiveElementIds.Except(overdue).ToList();
        var completed = journal.Where(j => j.Kind == "element.left" && j.ElementId is not null).Select(j => j.ElementId!)
            .Distinct().Except(Instance.ActiveElementIds).ToList();
        var flows = journal.Where(j => j.Kind == "element.entered").Select(j => ViaOf(j.Data)).OfType<string>().Distinct().ToList();
        Markers = new DiagramMarkers(active, completed, overdue, flows);
        return null;
    }

    private static JsonObject? Parse(string? data)
    {
        if (string.IsNullOrWhiteSpace(data))
            return null;
        try
        {
            return JsonNode.Parse(data) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ViaOf(string? data) => Parse(data)?["via"] is JsonValue via && via.TryGetValue<string>(out var flow) ? flow : null;

    /// <summary>The part of an entry's data a person reads: the outcome, a reason, a new due date.</summary>
    private static string? DetailOf(string? data)
    {
        if (Parse(data) is not { } json)
            return null;
        var parts = new List<string>();
        if (Text(json, "outcome") is { } outcome)
            parts.Add($"{Ui.T("结果", "outcome")}：{Ui.Word(outcome)}");
        if (Text(json, "reason") is { } reason)
            parts.Add($"{Ui.T("原因", "reason")}：{reason}");
        if (Text(json, "dueAt") is { } dueAt && DateTimeOffset.TryParse(dueAt, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var instant))
            parts.Add($"{Ui.T("期限", "due")}：{Ui.DueDateTime(instant)}");
        if (Text(json, "dueAfter") is { } dueAfter && DateTimeOffset.TryParse(dueAfter, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var after))
            parts.Add($"{Ui.T("新时间", "now at")}：{Ui.DueDateTime(after)}");
        return parts.Count == 0 ? null : string.Join(Ui.T("；", "; "), parts);
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
