using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Reception;

/// <summary>The words of the environmental reception day (环保接待日, measure 10) as the API spells them, with their names for people.</summary>
public static class ReceptionTerms
{
    /// <summary>What a request is about.</summary>
    public static readonly IReadOnlyDictionary<string, LocalizedText> Categories = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        ["policy"] = new("政策咨询", "policy"),
        ["technology"] = new("技术帮扶", "technology"),
        ["permit"] = new("审批许可", "permits"),
        ["funding"] = new("资金与金融", "funding"),
        ["other"] = new("其他", "other"),
    };

    /// <summary>
    /// The offices a request can be assigned to (the triage form's <c>office</c> options in reception-day.bpmn), and
    /// <see cref="Outside"/>: referred outside the department (e.g. to the 行政审批局), which ends the request.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, LocalizedText> Offices = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        ["eia"] = new("环评审批", "EIA approval"),
        ["enforcement"] = new("执法监督", "enforcement and supervision"),
        ["permit"] = new("排污许可", "pollutant discharge permits"),
        ["quota"] = new("总量与排污权", "emission quotas and trading"),
        ["audit"] = new("清洁生产审核", "clean-production audit"),
        ["funding"] = new("资金与金融", "funds and green finance"),
        ["other"] = new("其他处室", "other office"),
        [Outside] = new("转交本部门以外", "referred outside the department"),
    };

    public const string Outside = "outside";

    public const string Satisfied = "satisfied";
    public const string Unsatisfied = "unsatisfied";

    public static readonly IReadOnlyDictionary<string, LocalizedText> Satisfactions = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        [Satisfied] = new("满意", "satisfied"),
        [Unsatisfied] = new("不满意", "unsatisfied"),
    };

    /// <summary>The reception-day definition; started only by the intake (business key = the request number).</summary>
    public const string DefinitionKey = "reception-day";

    /// <summary>The answer clock (from the session date) and the re-handling round's own clock (from the unsatisfied follow-up).</summary>
    public const string AnswerClock = "reception.answer";

    public const string RehandleClock = "reception.rehandle";

    /// <summary>The time-limit rule both clocks use (workflows/time-limits.json; the department's own commitment, not statutory).</summary>
    public const string AnswerRule = "reception.answer";

    public static string Name(IReadOnlyDictionary<string, LocalizedText> names, string? code, System.Globalization.CultureInfo culture) =>
        code is null ? "" : names.TryGetValue(code, out var name) ? name.In(culture) : code;
}

/// <summary>
/// Where a request stands, as its workflow records it (service task <c>reception.status</c>): recorded (已登记),
/// triage (待分办), assigned (办理中), referred (已转交), answered (已答复，待回访), rehandling (不满意，重新办理),
/// closed (已办结).
/// </summary>
public static class ReceptionStatus
{
    public const string Recorded = "recorded";
    public const string Triage = "triage";
    public const string Assigned = "assigned";
    public const string Referred = "referred";
    public const string Answered = "answered";
    public const string Rehandling = "rehandling";
    public const string Closed = "closed";

    public static readonly IReadOnlyDictionary<string, LocalizedText> Names = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        [Recorded] = new("已登记", "recorded"),
        [Triage] = new("待分办", "awaiting assignment"),
        [Assigned] = new("办理中", "with the office"),
        [Referred] = new("已转交其他部门", "referred outside the department"),
        [Answered] = new("已答复，待回访", "answered, follow-up pending"),
        [Rehandling] = new("回访不满意，重新办理", "unsatisfied, handled again"),
        [Closed] = new("已办结", "closed"),
    };

    public static bool IsKnown(string? status) => status is not null && Names.ContainsKey(status);
}
