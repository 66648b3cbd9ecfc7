using CleanProdFlow.Data.Reception;
using CleanProdFlow.Web.Api.Enterprises;

namespace CleanProdFlow.Web.Pages.Reception;

/// <summary>The reception-day sessions (环保接待日场次) the user may see: a city's staff their city's, the province every one.</summary>
public sealed class IndexModel(ReceptionStore store) : CpfPageModel
{
    public IReadOnlyList<ReceptionSession> Sessions { get; private set; } = [];

    public EnterpriseAccess Access { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Access = EnterpriseAccess.Of(User);
        Sessions = await store.ListSessionsAsync(Access.IsProvince ? null : Access.OrganisationCode, cancellationToken);
    }
}
