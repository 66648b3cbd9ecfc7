using System.Globalization;
using System.Security.Claims;
using CleanProdFlow.Data.Reception;
using CleanProdFlow.Data.Timing;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Reception;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Timing;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;
using CleanProdFlow.Web.Compliance;
using CleanProdFlow.Web.Pages;
using CleanProdFlow.Web.Reception;
using CleanProdFlow.Web.Timing;
using static CleanProdFlow.Web.Api.Reception.ReceptionViews;
using TaskStatus = CleanProdFlow.Engine.Runtime.TaskStatus;

namespace CleanProdFlow.Web.Api.Reception;

/// <summary>
/// /api/v1/reception: the environmental reception day (环保接待日, measure 10) — sessions, the intake of advanced
/// enterprises' requests (诉求), and the list of a session's requests with each one's office, status, due date,
/// answer and follow-up (also as CSV). The tasks themselves go through the inbox (/api/v1/tasks). A city's staff see
/// their city's sessions (another city's is a 404); the province sees all; auditors read. Acceptance officers and
/// administrators schedule sessions and record requests.
/// </summary>
public static class ReceptionEndpoints
{
    public sealed record CreateSessionRequest(string? Date, string? Place, string? Host, string? Topic, string? Organisation);

    public sealed record RecordRequestBody(string? CreditCode, string? ContactName, string? ContactPhone, string? Category, string? Request);

    public sealed record RequestDetails(RequestView Request, SessionView Session, string? Answer, string? RehandleAnswer,
        IReadOnlyList<WorkflowViews.TaskView> Tasks);

    private static readonly string[] IntakeRoles = [Roles.Acceptance, Roles.Admin];

    public static void MapReception(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/reception").WithTags("reception");
        group.MapPost("/sessions", CreateSessionAsync).WithName("CreateReceptionSession")
            .WithSummary("Schedule a reception-day session (接待日场次): date, place, host, organisation (acceptance officers and administrators)")
            .Produces<SessionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/sessions", ListSessionsAsync).WithName("ListReceptionSessions")
            .WithSummary("Reception-day sessions, latest first: the caller's city, or every organisation for the province (?organisation= narrows)")
            .Produces<IReadOnlyList<SessionView>>();
        group.MapGet("/sessions/{id:guid}", GetSessionAsync).WithName("GetReceptionSession")
            .WithSummary("A session with all its requests: number, enterprise, category, office, status, due date, answered at, on time or late, satisfaction")
            .Produces<SessionListView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/sessions/{id:guid}/requests.csv", SessionCsvAsync).WithName("ExportReceptionSession")
            .WithSummary("The session's request list as CSV (UTF-8 with BOM)").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/sessions/{id:guid}/requests", RecordRequestAsync).WithName("RecordReceptionRequest")
            .WithSummary("Record an advanced enterprise's request (诉求) for the session: its number and its workflow started; an Idempotency-Key makes a retry answer the request it recorded (200)")
            .Produces<RequestView>(StatusCodes.Status201Created).Produces<RequestView>(StatusCodes.Status200OK).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/requests/{requestNumber}", GetRequestAsync).WithName("GetReceptionRequest")
            .WithSummary("One request: its list row, the answer texts and its open tasks").Produces<RequestDetails>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult SessionNotFound() =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该接待日场次", "No such reception-day session"),
            new("没有该场次，或不属于本单位", "No such session, or not of your organisation"));

