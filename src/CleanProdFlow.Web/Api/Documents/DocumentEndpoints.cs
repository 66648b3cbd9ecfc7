using System.Security.Claims;
using CleanProdFlow.Data.Documents;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Domain.Enterprises;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Api.Workflows;

namespace CleanProdFlow.Web.Api.Documents;

/// <summary>
/// Issued official documents (公文, issue 13): a case's documents, an enterprise's (certificates), one document,
/// its PDF and DOCX exactly as issued, and the void (the number stays taken). Templates: list, versions, and new
/// versions by the province's administrators. A city's staff see their city's documents (another city's is a
/// 404); the province and auditors see all.
/// </summary>
public static class DocumentEndpoints
{
    public sealed record TemplateRef(string Kind, int Version);

    public sealed record VoidView(DateTimeOffset VoidedAt, string VoidedBy, string Reason);

    public sealed record DocumentView(Guid Id, string Number, string Kind, string KindName, string Title, string Organisation, string City,
        Guid? InstanceId, string? CaseReference, string? CreditCode, string Author, DateTimeOffset IssuedAt, TemplateRef Template, string PdfSha256,
        string DocxSha256, VoidView? Void, string Pdf, string Docx);

    public sealed record VoidRequest(string? Reason);

    public sealed record TemplateSummary(string Kind, string NameZh, string NameEn, string Series, IEnumerable<string> Fields, int? CurrentVersion);

