using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Compliance;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Compliance;

/// <summary>
/// The timing evidence of one case, for an auditor's file: every clock with its rule, legal basis and limit, every
/// start, pause, resumption, extension, fast-track end and stop with who did it and why, the calendar version, the due
/// date and the result; the breach records with their explanation. Prints cleanly (compliance.css: no navigation,
/// black on white, one clock per page). Whoever may see the case may read it; another city's staff get the 403 page.
/// </summary>
public sealed class EvidenceModel(IWorkflowStore store, TimingEvidence evidence, TimeProvider time) : CpfPageModel
{
    public CaseEvidence Evidence { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var stored = await store.FindInstanceAsync(id, cancellationToken);
        if (stored is null)
            return StatusPage(StatusCodes.Status404NotFound);
        if (!ComplianceAccess.MayReadEvidence(Caller, stored.State.Organisation))
            return StatusPage(StatusCodes.Status403Forbidden);
        Evidence = await evidence.BuildAsync(stored.State, time.GetUtcNow(), cancellationToken);
        return Page();
    }
}
