using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Eligibility;

namespace CleanProdFlow.Domain.Eia;

/// <summary>
/// Which procedure an application takes (measure 8): the green channel (绿色通道, fast track) when the enterprise is
/// a clean-production advanced enterprise on the acceptance date, the standard procedure otherwise. The reason names
/// the date and every rule of the eligibility decision, so the choice can be checked later.
/// </summary>
public sealed record EiaTrack(bool Fast, LocalizedText Reason, EligibilityDecision Eligibility)
{
    public const string FastTrackKey = "eia-fast-track";
    public const string StandardKey = "eia-standard";
    public const string MeasureReference = "苏环办〔2023〕332号 第二部分第8项";

    /// <summary>"fast" or "standard", as the API and the instance variable <c>track</c> spell it.</summary>
    public string Name => Fast ? "fast" : "standard";

    /// <summary>The workflow definition the application starts.</summary>
    public string DefinitionKey => Fast ? FastTrackKey : StandardKey;

    public static EiaTrack Decide(EligibilityDecision eligibility)
    {
        var date = eligibility.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (eligibility.Eligible)
            return new EiaTrack(true, new(
                $"截至受理日 {date}，该企业符合清洁生产先进企业条件（{Details(eligibility, zh: true)}），适用绿色通道：受理、公示、评估、审查“四同步”，审批时限减半（{MeasureReference}）",
                $"As of the acceptance date {date} the enterprise qualifies as a clean-production advanced enterprise ({Details(eligibility, zh: false)}), so the green channel applies: acceptance, publicity, assessment and review in parallel, and the approval time limit halved ({MeasureReference})"),
                eligibility);
        var failed = eligibility with { Rules = eligibility.Rules.Where(r => !r.Passed).ToList() };
        return new EiaTrack(false, new(
            $"截至受理日 {date}，该企业不符合清洁生产先进企业条件（{Details(failed, zh: true)}），适用标准程序：各环节依次办理，法定审批时限",
            $"As of the acceptance date {date} the enterprise does not qualify as a clean-production advanced enterprise ({Details(failed, zh: false)}), so the standard procedure applies: the steps one after another, with the full statutory time limit"),
            eligibility);
    }

    private static string Details(EligibilityDecision decision, bool zh) =>
        string.Join(zh ? "；" : "; ", decision.Rules.Select(r => zh ? r.Detail.Zh : r.Detail.En));
}
