using CleanProdFlow.Domain.Common;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Api.Auth;

/// <summary>POST /api/v1/auth/token: username and password in, a bearer token out.</summary>
public static class IssueTokenEndpoint
{
    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record TokenResponse(string Token, string TokenType, DateTimeOffset ExpiresAt);

    public static void MapIssueToken(this IEndpointRouteBuilder api) =>
        api.MapPost("/auth/token", IssueAsync)
            .AllowAnonymous()
            // The body is read by the endpoint, not bound, so that a wrong content type from an anonymous caller is a
            // 415 problem rather than the 401 of an unmatched route; the document still shows the body.
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
                operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TokenRequest), null, cancellationToken) },
                    },
                })
            .WithName("IssueToken")
            .WithSummary("Sign in: exchange a username and password for a bearer token")
            .Produces<TokenResponse>()
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    private static async Task<IResult> IssueAsync(
        HttpRequest http, CredentialCheck credentials, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<TokenRequest>(http, cancellationToken);
        if (request is null)
            return problem!;

        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Username))
            errors.Add(new("username", new("用户名不能为空", "username is required")));
        if (string.IsNullOrEmpty(request.Password))
            errors.Add(new("password", new("密码不能为空", "password is required")));
        if (errors.Count > 0)
            return Problem.Validation(errors);

        var outcome = await credentials.VerifyAsync(request.Username!.Trim(), request.Password!, cancellationToken);
        if (outcome.LockedUntil is { } until)
            return Problem.Status(StatusCodes.Status401Unauthorized, SignInTexts.Locked, SignInTexts.LockedUntil(until));
        if (outcome.User is null)
            return Problem.Status(StatusCodes.Status401Unauthorized, SignInTexts.WrongCredentials);

        var issued = tokens.Issue(outcome.User);
        return TypedResults.Ok(new TokenResponse(issued.Token, "Bearer", issued.ExpiresAt));
    }
}
