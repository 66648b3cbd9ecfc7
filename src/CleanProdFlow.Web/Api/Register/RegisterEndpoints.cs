using System.Globalization;
using System.Security.Claims;
using System.Text;
using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Eligibility;
using CleanProdFlow.Domain.Register;
using CleanProdFlow.Web.Api.Enterprises;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Web.Documents;

namespace CleanProdFlow.Web.Api.Register;

/// <summary>
/// The register of clean-production advanced enterprises (confirmed by the province's approver, with an honour
/// certificate number), the lists it feeds, and the public list (no sign-in; published fields only).
/// </summary>
public static class RegisterEndpoints
{
    public sealed record AdmitRequest(string? CreditCode);

    public sealed record ReasonRequest(string? Reason);

    public sealed record MemberRequest(string? CreditCode, string? Reason);

    /// <summary>What the public list shows: nothing beyond what the department publishes.</summary>
    public sealed record PublishedEntry(string CertificateNumber, string CreditCode, string Name, string City, string? County, DateOnly ConfirmedOn);

    public static void MapRegister(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        var register = api.MapGroup("/register").WithTags("register");
        register.MapGet("/", ListAsync).WithName("ListRegister");
        register.MapPost("/", AdmitAsync).WithName("AdmitToRegister")
            .WithSummary("Confirm an eligible enterprise as a clean-production advanced enterprise (province approver)");
        register.MapPost("/{creditCode}/revocation", RevokeAsync).WithName("RevokeRegisterEntry");

        var lists = api.MapGroup("/lists").WithTags("lists");
        lists.MapGet("/", () => TypedResults.Ok(IncentiveList.All)).WithName("ListIncentiveLists");
        lists.MapGet("/{list}", MembersAsync).WithName("ListMembers");
        lists.MapPost("/{list}/members", AddMemberAsync).WithName("AddListMember");
        lists.MapPost("/{list}/members/{creditCode}/removal", RemoveMemberAsync).WithName("RemoveListMember");

        var published = app.MapGroup("/public").AllowAnonymous().WithTags("public");
        published.MapGet("/advanced-enterprises.json", async (RegisterStore store, CancellationToken ct) =>
            TypedResults.Ok(await PublishedAsync(store, ct))).WithName("PublicListJson");
        published.MapGet("/advanced-enterprises.csv", PublishedCsvAsync).WithName("PublicListCsv");
    }

    public static async Task<IReadOnlyList<PublishedEntry>> PublishedAsync(RegisterStore store, CancellationToken cancellationToken) =>
        (await store.ListAsync(activeOnly: true, city: null, cancellationToken))
        .Select(e => new PublishedEntry(e.CertificateNumber, e.CreditCode, e.Name, Organisation.Find(e.City)?.NameZh ?? e.City, e.County, e.ConfirmedOn))
        .ToList();

