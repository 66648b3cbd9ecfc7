namespace CleanProdFlow.Web.Security;

/// <summary>
/// Headers on every response, pages and API alike: the browser runs only scripts and styles served by this host
/// (no inline script, no CDN: bpmn-js, ECharts and htmx are copied into wwwroot/lib at build time), no other site
/// may frame a page, content types are not sniffed and no URL leaks to another site in the Referer header.
/// </summary>
/// <remarks>
/// Style attributes stay allowed (<c>style-src-attr</c>): bpmn-js and ECharts position their SVG and canvas with
/// them; a style attribute cannot run script. The API reference (/scalar) and the Hangfire dashboard are
/// third-party pages that need their own inline scripts; they get that exception and nothing else does.
/// </remarks>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>For the API reference and the Hangfire dashboard only (their own inline scripts and styles).</summary>
    public const string ThirdPartyPagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseCleanProdFlowSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // Set as the response starts: the exception handler clears headers set earlier, and every answer
            // (errors, redirects, static files) must carry them.
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var path = context.Request.Path;
        headers.ContentSecurityPolicy = path.StartsWithSegments("/scalar") || path.StartsWithSegments("/hangfire")
            ? ThirdPartyPagePolicy
            : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
