using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CleanProdFlow.Web.Hosting;

/// <summary>Tells OpenAPI readers (and the interactive page) that the API takes a bearer token from /api/v1/auth/token.</summary>
public sealed class BearerSecurityDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "CleanProdFlow API";
        document.Info.Description = "清洁生产先进企业激励政策审批系统 / Approval workflows of the Jiangsu clean-production incentive policy. " +
                                    "Sign in with POST /api/v1/auth/token and send the token as 'Authorization: Bearer <token>'.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Token from POST /api/v1/auth/token",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