    private static async Task<IResult> PublishedCsvAsync(RegisterStore store, CancellationToken cancellationToken)
    {
        var csv = new StringBuilder("证书编号,统一社会信用代码,企业名称,设区市,县（市、区）,认定日期\r\n");
        foreach (var e in await PublishedAsync(store, cancellationToken))
            csv.Append(string.Join(',', new[] { e.CertificateNumber, e.CreditCode, e.Name, e.City, e.County ?? "", e.ConfirmedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }
                .Select(Quote))).Append("\r\n");
        // UTF-8 with a byte-order mark, so Excel in China opens the Chinese text correctly.
        return TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(),
            "text/csv; charset=utf-8", "advanced-enterprises.csv");
    }

    /// <summary>RFC 4180 quoting and formula neutralising, the same as every other export.</summary>
    private static string Quote(string value) => CleanProdFlow.Web.Compliance.ComplianceExports.CsvText(value);

    private static DateOnly Today(TimeProvider time) => EnterpriseEndpoints.Today(time);

    private static IResult UnknownList(string list) =>
        Problem.Status(StatusCodes.Status404NotFound, new($"没有名单“{list}”", $"No list '{list}'"));

    private static IResult Forbidden(Domain.Common.LocalizedText detail) =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, RegisterStore store, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        return TypedResults.Ok(await store.ListAsync(activeOnly: false, access.IsProvince ? null : access.OrganisationCode, cancellationToken));
    }

    private static async Task<IResult> AdmitAsync(AdmitRequest request, ClaimsPrincipal principal, EnterpriseStore enterprises,
        RegisterStore store, DocumentIssuer documents, DocumentSettings documentSettings, ILoggerFactory loggers, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.IsProvince || !access.HasAny(Roles.Approver))
            return Forbidden(new("清洁生产先进企业由省生态环境厅审批人员确认", "The province's approver confirms advanced enterprises"));
        if (string.IsNullOrWhiteSpace(request.CreditCode))
            return Problem.Validation("creditCode", new("统一社会信用代码不能为空", "creditCode is required"));
        var stored = await enterprises.FindAsync(request.CreditCode.Trim().ToUpperInvariant(), cancellationToken);
        if (stored is null)
            return Problem.Validation("creditCode", new("登记簿中没有该企业", "no such enterprise in the register"));

        var today = Today(time);
        var code = stored.Enterprise.CreditCode;
        var decision = await EnterpriseEndpoints.ReevaluateAsync(enterprises, code, "register admission requested", access.Username, time, cancellationToken);
        if (!decision.Eligible)
            return Problem.Validation(decision.Rules.Where(r => !r.Passed).Select(r => new Domain.Common.FieldError(r.Id, r.Detail))
                .Prepend(new Domain.Common.FieldError("creditCode", new("该企业当前不符合清洁生产先进企业条件", "the enterprise is not eligible today"))));
        var entry = await store.AdmitAsync(code, today.Year, today, time.GetUtcNow(), access.Username, cancellationToken);
        if (entry is not null)
            await IssueCertificateAsync(entry, access.Username, documents, documentSettings, loggers, time, cancellationToken);
        return entry is null
            ? Problem.Status(StatusCodes.Status409Conflict, new("该企业已在名单中", "The enterprise has a register entry already"))
            : TypedResults.Created($"/api/v1/register/{code}", entry);
    }

    /// <summary>
    /// The honour certificate (荣誉证书, measure 2) of a new register entry, with a QR code to the entry on the public
    /// list. Issued after the entry is stored: a certificate that cannot be issued (e.g. the font is missing) does not
    /// undo the admission; the error is logged and the certificate can be issued again through the documents API.
    /// </summary>
    private static async Task IssueCertificateAsync(RegisterEntry entry, string by, DocumentIssuer documents, DocumentSettings settings,
        ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await documents.IssueAsync(new DocumentRequest(DocumentKind.HonourCertificate, Organisation.ProvinceCode, entry.City, null, entry.CertificateNumber,
                entry.CreditCode, by, new Dictionary<string, string>
                {
                    ["enterpriseName"] = entry.Name,
                    ["creditCode"] = entry.CreditCode,
                    ["certificateNumber"] = entry.CertificateNumber,
                    ["confirmedOn"] = DocumentTemplate.ChineseDate(entry.ConfirmedOn),
                    ["verifyUrl"] = settings.VerifyUrl(entry.CertificateNumber),
                }), time.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            loggers.CreateLogger(typeof(RegisterEndpoints)).LogError(e, "The honour certificate of {CreditCode} ({CertificateNumber}) was not issued",
                entry.CreditCode, entry.CertificateNumber);
        }
    }

    private static async Task<IResult> RevokeAsync(string creditCode, ReasonRequest request, ClaimsPrincipal principal, RegisterStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(principal);
        if (!access.IsProvince || !access.HasAny(Roles.Approver))
            return Forbidden(new("撤销由省生态环境厅审批人员决定", "The province's approver decides a revocation"));
        if (string.IsNullOrWhiteSpace(request.Reason))
            return Problem.Validation("reason", new("须写明撤销理由", "reason is required"));
        return await store.RevokeAsync(creditCode.Trim().ToUpperInvariant(), Today(time), request.Reason.Trim(), time.GetUtcNow(), access.Username, cancellationToken)
            ? TypedResults.Ok(await store.FindAsync(creditCode.Trim().ToUpperInvariant(), cancellationToken))
            : Problem.Status(StatusCodes.Status409Conflict, new("该企业不在有效名单中", "The enterprise has no active register entry"));
    }

    private static async Task<IResult> MembersAsync(string list, bool? history, ClaimsPrincipal principal, RegisterStore store, EnterpriseStore enterprises,
        CancellationToken cancellationToken)
    {
        if (IncentiveList.Find(list) is null)
            return UnknownList(list);
        var access = EnterpriseAccess.Of(principal);
        var members = await store.MembershipsAsync(list, currentOnly: history != true, cancellationToken);
        if (access.IsProvince)
            return TypedResults.Ok(members);
        var visible = new List<ListMembership>();
        foreach (var m in members)
            if ((await enterprises.FindAsync(m.CreditCode, cancellationToken))?.Enterprise.City == access.OrganisationCode)
                visible.Add(m);
        return TypedResults.Ok(visible);
    }

    private static async Task<IResult> AddMemberAsync(string list, MemberRequest request, ClaimsPrincipal principal, RegisterStore store,
        EnterpriseStore enterprises, TimeProvider time, CancellationToken cancellationToken)
    {
        var incentiveList = IncentiveList.Find(list);
        if (incentiveList is null)
            return UnknownList(list);
        var errors = new List<Domain.Common.FieldError>();
        if (string.IsNullOrWhiteSpace(request.CreditCode))
            errors.Add(new("creditCode", new("统一社会信用代码不能为空", "creditCode is required")));
        if (string.IsNullOrWhiteSpace(request.Reason))
            errors.Add(new("reason", new("须写明列入理由", "reason is required")));
        if (errors.Count > 0)
            return Problem.Validation(errors);

        var access = EnterpriseAccess.Of(principal);
        var stored = await enterprises.FindAsync(request.CreditCode!.Trim().ToUpperInvariant(), cancellationToken);
        if (stored is null || !access.MaySee(stored.Enterprise.City))
            return Problem.Validation("creditCode", new("登记簿中没有该企业（或不在本单位辖区）", "no such enterprise in the register (or not in your city)"));
        if (!access.MayChange(stored.Enterprise.City, Roles.Approver, Roles.Enforcement, Roles.Admin))
            return Forbidden(new("名单由审批、执法或管理人员维护", "Lists are kept by approvers, enforcement officers and administrators"));

        var entry = await store.FindAsync(stored.Enterprise.CreditCode, cancellationToken);
        if (incentiveList.RefusalFor(entry?.Status == "active", stored.Enterprise.OnlineMonitoring) is { } refusal)
            return Problem.Validation("creditCode", refusal);
        return await store.AddToListAsync(list, stored.Enterprise.CreditCode, request.Reason!.Trim(), time.GetUtcNow(), access.Username, cancellationToken)
            ? TypedResults.Created($"/api/v1/lists/{list}", new { list, creditCode = stored.Enterprise.CreditCode })
            : Problem.Status(StatusCodes.Status409Conflict, new("该企业已在名单中", "The enterprise is on the list already"));
    }

    private static async Task<IResult> RemoveMemberAsync(string list, string creditCode, ReasonRequest request, ClaimsPrincipal principal,
        RegisterStore store, EnterpriseStore enterprises, TimeProvider time, CancellationToken cancellationToken)
    {
        if (IncentiveList.Find(list) is null)
            return UnknownList(list);
        if (string.IsNullOrWhiteSpace(request.Reason))
            return Problem.Validation("reason", new("须写明移出理由", "reason is required"));
        var access = EnterpriseAccess.Of(principal);
        var stored = await enterprises.FindAsync(creditCode.Trim().ToUpperInvariant(), cancellationToken);
        if (stored is null || !access.MaySee(stored.Enterprise.City))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该企业", "No such enterprise"));
        if (!access.MayChange(stored.Enterprise.City, Roles.Approver, Roles.Enforcement, Roles.Admin))
            return Forbidden(new("名单由审批、执法或管理人员维护", "Lists are kept by approvers, enforcement officers and administrators"));
        return await store.RemoveFromListAsync(list, stored.Enterprise.CreditCode, request.Reason.Trim(), time.GetUtcNow(), access.Username, cancellationToken)
            ? TypedResults.Ok(new { list, creditCode = stored.Enterprise.CreditCode, removed = true })
            : Problem.Status(StatusCodes.Status409Conflict, new("该企业不在名单中", "The enterprise is not on the list"));
    }
}
