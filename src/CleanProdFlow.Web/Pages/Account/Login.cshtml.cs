using System.Security.Claims;
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

        var user = await credentials.VerifyAsync(Username.Trim(), Password, cancellationToken);
        if (user is null)
        {
            Error = Ui.T("用户名或密码错误", "Wrong username or password");
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(UserPrincipal.IdentityOf(user, CookieAuthenticationDefaults.AuthenticationScheme)));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
