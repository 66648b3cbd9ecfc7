using System.Security.Claims;
using CleanProdFlow.Web.Api.Problems;
using CleanProdFlow.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanProdFlow.Web.Pages.Account;

[AllowAnonymous]
public sealed class LoginModel(CredentialCheck credentials) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
        {
            Error = Ui.T("请输入用户名和密码", "Enter your username and password");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await credentials.VerifyAsync(Username.Trim(), Password, cancellationToken);
        if (outcome.User is not { } user)
        {
            Error = outcome.LockedUntil is { } until
                ? $"{SignInTexts.Locked.In()}：{SignInTexts.LockedUntil(until).In()}"
                : SignInTexts.WrongCredentials.In();
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(UserPrincipal.IdentityOf(user, CookieAuthenticationDefaults.AuthenticationScheme)));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