    public sealed record TemplateVersionView(string Kind, int Version, string Body, string Reason, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record TemplateDetails(TemplateSummary Template, IReadOnlyList<TemplateVersionView> Versions);

    public sealed record NewTemplateVersion(string? Body, string? Reason, int? ExpectedVersion);

    public static void MapDocuments(this IEndpointRouteBuilder api)
    {
        api.MapGet("/instances/{id:guid}/documents", OfInstanceAsync).WithTags("documents").WithName("ListCaseDocuments")
            .WithSummary("The official documents issued in a case, in the order issued").Produces<IReadOnlyList<DocumentView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/enterprises/{creditCode}/documents", OfEnterpriseAsync).WithTags("documents").WithName("ListEnterpriseDocuments")
            .WithSummary("The official documents issued about an enterprise (its cases and its honour certificate)").Produces<IReadOnlyList<DocumentView>>();
        var documents = api.MapGroup("/documents").WithTags("documents");
        documents.MapGet("/{id:guid}", GetAsync).WithName("GetDocument").WithSummary("An issued document: number, kind, case, author, template version, SHA-256")
            .Produces<DocumentView>().ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapGet("/{id:guid}/pdf", (Guid id, ClaimsPrincipal principal, DocumentStore store, CancellationToken ct) => FileAsync(id, true, principal, store, ct))
            .WithName("DownloadDocumentPdf").WithSummary("The PDF exactly as issued (its SHA-256 is the document's pdfSha256)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapGet("/{id:guid}/docx", (Guid id, ClaimsPrincipal principal, DocumentStore store, CancellationToken ct) => FileAsync(id, false, principal, store, ct))
            .WithName("DownloadDocumentDocx").WithSummary("The DOCX exactly as issued, for editing in WPS or Word")
            .ProducesProblem(StatusCodes.Status404NotFound);
        documents.MapPost("/{id:guid}/void", VoidAsync).WithName("VoidDocument")
            .WithSummary("Voids a document (approvers and administrators of the issuing organisation); its number is never reused")
            .Produces<DocumentView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var templates = api.MapGroup("/document-templates").WithTags("documents");
        templates.MapGet("/", ListTemplatesAsync).WithName("ListDocumentTemplates").WithSummary("Every document kind with its fields and current template version");
        templates.MapGet("/{kind}", GetTemplateAsync).WithName("GetDocumentTemplate").WithSummary("A kind's template versions, newest first")
            .Produces<TemplateDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        templates.MapGet("/{kind}/versions/{version:int}", GetTemplateVersionAsync).WithName("GetDocumentTemplateVersion")
            .Produces<TemplateVersionView>().ProducesProblem(StatusCodes.Status404NotFound);
        templates.MapPost("/{kind}/versions", AddTemplateVersionAsync).WithName("AddDocumentTemplateVersion")
            .WithSummary("A new template version (the province's administrators); documents issued before keep the version they were made from")
            .Produces<TemplateVersionView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult NotFound() =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该公文", "No such document"),
            new("没有该公文，或不属于本单位辖区", "No such document, or not in your city"));

    private static IResult Forbidden(LocalizedText detail) => Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    private static bool MaySee(WorkflowCaller caller, IssuedDocument document) => caller.MaySeeInstanceOf(document.City);

    /// <summary>Times in Beijing time, as in every other view.</summary>
    public static DocumentView ViewOf(IssuedDocument d) => new(d.Id, d.Number, d.Kind, DocumentKind.Find(d.Kind)?.NameZh ?? d.Kind, d.Title, d.Organisation,
        d.City, d.InstanceId, d.CaseReference, d.CreditCode, d.Author, WorkflowViews.Beijing(d.IssuedAt), new TemplateRef(d.TemplateKind, d.TemplateVersion),
        d.PdfSha256, d.DocxSha256, d.VoidedAt is { } at ? new VoidView(WorkflowViews.Beijing(at), d.VoidedBy!, d.VoidReason!) : null, $"/api/v1/documents/{d.Id:D}/pdf",
        $"/api/v1/documents/{d.Id:D}/docx");

    private static async Task<IResult> OfInstanceAsync(Guid id, ClaimsPrincipal principal, IWorkflowStore workflows, DocumentStore store,
        CancellationToken cancellationToken)
    {
        var caller = WorkflowCaller.Of(principal);
        if (await workflows.FindInstanceAsync(id, cancellationToken) is not { } instance || !caller.MaySeeInstanceOf(instance.State.Organisation))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该流程实例", "No such instance"),
                new($"没有标识为 {id} 的流程实例（或不属于本单位）", $"No instance {id} (or not of your organisation)"));
        return TypedResults.Ok((await store.OfInstanceAsync(id, cancellationToken)).Select(ViewOf).ToList());
    }

    /// <summary>An enterprise's documents; an enterprise that does not exist or is another city's is a 404, as on its own page.</summary>
    private static async Task<IResult> OfEnterpriseAsync(string creditCode, ClaimsPrincipal principal, DocumentStore store, EnterpriseStore enterprises,
        CancellationToken cancellationToken)
    {
        var code = UnifiedSocialCreditCode.Normalise(creditCode);
        var enterprise = await enterprises.FindAsync(code, cancellationToken);
        if (enterprise is null || !EnterpriseAccess.Of(principal).MaySee(enterprise.Enterprise.City))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该企业", "No such enterprise"),
                new($"没有统一社会信用代码为 {code} 的企业（或不属于本市）", $"No enterprise {code} (or not of your city)"));
        var caller = WorkflowCaller.Of(principal);
        return TypedResults.Ok((await store.OfEnterpriseAsync(code, cancellationToken)).Where(d => MaySee(caller, d)).Select(ViewOf).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal principal, DocumentStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } found && MaySee(WorkflowCaller.Of(principal), found)
            ? TypedResults.Ok(ViewOf(found))
            : NotFound();

    private static async Task<IResult> FileAsync(Guid id, bool pdf, ClaimsPrincipal principal, DocumentStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } found || !MaySee(WorkflowCaller.Of(principal), found))
            return NotFound();
        var bytes = (await store.BytesAsync(id, pdf, cancellationToken))!;
        return pdf
            ? TypedResults.File(bytes, "application/pdf", $"{found.Number}.pdf")
            : TypedResults.File(bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", $"{found.Number}.docx");
    }

