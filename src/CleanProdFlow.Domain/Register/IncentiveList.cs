using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Register;

/// <summary>
/// A list the register feeds (measures 1, 4, 11, 12). Only an enterprise active on the register may be added; the
/// positive enforcement list also needs lawful online monitoring (measure 11).
/// </summary>
public sealed record IncentiveList(string Code, string NameZh, string NameEn, bool NeedsOnlineMonitoring)
{
    public static readonly IReadOnlyList<IncentiveList> All =
    [
        new("positive-enforcement", "监督执法正面清单", "Positive enforcement list", NeedsOnlineMonitoring: true),
        new("emergency-exemption", "应急管控停限产豁免名单", "Emergency-control exemption list", NeedsOnlineMonitoring: false),
        new("special-funds", "专项资金支持推荐", "Special funds recommendation", NeedsOnlineMonitoring: false),
        new("green-leader-candidate", "绿色发展领军企业候选", "Green development leading enterprise candidate", NeedsOnlineMonitoring: false),
        new("trusted-enterprise-candidate", "环保信任企业候选", "Environmentally trusted enterprise candidate", NeedsOnlineMonitoring: false),
        // Measure 5: filled once a year by the green-finance batch (workflows/green-finance-batch.bpmn).
        new("green-finance-pool", "环保贷/环保担项目库推荐", "Green loan and guarantee (环保贷/环保担) project pool recommendation", NeedsOnlineMonitoring: false),
    ];

    public static IncentiveList? Find(string? code) => All.FirstOrDefault(l => l.Code == code);

    /// <summary>Why the enterprise may not join this list, or null when it may.</summary>
    public LocalizedText? RefusalFor(bool activeOnRegister, bool onlineMonitoring)
    {
        if (!activeOnRegister)
            return new($"该企业不是有效的清洁生产先进企业，不能列入{NameZh}",
                $"the enterprise is not an active clean-production advanced enterprise, so it cannot join the {NameEn}");
        if (NeedsOnlineMonitoring && !onlineMonitoring)
            return new($"{NameZh}仅限依法安装在线监测的企业（措施十一）",
                $"the {NameEn} is only for enterprises with lawful online monitoring (measure 11)");
        return null;
    }
}
