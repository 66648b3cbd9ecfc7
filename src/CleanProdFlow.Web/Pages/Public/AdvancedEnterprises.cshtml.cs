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

    /// <summary>The certificate number a certificate's QR code asks about (?certificate=…): only its entry is shown.</summary>
    public string? Certificate { get; private set; }

    public async Task OnGetAsync(string? certificate, CancellationToken cancellationToken)
    {
        Entries = await RegisterEndpoints.PublishedAsync(store, cancellationToken);
        if (!string.IsNullOrWhiteSpace(certificate))
        {
            Certificate = certificate.Trim();
            Entries = Entries.Where(e => e.CertificateNumber == Certificate).ToList();
        }
    }
}
