using System.Security.Claims;
using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Common;
using CleanProdFlow.Web.Admin;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;

namespace CleanProdFlow.Web.Api.Admin.Users;

/// <summary>
/// /api/v1/admin/users: administrators list and create staff accounts. A city's administrator manages that city's
/// staff only; the province's administrator manages everyone.
/// </summary>
public static class AdminUsersEndpoints
{
    public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Organisation, List<string>? Roles, string? Password);

    public sealed record UserView(string Username, string DisplayName, string Organisation, IReadOnlyList<string> Roles,
        bool IsActive, DateTimeOffset CreatedAt, string CreatedBy);

    public sealed record UserPage(IReadOnlyList<UserView> Users, string? Next);

    public static void MapAdminUsers(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/users").RequireAuthorization(SecurityRegistration.AdminPolicy).WithTags("admin");
        group.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("Staff accounts, a page at a time (keyset: pass 'next' as 'after')")
            .Produces<UserPage>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{username}", GetAsync).WithName("GetUser")
            .Produces<UserView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", CreateAsync).WithName("CreateUser").WithSummary("Create a staff account")
            .Produces<UserView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal principal, UserStore users, string? organisation, string? after, int? limit, CancellationToken cancellationToken)
    {
        var admin = await users.FindByUsernameAsync(principal.Username(), cancellationToken);
        if (admin is null)
            return Forbidden();
        if (limit is < 1 or > 500)
            return Problem.Validation("limit", new("每页条数须在 1–500 之间", "limit must be from 1 to 500"));
        var (scope, invalid, forbidden) = UserAdministration.ListScope(admin, organisation);
        if (invalid is not null)
            return Problem.Validation("organisation", invalid);
        if (forbidden)
            return Forbidden();

        var pageSize = limit ?? 50;
        var page = await users.ListAsync(scope, after, pageSize, cancellationToken);
        return TypedResults.Ok(new UserPage(page.Select(ViewOf).ToList(), page.Count == pageSize ? page[^1].Username : null));
    }

    private static async Task<IResult> GetAsync(ClaimsPrincipal principal, UserStore users, string username, CancellationToken cancellationToken)
    {
        var admin = await users.FindByUsernameAsync(principal.Username(), cancellationToken);
        var user = await users.FindByUsernameAsync(username, cancellationToken);
        if (admin is null)
            return Forbidden();
        // Someone else's staff is reported as not found, so existence does not leak across organisations.
        if (user is null || !admin.MayAdministerUsersOf(user.OrganisationCode))
            return Problem.Status(StatusCodes.Status404NotFound, new("找不到该用户", "No such user"));
        return TypedResults.Ok(ViewOf(user));
    }

    private static async Task<IResult> CreateAsync(
        CreateUserRequest request, ClaimsPrincipal principal, UserAdministration administration, CancellationToken cancellationToken) =>
        await administration.CreateAsync(principal.Username(), request.Username, request.DisplayName, request.Organisation, request.Roles,
            request.Password, cancellationToken) switch
        {
            CreateUserOutcome.Created created => TypedResults.Created($"/api/v1/admin/users/{created.User.Username}", ViewOf(created.User)),
            CreateUserOutcome.Invalid invalid => Problem.Validation(invalid.Errors),
            CreateUserOutcome.Forbidden forbidden => Forbidden(forbidden.Reason),
            CreateUserOutcome.Duplicate duplicate => Problem.Status(StatusCodes.Status409Conflict,
                new("用户名已存在", "The username is taken"), new($"已有名为 {duplicate.Username} 的用户", $"A user named {duplicate.Username} exists already")),
            _ => throw new InvalidOperationException("unknown outcome"),
        };

    private static IResult Forbidden(LocalizedText? detail = null) =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    private static UserView ViewOf(User user) =>
        new(user.Username, user.DisplayName, user.OrganisationCode, user.Roles, user.IsActive, user.CreatedAt, user.CreatedBy);
}
