using CleanProdFlow.Data.Workflows;
using CleanProdFlow.Web.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Http.Features;

namespace CleanProdFlow.Web.Pages;

/// <summary>What the pages need beyond Razor Pages itself: their stores, folder authorisation and the 403/404 pages.</summary>
public static class PagesRegistration
{
    public static void AddCleanProdFlowPages(this IServiceCollection services)
    {
        services.AddSingleton<InboxStore>();
        // Every page under /admin needs the administrator role, whoever adds it (checked on the server, 403 page otherwise).
        services.Configure<RazorPagesOptions>(options => options.Conventions.AuthorizeFolder("/Admin", SecurityRegistration.AdminPolicy));
    }

    /// <summary>
    /// A 403 or 404 without a body, answered to a browser asking for a page, becomes the page <c>/error/{status}</c> in
    /// the user's language (the request runs again with that path; the page sets the status). The API and other clients
    /// keep their problem+json from the status-code-pages middleware, which runs outside this one.
    /// </summary>
    public static void UseCleanProdFlowStatusPages(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var response = context.Response;
        var status = response.StatusCode;
        if (status is not (StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound) || response.HasStarted
            || response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType)
            || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            || SecurityRegistration.IsApi(context.Request) || !AcceptsHtml(context.Request))
            return;

        var (path, query) = (context.Request.Path, context.Request.QueryString);
        context.SetEndpoint(null);
        context.Features.Get<IRouteValuesFeature>()?.RouteValues.Clear();
        context.Request.Path = $"/error/{status}";
        context.Request.QueryString = QueryString.Empty;
        try
        {
            await next(context);
        }
        finally
        {
            (context.Request.Path, context.Request.QueryString) = (path, query);
        }
    });

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
}
