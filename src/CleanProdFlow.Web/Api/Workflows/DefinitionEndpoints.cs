using System.Security.Claims;
using System.Text;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Runtime;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;
using CleanProdFlow.Web.Workflows;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using static CleanProdFlow.Web.Api.Workflows.WorkflowViews;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>
/// /api/v1/definitions: BPMN 2.0 files of the engine's subset. An upload is validated completely (every problem with
/// its element id) and stored as a new draft version; administrators publish and retire versions. Running
/// instances stay on the version they started on.
/// </summary>
public static class DefinitionEndpoints
{
    public sealed record DeployedView(string Key, int Version, string Status);

    public sealed record DefinitionSummary(string Key, int Version, string? Name, string Status, DateTimeOffset CreatedAt, string CreatedBy,
        DateTimeOffset? PublishedAt, DateTimeOffset? RetiredAt);

    public sealed record DefinitionDetails(string Key, int Version, string? Name, string Status, DateTimeOffset CreatedAt, string CreatedBy,
        DateTimeOffset? PublishedAt, DateTimeOffset? RetiredAt, string Xml);

    public static void MapDefinitions(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/definitions").WithTags("workflows");
        group.MapPost("/", UploadAsync).WithName("UploadDefinition")
            .WithSummary("Upload a BPMN 2.0 file (application/xml, at most Workflows:MaxDefinitionBytes, default 5 MB) as a new draft version (administrators); every problem is listed with its element id")
            // Not .Accepts(): its routing check would answer a JSON body with "the body must be JSON".
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var xml = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "xml" } };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "A BPMN 2.0 file of the CleanProdFlow subset, UTF-8, at most Workflows:MaxDefinitionBytes (default 5 MB)",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/xml"] = xml, ["text/xml"] = xml },
                };
                return Task.CompletedTask;
            })
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<DeployedView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/", ListAsync).WithName("ListDefinitions")
            .WithSummary("The newest version of every definition with its status")
            .Produces<IReadOnlyList<DefinitionSummary>>();
        group.MapGet("/{key}/versions", VersionsAsync).WithName("ListDefinitionVersions")
            .WithSummary("Every version of a definition, oldest first")
            .Produces<IReadOnlyList<DefinitionSummary>>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{key}/versions/{version:int}", GetAsync).WithName("GetDefinitionVersion")
            .WithSummary("One version of a definition with its BPMN XML")
            .Produces<DefinitionDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{key}/versions/{version:int}/publish", PublishAsync).WithName("PublishDefinitionVersion")
            .WithSummary("Publish a draft: new instances start on it (administrators)")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<DeployedView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{key}/versions/{version:int}/retire", RetireAsync).WithName("RetireDefinitionVersion")
            .WithSummary("Retire a published version: it starts no new instance; running ones go on (administrators)")
            .RequireAuthorization(SecurityRegistration.AdminPolicy)
            .Produces<DeployedView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static DefinitionSummary SummaryOf(DefinitionVersion v) =>
        new(v.Key, v.Version, v.Name, Word(v.Status), Beijing(v.CreatedAt), v.CreatedBy, Beijing(v.PublishedAt), Beijing(v.RetiredAt));

    private static IResult NotFound(string key, int version) =>
        Problem.Status(StatusCodes.Status404NotFound, new("找不到该流程定义版本", "No such definition version"),
            new($"没有流程定义 {key} 的版本 {version}", $"Definition {key} has no version {version}"));

    private static bool IsXml(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+xml", StringComparison.OrdinalIgnoreCase) == true);

    private static IResult TooLarge(WorkflowSettings settings) =>
        Problem.Validation([new FieldError("body", new($"文件过大（上限 {settings.MaxDefinitionSize}）", $"the file is too large (at most {settings.MaxDefinitionSize})"))],
            StatusCodes.Status413PayloadTooLarge);

    private static async Task<IResult> UploadAsync(HttpRequest http, ClaimsPrincipal principal, WorkflowRuntime runtime, WorkflowSettings settings,
        CancellationToken cancellationToken)
    {
        if (!IsXml(http.ContentType))
            return Problem.Validation([new FieldError("body", new("请求体须为 BPMN 2.0 XML（Content-Type: application/xml 或 text/xml）",
                "the body must be BPMN 2.0 XML (Content-Type: application/xml or text/xml)"))], StatusCodes.Status415UnsupportedMediaType);

        // A declared length over the limit is refused before a byte is read.
        if (http.ContentLength > settings.MaxDefinitionBytes)
            return TooLarge(settings);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > settings.MaxDefinitionBytes)
                return TooLarge(settings);
        }
        if (buffer.Length == 0)
            return Problem.Validation("body", new("请求体为空：请上传 BPMN 文件", "the body is empty: upload a BPMN file"));

        string xml;
        try
        {
            xml = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return Problem.Validation("body", new("文件须以 UTF-8 编码", "the file must be encoded in UTF-8"));
        }

        var deployed = await runtime.DeployAsync(xml, principal.Username(), cancellationToken);
        if (!deployed.IsValid)
            return EngineProblems.InvalidDefinition(deployed.Problems);
        var version = deployed.Version!;
        return TypedResults.Created($"/api/v1/definitions/{Uri.EscapeDataString(version.Key)}/versions/{version.Version}",
            new DeployedView(version.Key, version.Version, Word(version.Status)));
    }

    private static async Task<IResult> ListAsync(IWorkflowStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListDefinitionsAsync(cancellationToken)).OrderBy(v => v.Key, StringComparer.Ordinal).Select(SummaryOf).ToList());

    private static async Task<IResult> VersionsAsync(string key, IWorkflowStore store, CancellationToken cancellationToken)
    {
        var versions = await store.VersionsAsync(key, cancellationToken);
        return versions.Count == 0
            ? Problem.Status(StatusCodes.Status404NotFound, new("找不到该流程定义", "No such definition"), new($"没有流程定义 {key}", $"No definition {key}"))
            : TypedResults.Ok(versions.OrderBy(v => v.Version).Select(SummaryOf).ToList());
    }

    private static async Task<IResult> GetAsync(string key, int version, IWorkflowStore store, CancellationToken cancellationToken)
    {
        if (await store.FindDefinitionAsync(key, version, cancellationToken) is not { } v)
            return NotFound(key, version);
        return TypedResults.Ok(new DefinitionDetails(v.Key, v.Version, v.Name, Word(v.Status), Beijing(v.CreatedAt), v.CreatedBy,
            Beijing(v.PublishedAt), Beijing(v.RetiredAt), v.Xml));
    }

    private static Task<IResult> PublishAsync(string key, int version, ClaimsPrincipal principal, WorkflowRuntime runtime,
        CancellationToken cancellationToken) =>
        EngineProblems.RunAsync(async () =>
        {
            await runtime.PublishAsync(key, version, principal.Username(), cancellationToken);
            return TypedResults.Ok(new DeployedView(key, version, Word(DefinitionStatus.Published)));
        });

    private static Task<IResult> RetireAsync(string key, int version, ClaimsPrincipal principal, WorkflowRuntime runtime,
        CancellationToken cancellationToken) =>
        EngineProblems.RunAsync(async () =>
        {
            await runtime.RetireAsync(key, version, principal.Username(), cancellationToken);
            return TypedResults.Ok(new DeployedView(key, version, Word(DefinitionStatus.Retired)));
        });
}
