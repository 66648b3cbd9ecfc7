using System.Security.Claims;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Api.Me;

/// <summary>GET /api/v1/me: who the caller is, read fresh from the database.</summary>
public static class GetMeEndpoint
{
    public sealed record OrganisationView(string Code, string NameZh, string NameEn);

    public sealed record MeResponse(string Username, string DisplayName, OrganisationView Organisation, IReadOnlyList<string> Roles);

    public static void MapGetMe(this IEndpointRouteBuilder api) =>
        api.MapGet("/me", GetAsync)
            .WithName("GetMe")
            .WithSummary("The signed-in user: name, organisation and roles")
            .Produces<MeResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    private static async Task<IResult> GetAsync(ClaimsPrincipal principal, UserStore users, CancellationToken cancellationToken)
    {
        var user = await users.FindByUsernameAsync(principal.Username(), cancellationToken);
        if (user is not { IsActive: true })
            return Problem.Status(StatusCodes.Status401Unauthorized,
                new("该账号已不存在或已停用", "This account no longer exists or is inactive"));
        return TypedResults.Ok(ViewOf(user));
    }

    public static MeResponse ViewOf(User user)
    {
        var organisation = user.Organisation;
        return new MeResponse(user.Username, user.DisplayName,
            new OrganisationView(organisation.Code, organisation.NameZh, organisation.NameEn), user.Roles);
    }
}
