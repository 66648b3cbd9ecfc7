using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Timing;
using CleanProdFlow.Web.Workflows;
using Microsoft.AspNetCore.Mvc;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Pages.Tasks;

/// <summary>
/// One task: what it is, its time left, claim or give back, and completion with the form generated from the task's
/// fields and one button per outcome. The engine checks the input; its refusal is shown next to each field.
/// </summary>
public sealed class TaskModel(IWorkflowStore store, WorkflowRuntime runtime, StatutoryTime statutory, TimeProvider time) : CpfPageModel
{
    /// <summary>Form inputs are named "v.{field}" so that no field name can collide with the page's own inputs.</summary>
    public const string FieldPrefix = "v.";

    public TaskRecord Task { get; private set; } = null!;
    public string WorkflowName { get; private set; } = "";
    public FormDefinition Form { get; private set; } = FormDefinition.Empty;
    public IReadOnlyList<string> Outcomes { get; private set; } = [];
    public TaskTimeLeft? TimeLeft { get; private set; }
    public bool MayClaim { get; private set; }
    public bool MayUnclaim { get; private set; }
    public bool MayComplete { get; private set; }

    /// <summary>A fresh key per rendered form: a second click or a resent post completes nothing twice.</summary>
    public string IdempotencyKey { get; private set; } = Guid.NewGuid().ToString("N");

    public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);
    public string? Refusal { get; private set; }

    public IReadOnlyList<string> ErrorsOf(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostClaimAsync(Guid id, CancellationToken cancellationToken) =>
        await CommandAsync(id, () => runtime.ClaimAsync(id, Caller.Actor, cancellationToken), new("已认领任务", "Task claimed"), cancellationToken);

    public async Task<IActionResult> OnPostUnclaimAsync(Guid id, CancellationToken cancellationToken) =>
        await CommandAsync(id, () => runtime.UnclaimAsync(id, Caller.Actor, cancellationToken),
            new("已退回任务，岗位内其他人员可以认领", "Task given back to its groups"), cancellationToken);

    public async Task<IActionResult> OnPostCompleteAsync(Guid id, string? outcome, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
            return refused;
        foreach (var field in Form.Fields)
            Values[field.Name] = Request.Form[FieldPrefix + field.Name].ToString();
        if (!Caller.MayAct)
            return Refuse(StatusCodes.Status403Forbidden, Ui.T(EngineProblems.AuditorsChangeNothing));

        var variables = TaskForms.VariablesOf(Form, name => Values.GetValueOrDefault(name));
        var key = string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > TaskEndpoints.MaxIdempotencyKeyLength ? null : idempotencyKey;
        try
        {
            await runtime.CompleteTaskAsync(id, Caller.Actor, string.IsNullOrEmpty(outcome) ? null : outcome, variables, key,
                completed => new IdempotentReply(StatusCodes.Status200OK, completed.InstanceId.ToString()), cancellationToken);
        }
        catch (EngineRefusal refusal)
        {
            IdempotencyKey = key ?? IdempotencyKey; // the same attempt, corrected, may be sent again
            foreach (var problem in refusal.Problems)
            {
                var field = problem.Field.StartsWith("variables.", StringComparison.Ordinal) ? problem.Field["variables.".Length..] : problem.Field;
                if (!Errors.TryGetValue(field, out var messages))
                    Errors[field] = messages = [];
                messages.Add(Ui.T(problem.MessageZh, problem.Message));
            }
            return Refuse(refusal.Kind switch
            {
                RefusalKind.Invalid => StatusCodes.Status400BadRequest,
                RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
                RefusalKind.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status409Conflict,
            }, Ui.T(refusal.MessageZh, refusal.Message));
        }

        Flash = await CompletedMessageAsync(cancellationToken);
        return LocalRedirect("/inbox");
    }

    /// <summary>"已办结：受理分办。下一步：办理企业诉求（审查）": what was done and where the case went.</summary>
    private async Task<string> CompletedMessageAsync(CancellationToken cancellationToken)
    {
        var next = await store.ListTasksAsync(new TaskQuery { InstanceId = Task.InstanceId, Status = TaskStatus.Open, Limit = 20 }, cancellationToken);
        var done = Ui.T($"已办结：{Task.Name}。", $"Completed: {Task.Name}.");
        if (next.Count == 0)
            return done;
        var steps = string.Join(Ui.T("；", "; "), next.Select(t => $"{t.Name}（{Ui.RoleNames(t.CandidateGroups)}）"));
        return done + Ui.T($"下一步：{steps}", $" Next: {steps}");
    }

    private async Task<IActionResult> CommandAsync(Guid id, Func<Task<TaskRecord>> command, LocalizedText done, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } refused)
            return refused;
        if (!Caller.MayAct)
            return Refuse(StatusCodes.Status403Forbidden, Ui.T(EngineProblems.AuditorsChangeNothing));
        try
        {
            var task = await command();
            Flash = $"{Ui.T(done)}：{task.Name}";
        }
        catch (EngineRefusal refusal)
        {
            Flash = Ui.T(refusal.MessageZh, refusal.Message);
        }
        return LocalRedirect($"/tasks/{id}");
    }

    private IActionResult Refuse(int status, string message)
    {
        Refusal = message;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Loads the task for the caller; the 404 or 403 page when it does not exist or is not theirs to see.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var task = await store.FindTaskAsync(id, cancellationToken);
        if (task is null)
            return StatusPage(StatusCodes.Status404NotFound);
        var actor = Caller.Actor;
        if (!actor.CanSee(task))
            return StatusPage(StatusCodes.Status403Forbidden);
        Task = task;
        WorkflowName = (await store.LatestPublishedAsync(task.DefinitionKey, cancellationToken))?.Name ?? task.DefinitionKey;
        Form = TaskForms.FormOf(task);
        Outcomes = TaskForms.OutcomesOf(task);
        TimeLeft = TaskTimeLeft.Of(task, time.GetUtcNow(), statutory.Calendar);
        var open = task.Status == TaskStatus.Open && Caller.MayAct;
        MayClaim = open && task.Assignee is null && actor.IsCandidate(task);
        MayUnclaim = open && task.Assignee == actor.Username;
        MayComplete = open && (task.Assignee == actor.Username || (task.Assignee is null && actor.IsCandidate(task)));
        return null;
    }
}
