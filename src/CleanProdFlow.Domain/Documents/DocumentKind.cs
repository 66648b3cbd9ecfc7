namespace CleanProdFlow.Domain.Documents;

/// <summary>
/// A kind of official document the department issues: its name, the number series it is numbered in (文种代字, the
/// character between the organisation's prefix and the year, e.g. 审 in 苏环审〔2026〕123号) and the fields its
/// template may use besides <see cref="CommonFields"/>. Approval and refusal of an EIA share the 审 series: both are
/// the decision on the application, numbered in one sequence.
/// </summary>
public sealed record DocumentKind(string Code, string NameZh, string NameEn, string Series, IReadOnlyList<string> Fields)
{
    /// <summary>Fields every template may use: filled by the issuer, never by the workflow.</summary>
    public static readonly IReadOnlyList<string> CommonFields =
        ["documentNumber", "issuedOn", "organisationName", "enterpriseName", "creditCode", "caseNumber", "projectName"];

    public const string AcceptanceNotice = "acceptance-notice";
    public const string NonAcceptanceDecision = "non-acceptance-decision";
    public const string CorrectionNotice = "correction-notice";
    public const string PreApprovalPublicity = "pre-approval-publicity";
    public const string ApprovalDecision = "approval-decision";
    public const string RefusalDecision = "refusal-decision";
    public const string ExtensionNotice = "extension-notice";
    public const string RevocationNotice = "revocation-notice";
    public const string RevocationDecision = "revocation-decision";
    public const string HonourCertificate = "honour-certificate";

    public static IReadOnlyList<DocumentKind> All { get; } =
    [
        new(AcceptanceNotice, "受理通知书", "Acceptance notice", "受", ["acceptanceDate"]),
        new(NonAcceptanceDecision, "不予受理决定书", "Decision not to accept", "不受", ["reasons"]),
        new(CorrectionNotice, "补正材料通知书", "One-time correction notice", "补", ["missingItems"]),
        new(PreApprovalPublicity, "拟审批公示", "Pre-approval publicity", "公", ["publicityDays", "reviewOpinion?"]),
        new(ApprovalDecision, "环境影响评价文件批复", "Approval decision", "审", ["reasons"]),
        new(RefusalDecision, "不予批准决定书", "Refusal decision", "审", ["reasons"]),
        new(ExtensionNotice, "延长审批期限通知书", "Extension notice", "延", ["extensionDays", "extensionReason", "newDueDate"]),
        new(RevocationNotice, "取消激励事先告知书", "Prior notice of revocation", "告", ["triggerSummary", "findings?", "statementDeadline", "statementDays"]),
        new(RevocationDecision, "取消激励决定书", "Revocation decision", "撤", ["triggerSummary", "reasons"]),
        new(HonourCertificate, "荣誉证书", "Honour certificate", "证", ["certificateNumber", "confirmedOn", "verifyUrl"]),
    ];

    private static readonly Dictionary<string, DocumentKind> ByCode = All.ToDictionary(k => k.Code, StringComparer.Ordinal);

    public static DocumentKind? Find(string? code) => code is not null && ByCode.TryGetValue(code, out var kind) ? kind : null;

    /// <summary>Every field the kind's template may name, without the optional mark.</summary>
    public IEnumerable<string> AllowedFields => CommonFields.Concat(Fields.Select(f => f.TrimEnd('?')));

    /// <summary>Fields the workflow must supply (not marked optional with '?').</summary>
    public IEnumerable<string> RequiredFields => Fields.Where(f => !f.EndsWith('?'));
}
