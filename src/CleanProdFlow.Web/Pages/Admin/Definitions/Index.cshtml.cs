using System.Text;
using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Api.Workflows;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Admin.Definitions;

/// <summary>One definition key with all its versions (oldest first) and their instance counts.</summary>
public sealed record DefinitionGroup(string Key, string? Name, IReadOnlyList<(DefinitionVersionSummary Version, InstanceCounts Counts)> Versions)
{
    public int Running => Versions.Sum(v => v.Counts.Running);

    public int All => Versions.Sum(v => v.Counts.All);
}

/// <summary>
/// Every workflow definition with its versions (status, who created it and when, when published) and instance
/// counts; a new definition from an uploaded .bpmn file or from the minimal template, stored as a draft by the
/// runtime (the same validation as the API) and opened in the modeler.
/// </summary>
public sealed class IndexModel(DefinitionCatalog catalog, WorkflowRuntime runtime) : CpfPageModel
{
    public IReadOnlyList<DefinitionGroup> Groups { get; private set; } = [];

    /// <summary>Why an upload was refused: every problem of the file, by element id.</summary>
    public IReadOnlyList<BpmnProblem> UploadProblems { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? TemplateKey { get; private set; }

    public string? TemplateName { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        var (xml, error) = await ReadXmlAsync(file, runtime.MaxDefinitionBytes, cancellationToken);
        if (xml is null)
        {
            Errors["file"] = Ui.T(error!);
            return await RefusedAsync(cancellationToken);
        }
        var deployed = await runtime.DeployAsync(xml, Caller.Username, cancellationToken);
        if (!deployed.IsValid)
        {
            UploadProblems = deployed.Problems;
            Errors["file"] = Ui.T($"文件有 {deployed.Problems.Count} 个问题，未保存", $"The file has {deployed.Problems.Count} problem(s); nothing was stored");
            return await RefusedAsync(cancellationToken);
        }
        return Saved(deployed.Version!);
    }

    public async Task<IActionResult> OnPostTemplateAsync(string? key, string? name, CancellationToken cancellationToken)
    {
        (TemplateKey, TemplateName) = (key?.Trim(), name?.Trim());
        foreach (var error in DefinitionTemplate.Check(TemplateKey, TemplateName))
            Errors.TryAdd(error.Field, Ui.T(error.Message));
        if (Errors.Count == 0 && (await catalog.ListVersionsAsync(TemplateKey, cancellationToken)).Count > 0)
            Errors["key"] = Ui.T($"已有流程定义“{TemplateKey}”：请在列表中打开它", $"A definition '{TemplateKey}' exists already: open it from the list");
        if (Errors.Count > 0)
            return await RefusedAsync(cancellationToken);

        var deployed = await runtime.DeployAsync(DefinitionTemplate.Xml(TemplateKey!, TemplateName!), Caller.Username, cancellationToken);
        if (!deployed.IsValid)
        {
            // The template is valid for any checked key and name; a problem here is the key the reader refuses.
            UploadProblems = deployed.Problems;
            Errors["key"] = Ui.T(deployed.Problems[0].MessageZh, deployed.Problems[0].Message);
            return await RefusedAsync(cancellationToken);
        }
        return Saved(deployed.Version!);
    }

    private IActionResult Saved(DefinitionVersion version)
    {
        Flash = Ui.T($"已保存为草稿：{version.Key} 版本 {version.Version}", $"Saved as a draft: {version.Key} version {version.Version}");
        return LocalRedirect(EditModel.UrlOf(version.Key, version.Version));
    }

    private async Task<IActionResult> RefusedAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var versions = await catalog.ListVersionsAsync(cancellationToken: cancellationToken);
        var counts = await catalog.InstanceCountsAsync(cancellationToken: cancellationToken);
        Groups = versions.GroupBy(v => v.Key, StringComparer.Ordinal)
            .Select(g => new DefinitionGroup(g.Key, g.Last().Name,
                g.Select(v => (v, counts.GetValueOrDefault((v.Key, v.Version), InstanceCounts.None))).ToList()))
            .ToList();
    }

    /// <summary>An uploaded BPMN file as text: present, at most 5 MB (as the API), UTF-8.</summary>
    internal static async Task<(string? Xml, LocalizedText? Error)> ReadXmlAsync(IFormFile? file, int maxBytes, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
            return (null, new("请选择一个 BPMN 文件（.bpmn 或 .xml）", "Choose a BPMN file (.bpmn or .xml)"));
        if (file.Length > maxBytes)
            return (null, new($"文件过大（上限 {maxBytes / 1024} KB）", $"The file is too large (at most {maxBytes / 1024} KB)"));
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            return (new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                .GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, new("文件须以 UTF-8 编码", "The file must be encoded in UTF-8"));
        }
    }
}