    private static async Task<IResult> CreateSessionAsync(CreateSessionRequest request, ClaimsPrincipal principal, ReceptionStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.HasAny(IntakeRoles))
            return EngineProblems.Forbidden(new("只有受理岗或管理员可以安排接待日（督查/审计人员只能查看）",
                "Only acceptance officers and administrators schedule reception days (auditors read only)"));
        var now = time.GetUtcNow();
        var input = new NewReceptionSession(request.Date, request.Place, request.Host, request.Topic, request.Organisation)
            .Check(access.OrganisationCode, BeijingTime.DateOf(now), out var problems);
        if (input is null)
            return Problem.Validation(problems);
        if (!access.MaySee(input.Organisation))
            return EngineProblems.Forbidden(new($"设区市工作人员只能安排本市（{access.OrganisationCode}）的接待日",
                $"City staff schedule sessions of their own city ({access.OrganisationCode}) only"));
        var session = await store.CreateSessionAsync(input, now, access.Username, cancellationToken);
        return TypedResults.Created($"/api/v1/reception/sessions/{session.Id:D}", ViewOf(session));
    }

    private static async Task<IResult> ListSessionsAsync(string? organisation, ClaimsPrincipal principal, ReceptionStore store,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        var wanted = string.IsNullOrWhiteSpace(organisation) ? null : organisation.Trim();
        if (wanted is not null && Organisation.Find(wanted) is null)
            return Problem.Validation("organisation", new($"单位“{wanted}”无效，须为 province 或 13 个设区市之一", $"organisation '{wanted}' must be province or one of the 13 cities"));
        // A city's staff see their own city's sessions whatever they ask for.
        var of = access.IsProvince ? wanted : access.OrganisationCode;
        return TypedResults.Ok((await store.ListSessionsAsync(of, cancellationToken)).Select(ViewOf).ToList());
    }

    private static async Task<(ReceptionSession? Session, IResult? Refusal)> VisibleSessionAsync(Guid id, EnterpriseAccess access, ReceptionStore store,
        CancellationToken cancellationToken)
    {
        var session = await store.FindSessionAsync(id, cancellationToken);
        // Another city's session is "not found": its existence does not leak.
        return session is null || !access.MaySee(session.Organisation) ? (null, SessionNotFound()) : (session, null);
    }

    public static async Task<SessionListView?> SessionListAsync(Guid id, EnterpriseAccess access, ReceptionStore store, ClockStore clocks,
        StatutoryTime statutory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var session = await store.FindSessionAsync(id, cancellationToken);
        if (session is null || !access.MaySee(session.Organisation))
            return null;
        var rows = await ViewsOfAsync(await store.RequestsOfSessionAsync(id, cancellationToken), clocks, statutory, now, cancellationToken);
        return new SessionListView(ViewOf(session), rows.Count, rows);
    }

    private static async Task<IResult> GetSessionAsync(Guid id, ClaimsPrincipal principal, ReceptionStore store, ClockStore clocks, StatutoryTime statutory,
        TimeProvider time, CancellationToken cancellationToken) =>
        await SessionListAsync(id, EnterpriseAccess.Of(principal), store, clocks, statutory, time.GetUtcNow(), cancellationToken) is { } list
            ? TypedResults.Ok(list)
            : SessionNotFound();

    private static async Task<IResult> SessionCsvAsync(Guid id, ClaimsPrincipal principal, ReceptionStore store, ClockStore clocks, StatutoryTime statutory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (await SessionListAsync(id, EnterpriseAccess.Of(principal), store, clocks, statutory, time.GetUtcNow(), cancellationToken) is not { } list)
            return SessionNotFound();
        return TypedResults.File(ComplianceExports.Csv(Table(list)), ComplianceExports.CsvType,
            $"reception-{list.Session.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{list.Session.Organisation}.csv");
    }

    /// <summary>The session's list as a table (the CSV export and the page show the same columns).</summary>
    public static ExportTable Table(SessionListView list) => new(Ui.T("接待日诉求", "Reception requests"),
        [
            Ui.T("诉求编号", "Request number"), Ui.T("统一社会信用代码", "Credit code"), Ui.T("企业名称", "Enterprise"), Ui.T("联系人", "Contact"),
            Ui.T("联系电话", "Phone"), Ui.T("诉求类别", "Category"), Ui.T("诉求内容", "Request"), Ui.T("承办处室", "Office"), Ui.T("转交单位", "Referred to"),
            Ui.T("办理状态", "Status"), Ui.T("答复期限", "Due date"), Ui.T("答复时间", "Answered at"), Ui.T("是否按期", "On time"),
            Ui.T("回访结果", "Satisfaction"), Ui.T("重新办理期限", "Re-handling due date"), Ui.T("重新办理答复时间", "Re-handled at"),
            Ui.T("办结时间", "Closed at"),
        ],
        list.Requests.Select(r => (IReadOnlyList<object?>)
        [
            r.RequestNumber, r.CreditCode, r.EnterpriseName, r.ContactName, r.ContactPhone, r.CategoryName, r.Request, r.OfficeName, r.ReferredTo,
            r.StatusName, r.DueDate, r.AnsweredAt, TimingName(r.Timing), r.SatisfactionName, r.RehandleDueDate, r.RehandledAt, r.ClosedAt,
        ]).ToList());

    public static string? TimingName(string? timing) => timing switch
    {
        "on-time" => Ui.T("按期", "on time"),
        "late" => Ui.T("超期答复", "answered late"),
        "running" => Ui.T("办理中", "running"),
        "overdue" => Ui.T("已超期未答复", "overdue"),
        "paused" => Ui.T("暂停", "paused"),
        null => null,
        _ => Ui.T("已撤销", "cancelled"),
    };

    private static async Task<IResult> RecordRequestAsync(Guid id, RecordRequestBody body, HttpRequest http, ClaimsPrincipal principal, ReceptionStore store,
        ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        var (session, refusal) = await VisibleSessionAsync(id, access, store, cancellationToken);
        if (session is null)
            return refusal!;
        if (!access.HasAny(IntakeRoles))
            return EngineProblems.Forbidden(new("只有受理岗或管理员可以登记企业诉求（督查/审计人员只能查看）",
                "Only acceptance officers and administrators record requests (auditors read only)"));
        string? key = null;
        if (http.Headers.TryGetValue(TaskEndpoints.IdempotencyKeyHeader, out var values))
        {
            key = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(key) || key.Length > TaskEndpoints.MaxIdempotencyKeyLength)
                return Problem.Validation(TaskEndpoints.IdempotencyKeyHeader, new($"{TaskEndpoints.IdempotencyKeyHeader} 须为 1–{TaskEndpoints.MaxIdempotencyKeyLength} 个字符的单个值",
                    $"{TaskEndpoints.IdempotencyKeyHeader} must be one value of 1 to {TaskEndpoints.MaxIdempotencyKeyLength} characters"));
        }

        // Built from the request's services, not taken from the container: the demo seed calls this endpoint with its
        // own clock and runtime (SeedServices), and the intake must stamp the request and start the instance with them.
        var intake = ActivatorUtilities.CreateInstance<ReceptionIntake>(http.HttpContext.RequestServices);
        var outcome = await intake.RecordAsync(session, new NewReceptionRequest(body.CreditCode, body.ContactName, body.ContactPhone, body.Category, body.Request),
            access.Username, key, cancellationToken);
        switch (outcome)
        {
            case IntakeOutcome.Refused refused:
                return Problem.Validation(refused.Problems);
            case IntakeOutcome.NotPublished:
                return Problem.Status(StatusCodes.Status503ServiceUnavailable, new("接待日流程未发布，暂不能登记", "The reception-day workflow is not published; nothing was recorded"),
                    new($"流程定义“{ReceptionTerms.DefinitionKey}”没有已发布的版本", $"definition '{ReceptionTerms.DefinitionKey}' has no published version"));
            case IntakeOutcome.StartFailed failed:
                return Problem.Status(StatusCodes.Status503ServiceUnavailable, new("诉求已登记，但办理流程未能启动", "The request was recorded but its workflow did not start"),
                    new($"诉求编号 {failed.RequestNumber}；原因：{failed.Reason.Zh}。下次启动时将重试", $"request {failed.RequestNumber}; reason: {failed.Reason.En}. It is retried at the next start"));
        }
        var recorded = (IntakeOutcome.Recorded)outcome;
        var view = (await ViewsOfAsync([recorded.Request], clocks, statutory, time.GetUtcNow(), cancellationToken)).Single();
        if (recorded.Created)
            return TypedResults.Created($"/api/v1/reception/requests/{Uri.EscapeDataString(view.RequestNumber)}", view);
        // The same Idempotency-Key again: the request it recorded (200). The key belongs to one request: another
        // body with it (or another session) is a 409, nothing recorded.
        var same = recorded.Request.SessionId == session.Id
            && string.Equals(body.CreditCode?.Trim(), recorded.Request.CreditCode, StringComparison.OrdinalIgnoreCase)
            && body.Category?.Trim() == recorded.Request.Category && body.Request?.Trim() == recorded.Request.Request;
        return same
            ? TypedResults.Json(view, statusCode: StatusCodes.Status200OK)
            : Problem.Status(StatusCodes.Status409Conflict, new("该幂等键已用于另一项诉求", "This Idempotency-Key was used for another request"),
                new($"您此前以该键登记了 {recorded.Request.RequestNumber}；新的诉求请使用新的键",
                    $"you recorded {recorded.Request.RequestNumber} with this key; use a new key for a new request"));
    }

    private static async Task<IResult> GetRequestAsync(string requestNumber, ClaimsPrincipal principal, ReceptionStore store, IWorkflowStore workflows,
        ClockStore clocks, StatutoryTime statutory, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = await store.FindRequestAsync(requestNumber.Trim(), cancellationToken);
        var access = EnterpriseAccess.Of(principal);
        if (request is null || !access.MaySee(request.Organisation))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该诉求", "No such request"),
                new($"没有编号为 {requestNumber} 的诉求（或不属于本单位）", $"No request {requestNumber} (or not of your organisation)"));
        var view = (await ViewsOfAsync([request], clocks, statutory, time.GetUtcNow(), cancellationToken)).Single();
        var tasks = request.InstanceId is { } instanceId
            ? (await workflows.ListTasksAsync(new TaskQuery { InstanceId = instanceId, Status = TaskStatus.Open, Limit = 100 }, cancellationToken))
                .Select(WorkflowViews.ViewOf).ToList()
            : [];
        var session = (await store.FindSessionAsync(request.SessionId, cancellationToken))!;
        return TypedResults.Ok(new RequestDetails(view, ViewOf(session), request.Answer, request.RehandleAnswer, tasks));
    }
}
