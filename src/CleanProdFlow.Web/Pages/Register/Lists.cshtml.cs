using CleanProdFlow.Data.Enterprises;
using CleanProdFlow.Data.Register;
using CleanProdFlow.Domain.Register;
using CleanProdFlow.Web.Api.Enterprises;

namespace CleanProdFlow.Web.Pages.Register;

/// <summary>One list with its memberships (current and ended) that the user may see.</summary>
public sealed record ListView(IncentiveList List, IReadOnlyList<(ListMembership Membership, string Name)> Members);

/// <summary>
/// The incentive lists the register feeds (measures 1, 4, 11, 12), each with its members and the history of who
/// added or removed them and why; a city's staff see their city's enterprises, the province every one.
/// </summary>
public sealed class ListsModel(RegisterStore register, EnterpriseStore enterprises) : CpfPageModel
{
    public IReadOnlyList<ListView> Lists { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var access = EnterpriseAccess.Of(User);
        var names = new Dictionary<string, (string Name, string City)?>(StringComparer.Ordinal);
        var lists = new List<ListView>();
        foreach (var list in IncentiveList.All)
        {
            var members = new List<(ListMembership, string)>();
            foreach (var membership in await register.MembershipsAsync(list.Code, currentOnly: false, cancellationToken))
            {
                if (!names.TryGetValue(membership.CreditCode, out var known))
                {
                    var stored = await enterprises.FindAsync(membership.CreditCode, cancellationToken);
                    known = stored is null ? null : (stored.Enterprise.Name, stored.Enterprise.City);
                    names[membership.CreditCode] = known;
                }
                if (known is { } enterprise && access.MaySee(enterprise.City))
                    members.Add((membership, enterprise.Name));
            }
            lists.Add(new ListView(list, members));
        }
        Lists = lists;
    }
}
