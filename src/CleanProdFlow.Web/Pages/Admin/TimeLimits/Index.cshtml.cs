using CleanProdFlow.Data.Timing;
using CleanProdFlow.Timing.Rules;
using CleanProdFlow.Web.Timing;

namespace CleanProdFlow.Web.Pages.Admin.TimeLimits;

/// <summary>The time-limit rules in force, each with its current version (who recorded it, when and why).</summary>
public sealed class IndexModel(StatutoryTime statutory, TimeLimitRuleStore store) : CpfPageModel
{
    public IReadOnlyList<(TimeLimitRule Rule, TimeLimitRuleVersion? Version)> Rules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var versions = (await store.CurrentAsync(cancellationToken)).ToDictionary(v => v.RuleId, StringComparer.Ordinal);
        Rules = statutory.Rules.Rules.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (r, versions.GetValueOrDefault(r.Id))).ToList();
    }
}
