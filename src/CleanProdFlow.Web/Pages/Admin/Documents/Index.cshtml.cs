using CleanProdFlow.Data.Documents;
using CleanProdFlow.Domain.Documents;

namespace CleanProdFlow.Web.Pages.Admin.Documents;

/// <summary>The document templates: one per kind, with its current version.</summary>
public sealed class IndexModel(DocumentTemplateStore templates) : CpfPageModel
{
    public IReadOnlyList<(DocumentKind Kind, StoredTemplate? Current)> Kinds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var kinds = new List<(DocumentKind, StoredTemplate?)>();
        foreach (var kind in DocumentKind.All)
            kinds.Add((kind, await templates.CurrentAsync(kind.Code, cancellationToken)));
        Kinds = kinds;
    }
}
