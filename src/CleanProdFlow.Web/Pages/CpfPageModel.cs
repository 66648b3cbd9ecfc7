using CleanProdFlow.Web.Api.Workflows;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CleanProdFlow.Web.Pages;

/// <summary>What every signed-in page knows: who calls (organisation and roles, as the API sees them) and how to refuse.</summary>
public abstract class CpfPageModel : PageModel
{
    public const string FlashKey = "flash";

    public WorkflowCaller Caller => WorkflowCaller.Of(User);

    /// <summary>A message for the next page after a redirect (post, redirect, get).</summary>
    [TempData(Key = FlashKey)]
    public string? Flash { get; set; }

    /// <summary>The 403 or 404 page in place, in the user's language, with that status.</summary>
    protected IActionResult StatusPage(int status)
    {
        Response.StatusCode = status;
        return Partial("_StatusPage", status);
    }

    /// <summary>True when htmx sent the request (a partial update); the same handler otherwise redirects.</summary>
    protected bool IsHtmx => Request.Headers["HX-Request"] == "true";

    /// <summary>A local URL to return to, or <paramref name="fallback"/>.</summary>
    protected string LocalOr(string? url, string fallback) => url is not null && Url.IsLocalUrl(url) ? url : fallback;
}