    private static async Task<IResult> VoidAsync(Guid id, VoidRequest request, ClaimsPrincipal principal, DocumentStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = WorkflowCaller.Of(principal);
        if (await store.FindAsync(id, cancellationToken) is not { } found || !MaySee(caller, found))
            return NotFound();
        if (!caller.MayAct || !caller.Roles.Any(r => r is Roles.Approver or Roles.Admin) || (caller.Organisation != found.Organisation && !caller.IsProvince))
            return Forbidden(new("公文由出具机关的审批人员或管理员作废", "The issuing organisation's approvers and administrators void its documents"));
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Trim().Length > 2000)
            return Problem.Validation("reason", new("须写明作废理由（不超过 2000 字）", "reason is required (at most 2,000 characters)"));
        if (!await store.VoidAsync(id, caller.Username, request.Reason.Trim(), time.GetUtcNow(), cancellationToken))
            return Problem.Status(StatusCodes.Status409Conflict, new("该公文已作废", "The document was voided already"));
        return TypedResults.Ok(ViewOf((await store.FindAsync(id, cancellationToken))!));
    }

    private static async Task<IResult> ListTemplatesAsync(DocumentTemplateStore templates, CancellationToken cancellationToken)
    {
        var list = new List<TemplateSummary>();
        foreach (var kind in DocumentKind.All)
            list.Add(SummaryOf(kind, (await templates.CurrentAsync(kind.Code, cancellationToken))?.Version));
        return TypedResults.Ok(list);
    }

    private static TemplateSummary SummaryOf(DocumentKind kind, int? version) => new(kind.Code, kind.NameZh, kind.NameEn, kind.Series, kind.AllowedFields, version);

    private static TemplateVersionView ViewOf(StoredTemplate t) => new(t.Kind, t.Version, t.Body, t.Reason, t.CreatedAt, t.CreatedBy);

    private static IResult UnknownKind(string kind) =>
        Problem.Status(StatusCodes.Status404NotFound, new("没有该公文种类", "No such document kind"),
            new($"公文种类 {kind} 不存在（可用：{string.Join("、", DocumentKind.All.Select(k => k.Code))}）",
                $"There is no document kind {kind} (known: {string.Join(", ", DocumentKind.All.Select(k => k.Code))})"));

    private static async Task<IResult> GetTemplateAsync(string kind, DocumentTemplateStore templates, CancellationToken cancellationToken)
    {
        if (DocumentKind.Find(kind) is not { } found)
            return UnknownKind(kind);
        var versions = await templates.VersionsAsync(found.Code, cancellationToken);
        return TypedResults.Ok(new TemplateDetails(SummaryOf(found, versions.FirstOrDefault()?.Version), versions.Select(ViewOf).ToList()));
    }

    private static async Task<IResult> GetTemplateVersionAsync(string kind, int version, DocumentTemplateStore templates, CancellationToken cancellationToken) =>
        DocumentKind.Find(kind) is null
            ? UnknownKind(kind)
            : await templates.VersionAsync(kind, version, cancellationToken) is { } stored
                ? TypedResults.Ok(ViewOf(stored))
                : Problem.Status(StatusCodes.Status404NotFound, new("没有该模板版本", "No such template version"));

    private static async Task<IResult> AddTemplateVersionAsync(string kind, NewTemplateVersion request, ClaimsPrincipal principal,
        DocumentTemplateStore templates, TimeProvider time, CancellationToken cancellationToken)
    {
        // The role first: whoever may not change templates learns nothing about which kinds exist.
        var caller = WorkflowCaller.Of(principal);
        if (!caller.IsProvince || !caller.Roles.Contains(Roles.Admin))
            return Forbidden(new("公文模板由省生态环境厅的管理员维护", "The province's administrators maintain the document templates"));
        if (DocumentKind.Find(kind) is not { } found)
            return UnknownKind(kind);
        var (result, errors) = await AddVersionAsync(found, request.Body, request.Reason, request.ExpectedVersion, caller.Username, templates, time, cancellationToken);
        if (errors.Count > 0)
            return Problem.Validation(errors);
        return result is null
            ? Problem.Status(StatusCodes.Status409Conflict, new("模板已被他人修改", "The template was changed by someone else"),
                new("请刷新后基于最新版本修改", "Reload and edit the newest version"))
            : TypedResults.Created($"/api/v1/document-templates/{found.Code}/versions/{result.Version}", ViewOf(result));
    }

    /// <summary>Checks and stores a new version (the API and the admin page share it): every refused field, or the stored version (null: conflict).</summary>
    public static async Task<(StoredTemplate? Stored, IReadOnlyList<FieldError> Errors)> AddVersionAsync(DocumentKind kind, string? body, string? reason,
        int? expectedVersion, string by, DocumentTemplateStore templates, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var (_, problems) = DocumentTemplate.Parse(kind, body);
        errors.AddRange(problems.Select(p => new FieldError("body", new(p.MessageZh, p.MessageEn))));
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 1000)
            errors.Add(new FieldError("reason", new("须说明修改理由（不超过 1000 字）", "reason is required (at most 1,000 characters)")));
        if (expectedVersion is not > 0)
            errors.Add(new FieldError("expectedVersion", new("须给出所修改的版本号", "expectedVersion (the version edited) is required")));
        if (errors.Count > 0)
            return (null, errors);
        return (await templates.AddVersionAsync(kind.Code, expectedVersion!.Value, body!.Replace("\r\n", "\n", StringComparison.Ordinal), reason!.Trim(), by,
            time.GetUtcNow(), cancellationToken), []);
    }
}
