using CleanProdFlow.Data.Register;
using CleanProdFlow.Web.Api.Register;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanProdFlow.Web.Pages.Public;

/// <summary>The public list of advanced enterprises (measure 2): no sign-in, published fields only.</summary>
[AllowAnonymous]
public sealed class AdvancedEnterprisesModel(RegisterStore store) : PageModel
{
    public IReadOnlyList<RegisterEndpoints.PublishedEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await RegisterEndpoints.PublishedAsync(store, cancellationToken);
}
