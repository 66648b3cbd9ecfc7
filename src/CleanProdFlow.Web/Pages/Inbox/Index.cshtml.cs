using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Pages.Inbox;

/// <summary>One row of the inbox: the task, its time left, what the user may do with it, and a message after an action.</summary>
public sealed record InboxRow(TaskRecord Task, string WorkflowName, TaskTimeLeft? TimeLeft, bool MayClaim, bool MayUnclaim, bool MayWork,
    string ReturnUrl, string? Message = null, bool MessageIsError = false);

/// <summary>
/// 我的待办: the tasks assigned to me, offered to my groups, or completed by me; filtered by workflow, case number,
/// enterprise and status; ordered by due date and paged by keyset (the last row's due date and id, never OFFSET).
/// Claim and give back work as plain form posts and, with htmx, in place.
/// </summary>
public sealed class IndexModel(InboxStore inbox, IWorkflowStore store, WorkflowRuntime runtime, StatutoryTime statutory, TimeProvider time)
    : CpfPageModel
{
    public const int PageSize = 20;
    public const string Mine = "mine";
    public const string Groups = "groups";
    public const string Done = "done";

    [BindProperty(SupportsGet = true)] public string? Tab { get; set; }
    [BindProperty(SupportsGet = true)] public string? Workflow { get; set; }
    [BindProperty(SupportsGet = true)] public string? CaseNumber { get; set; }
    [BindProperty(SupportsGet = true)] public string? Enterprise { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public string CurrentTab => Tab is Groups or Done ? Tab : Mine;

    public IReadOnlyList<InboxRow> Rows { get; private set; } = [];

    public IReadOnlyList<DefinitionVersion> Workflows { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool CursorWasInvalid { get; private set; }

    /// <summary>The status filter (the completed tab is always "completed").</summary>
    public string StatusFilter => CurrentTab == Done ? "completed" : Status is "completed" or "cancelled" or "any" ? Status : "open";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Workflows = await store.ListDefinitionsAsync(cancellationToken);
        (DateTimeOffset? DueAt, Guid Id)? after = null;
        if (!string.IsNullOrEmpty(After))
        {
            if (TaskEndpoints.Cursor.TryDecode(After, out var decoded))
                after = decoded;
            else
                CursorWasInvalid = true; // a stale or edited link: show the first page and say so
        }

        var actor = Caller.Actor;
        var tab = CurrentTab;
        var page = await inbox.ListTasksAsync(new InboxQuery
        {
            Tasks = new TaskQuery
            {
                Organisations = actor.ReadsEverything ? null : [actor.Organisation],
                Groups = tab == Groups && !actor.ReadsEverything ? actor.Groups : null,
                Assignee = tab == Mine ? actor.Username : null,
                Status = StatusFilter switch
                {
                    "completed" => TaskStatus.Completed,
                    "cancelled" => TaskStatus.Cancelled,
                    "any" => null,
                    _ => TaskStatus.Open,
                },
                DefinitionKey = Blank(Workflow),
                BusinessKey = Blank(CaseNumber),
                Limit = PageSize,
                After = after,
            },
            CompletedBy = tab == Done ? actor.Username : null,
            Enterprise = Blank(Enterprise),
        }, cancellationToken);
        if (page.Count == PageSize)
            NextCursor = TaskEndpoints.Cursor.Encode(page[^1]);
        var names = Workflows.ToDictionary(d => d.Key, d => d.Name ?? d.Key, StringComparer.Ordinal);
        Rows = page.Select(task => RowOf(task, names.GetValueOrDefault(task.DefinitionKey, task.DefinitionKey))).ToList();
    }

    public Task<IActionResult> OnPostClaimAsync(Guid taskId, string? returnUrl, CancellationToken cancellationToken) =>
        ActAsync(taskId, returnUrl, () => runtime.ClaimAsync(taskId, Caller.Actor, cancellationToken),
            new("已认领任务", "Task claimed"), cancellationToken);

    public Task<IActionResult> OnPostUnclaimAsync(Guid taskId, string? returnUrl, CancellationToken cancellationToken) =>
        ActAsync(taskId, returnUrl, () => runtime.UnclaimAsync(taskId, Caller.Actor, cancellationToken),
            new("已退回任务，岗位内其他人员可以认领", "Task given back to its groups"), cancellationToken);

    /// <summary>
    /// Claim or give back through the engine (which refuses what the user may not do). With htmx the row comes back
    /// with the outcome; as a plain post the inbox is shown again with the outcome as a message.
    /// </summary>
    private async Task<IActionResult> ActAsync(Guid taskId, string? returnUrl, Func<Task<TaskRecord>> command,
        Domain.Common.LocalizedText done, CancellationToken cancellationToken)
    {
        var back = LocalOr(returnUrl, "/inbox");
        string message;
        var failed = false;
        if (!Caller.MayAct)
        {
            (message, failed) = (Ui.T(EngineProblems.AuditorsChangeNothing), true);
        }
        else
        {
            try
            {
                var task = await command();
                message = $"{Ui.T(done)}：{task.Name}";
            }
            catch (EngineRefusal refusal)
            {
                (message, failed) = (Ui.T(refusal.MessageZh, refusal.Message), true);
            }
        }

        if (!IsHtmx)
        {
            Flash = message;
            return LocalRedirect(back);
        }
        var current = await store.FindTaskAsync(taskId, cancellationToken);
        if (current is null || !Caller.Actor.CanSee(current))
            return Content($"<tr><td colspan=\"7\" role=\"alert\" class=\"error\">{System.Net.WebUtility.HtmlEncode(message)}</td></tr>", "text/html; charset=utf-8");
        var definition = await store.LatestPublishedAsync(current.DefinitionKey, cancellationToken);
        return Partial("_InboxRow", RowOf(current, definition?.Name ?? current.DefinitionKey, back) with { Message = message, MessageIsError = failed });
    }

    private InboxRow RowOf(TaskRecord task, string workflowName, string? returnUrl = null)
    {
        var actor = Caller.Actor;
        var open = task.Status == TaskStatus.Open;
        var mayAct = Caller.MayAct && open;
        return new InboxRow(task, workflowName, TaskTimeLeft.Of(task, time.GetUtcNow(), statutory.Calendar),
            MayClaim: mayAct && task.Assignee is null && actor.IsCandidate(task),
            MayUnclaim: mayAct && task.Assignee == actor.Username,
            MayWork: mayAct && (task.Assignee == actor.Username || (task.Assignee is null && actor.IsCandidate(task))),
            ReturnUrl: returnUrl ?? Request.Path + Request.QueryString);
    }

    /// <summary>This page's address with some query values changed (null removes one); the cursor is dropped unless given.</summary>
    public string Link(string? tab = null, string? after = null, bool keepFilters = true) =>
        "/inbox" + QueryString.Create(new Dictionary<string, string?>
        {
            ["tab"] = tab ?? CurrentTab,
            ["workflow"] = keepFilters ? Blank(Workflow) : null,
            ["caseNumber"] = keepFilters ? Blank(CaseNumber) : null,
            ["enterprise"] = keepFilters ? Blank(Enterprise) : null,
            ["status"] = keepFilters && (tab ?? CurrentTab) != Done && Status is not null && StatusFilter != "open" ? StatusFilter : null,
            ["after"] = after,
        }.Where(p => p.Value is not null));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
