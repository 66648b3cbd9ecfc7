using CleanProdFlow.Data.Documents;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Workflows;

namespace CleanProdFlow.Web.Documents;

public static class DocumentRegistration
{
    /// <summary>The shipped templates, one file per kind: workflows/documents/{kind}.txt.</summary>
    public static string ShippedTemplatePath(string kind) => Path.Combine(ShippedWorkflows.Directory, "documents", $"{kind}.txt");

    /// <summary>Official documents (issue 13): numbers, templates, rendering, the issued documents and <c>document.issue</c>.</summary>
    public static void AddOfficialDocuments(this IServiceCollection services)
    {
        services.AddSingleton(provider => DocumentSettings.Read(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<DocumentFonts>();
        services.AddSingleton<PdfDocumentWriter>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<DocumentTemplateStore>();
        services.AddSingleton<DocumentIssuer>();
        services.AddSingleton<IServiceTaskHandler, DocumentIssueHandler>();
    }

    /// <summary>
    /// At start: the settings are checked (a wrong prefix stops the start), every kind without a stored template gets
    /// the shipped file as version 1, and a missing CJK font is logged as an error naming the fix — the rest of the
    /// system works without it, and each issue refuses with the same message until the font is installed.
    /// </summary>
    public static async Task PrepareDocumentsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        _ = services.GetRequiredService<DocumentSettings>();
        var templates = services.GetRequiredService<DocumentTemplateStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var kind in DocumentKind.All)
        {
            var path = ShippedTemplatePath(kind.Code);
            var body = await File.ReadAllTextAsync(path, cancellationToken);
            var (_, problems) = DocumentTemplate.Parse(kind, body);
            if (problems.Count > 0)
                throw new InvalidOperationException($"the shipped template {path} is invalid: {string.Join("; ", problems.Select(p => p.MessageEn))}");
            await templates.SeedAsync(kind.Code, body, now, cancellationToken);
        }
        if (services.GetRequiredService<DocumentFonts>().Problem() is { } problem)
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DocumentRegistration)).LogError("Documents cannot be issued: {Problem}", problem);
    }
}
