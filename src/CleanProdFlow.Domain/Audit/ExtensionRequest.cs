using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eligibility;

namespace CleanProdFlow.Domain.Audit;

/// <summary>
/// A request to extend an audit cycle to two years (notice measure 7) on one of its three grounds: (a) 中/高费方案 need
/// an EIA approval, (b) a technical-renovation project with an implementation period over one year, (c) an
/// administrative penalty received during the mandatory-audit cycle that needs rectification.
/// </summary>
public sealed record NewExtensionRequest(string? Ground, string? Evidence, string? PenaltyDecisionNumber)
{
    public const string EiaApproval = "eia-approval";
    public const string Renovation = "renovation";
    public const string PenaltyRectification = "penalty-rectification";

    public static readonly IReadOnlyDictionary<string, LocalizedText> Grounds = new Dictionary<string, LocalizedText>(StringComparer.Ordinal)
    {
        [EiaApproval] = new("中/高费方案需办理环评审批", "medium/high-cost options need an EIA approval"),
        [Renovation] = new("审核方案为实施周期一年以上的技术改造项目", "an option is a technical-renovation project implemented over more than one year"),
        [PenaltyRectification] = new("强制性审核周期内受到行政处罚需整改", "an administrative penalty during the mandatory-audit cycle needs rectification"),
    };

    /// <summary>The request's own fields; the cycle's state and the penalty are checked by <see cref="ExtensionRules"/>.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Ground is null || !Grounds.ContainsKey(Ground))
            errors.Add(new("ground", new($"延期理由须为 {string.Join("、", Grounds.Keys)} 之一", $"ground must be one of {string.Join(", ", Grounds.Keys)}")));
        if (string.IsNullOrWhiteSpace(Evidence) || Evidence.Trim().Length > 4000)
            errors.Add(new("evidence", new("须提供证明材料说明（不超过 4000 字）", "evidence is required, at most 4,000 characters")));
        if (Ground == PenaltyRectification && string.IsNullOrWhiteSpace(PenaltyDecisionNumber))
            errors.Add(new("penaltyDecisionNumber", new("以受到行政处罚需整改为由的，须填写处罚决定书文号", "penaltyDecisionNumber is required for the ground penalty-rectification")));
        else if (PenaltyDecisionNumber?.Trim().Length > 200)
            errors.Add(new("penaltyDecisionNumber", new("处罚决定书文号不超过 200 个字符", "penaltyDecisionNumber must be at most 200 characters")));
        return errors;
    }
}

/// <summary>Whether a cycle may still be extended, and whether a penalty supports ground (c).</summary>
public static class ExtensionRules
{
    /// <summary>
    /// Refusals for the cycle's state: the first-year period is over (report submitted or cycle closed), a request is
    /// pending, or an extension was approved already.
    /// </summary>
    public static FieldError? CheckCycle(string status, bool reportSubmitted, bool pendingRequest, bool approvedBefore)
    {
        if (status != AuditCycleStatus.FirstYear || reportSubmitted)
            return new("cycle", new("该审核周期已不在首年审核期内（审核报告已提交或周期已结束），不能再申请延期",
                "the cycle is no longer in its first-year period (the report was submitted or the cycle closed); it cannot be extended"));
        if (approvedBefore)
            return new("cycle", new("该审核周期已批准延长至两年，不能再次申请", "this cycle was extended to two years already"));
        if (pendingRequest)
            return new("cycle", new("该审核周期已有待决定的延期申请", "a request to extend this cycle is pending already"));
        return null;
    }

    /// <summary>
    /// Ground (c): the penalty must be in the register for this enterprise, not annulled, and decided during this
    /// mandatory cycle (on or after the list's publication).
    /// </summary>
    public static FieldError? CheckPenalty(string decisionNumber, IEnumerable<Penalty> penalties, DateOnly listedOn)
    {
        var penalty = penalties.FirstOrDefault(p => p.DecisionNumber == decisionNumber.Trim());
        if (penalty is null)
            return new("penaltyDecisionNumber", new($"登记簿中没有该企业的处罚决定 {decisionNumber.Trim()}", $"the register has no penalty {decisionNumber.Trim()} of this enterprise"));
        if (penalty.Annulled)
            return new("penaltyDecisionNumber", new($"处罚决定 {penalty.DecisionNumber} 已被撤销", $"penalty {penalty.DecisionNumber} was annulled"));
        if (penalty.DecidedOn < listedOn)
            return new("penaltyDecisionNumber", new($"处罚决定 {penalty.DecisionNumber} 作出于 {penalty.DecidedOn:yyyy-MM-dd}，早于本轮名单公布日 {listedOn:yyyy-MM-dd}，不在本轮强制性审核周期内",
                $"penalty {penalty.DecisionNumber} was decided on {penalty.DecidedOn:yyyy-MM-dd}, before the list was published on {listedOn:yyyy-MM-dd}: not during this mandatory cycle"));
        return null;
    }
}
