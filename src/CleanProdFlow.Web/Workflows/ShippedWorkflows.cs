using CleanProdFlow.Data.Database;
using CleanProdFlow.Engine.Runtime;

namespace CleanProdFlow.Web.Workflows;

/// <summary>
/// The BPMN files shipped in workflows/ beside the program (like workflows/time-limits.json). At start-up each file
/// whose content differs from every stored version of its key is deployed and published; an unchanged file does
/// nothing, so a restart deploys nothing. An invalid shipped file stops the start: it is a defect of the release.
/// </summary>
public static class ShippedWorkflows
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "workflows");

    public static IReadOnlyList<string> Files(string? directory = null)
    {
        directory ??= Directory;
        return System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "*.bpmn").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Deploys the changed files of <paramref name="directory"/> (default: workflows/ beside the program).</summary>
    public static async Task DeployAsync(WorkflowRuntime runtime, ILogger logger, string? directory = null, CancellationToken cancellationToken = default)
    {
        foreach (var file in Files(directory))
        {
            var source = $"workflows/{Path.GetFileName(file)}";
            var xml = await File.ReadAllTextAsync(file, cancellationToken);
            var result = await runtime.DeployShippedAsync(xml, source, cancellationToken);
            if (result is null)
                continue; // this content is deployed already
            if (!result.IsValid)
                throw new StartupException(source,
                    $"The shipped workflow {source} is not valid: {string.Join("; ", result.Problems.Select(p => p.ElementId.Length > 0 ? $"{p.ElementId}: {p.Message}" : p.Message))}.",
                    $"correct {source} (upload it through POST /api/v1/definitions to see every problem) or remove it from workflows/.");
            logger.LogWarning("Deployed and published the shipped workflow {Source} as {DefinitionKey} version {Version}",
                source, result.Version!.Key, result.Version.Version);
        }
    }
}
