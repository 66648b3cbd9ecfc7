using CleanProdFlow.Data.Users;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Web.Admin;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Pages.Admin.Users;

/// <summary>The new-account form as typed (kept when it is refused; never the password).</summary>
public sealed class NewUserForm
{
    public string? Username { get; set; }
    public string? DisplayName { get; set; }
    public string? Organisation { get; set; }
    public List<string> Roles { get; set; } = [];
    public string? Password { get; set; }
}

/// <summary>
/// Staff accounts a page at a time (keyset by username, so page 1,000 costs what page 1 does), of one organisation
/// or all, and a new account — checked and stored by <see cref="UserAdministration"/>, the same code as
/// <c>POST /api/v1/admin/users</c>. A city's administrator sees and creates its own city's staff only.
/// </summary>
public sealed class IndexModel(UserAdministration administration, UserStore users) : CpfPageModel
{
    public const int PageSize = 50;

    public User Admin { get; private set; } = null!;

    public IReadOnlyList<User> Users { get; private set; } = [];

    /// <summary>The organisation listed (null: all), as the filter shows it.</summary>
    public string? Listed { get; private set; }

    public string? After { get; private set; }

    /// <summary>The last username of a full page: where the next page starts.</summary>
    public string? Next { get; private set; }

    public IReadOnlyList<Organisation> Managed { get; private set; } = [];

    [BindProperty]
    public NewUserForm Form { get; set; } = new();

    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public string? FilterError { get; private set; }

    public string? Created { get; private set; }

    public IReadOnlyList<string> ErrorsOf(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    public async Task<IActionResult> OnGetAsync(string? organisation, string? after, string? created, CancellationToken cancellationToken)
    {
        Created = created;
        return await ListAsync(string.IsNullOrWhiteSpace(organisation) ? null : organisation.Trim(), after, cancellationToken) ?? Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var outcome = await administration.CreateAsync(Caller.Username, Form.Username, Form.DisplayName, Form.Organisation, Form.Roles,
            Form.Password, cancellationToken);
        switch (outcome)
        {
            case CreateUserOutcome.Created created:
                Flash = Ui.T($"已创建用户 {created.User.Username}（{Ui.OrganisationName(created.User.OrganisationCode)}）",
                    $"User {created.User.Username} created ({Ui.OrganisationName(created.User.OrganisationCode)})");
                return LocalRedirect($"/admin/users?organisation={Uri.EscapeDataString(created.User.OrganisationCode)}&created={Uri.EscapeDataString(created.User.Username)}");
            case CreateUserOutcome.Invalid invalid:
                foreach (var error in invalid.Errors)
                    Add(error.Field, Ui.T(error.Message));
                break;
            case CreateUserOutcome.Forbidden forbidden:
                Add("organisation", Ui.T(forbidden.Reason));
                break;
            case CreateUserOutcome.Duplicate duplicate:
                Add("username", Ui.T($"已有名为 {duplicate.Username} 的用户", $"A user named {duplicate.Username} exists already"));
                break;
        }
        Form.Password = null; // never sent back to the browser
        Response.StatusCode = outcome is CreateUserOutcome.Duplicate ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return await ListAsync(null, null, cancellationToken) ?? Page();
    }

    private void Add(string field, string message)
    {
        if (!Errors.TryGetValue(field, out var messages))
            Errors[field] = messages = [];
        messages.Add(message);
    }

    private async Task<IActionResult?> ListAsync(string? organisation, string? after, CancellationToken cancellationToken)
    {
        var admin = await administration.AdministratorAsync(Caller.Username, cancellationToken);
        if (admin is null)
            return StatusPage(StatusCodes.Status403Forbidden);
        Admin = admin;
        Managed = UserAdministration.ManagedOrganisations(admin);
        var scope = UserAdministration.ListScope(admin, organisation);
        if (scope.Invalid is not null)
        {
            FilterError = Ui.T(scope.Invalid);
            scope = UserAdministration.ListScope(admin, null);
        }
        if (scope.Forbidden)
            return StatusPage(StatusCodes.Status403Forbidden);
        Listed = scope.Organisation;
        After = string.IsNullOrWhiteSpace(after) ? null : after.Trim();
        Users = await users.ListAsync(Listed, After, PageSize, cancellationToken);
        Next = Users.Count == PageSize ? Users[^1].Username : null;
        return null;
    }
}
