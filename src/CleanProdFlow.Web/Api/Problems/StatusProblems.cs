using CleanProdFlow.Domain.Common;
using Microsoft.AspNetCore.Http;

namespace CleanProdFlow.Web.Api.Problems;

/// <summary>Bare status answers (401 from the bearer challenge, 403, 404, 405) get a title in the caller's language.</summary>
public static class StatusProblems
{
    private static readonly Dictionary<int, (LocalizedText Title, LocalizedText? Detail)> Texts = new()
    {
        [StatusCodes.Status401Unauthorized] = (new("需要登录", "Sign-in required"),
            new("请先登录：接口调用方用 POST /api/v1/auth/token 获取令牌，并以 Authorization: Bearer 发送。",
                "Sign in first: API callers get a token from POST /api/v1/auth/token and send it as Authorization: Bearer.")),
        [StatusCodes.Status403Forbidden] = (new("无权执行此操作", "You may not do this"),
            new("您的角色或所属单位不允许此操作。", "Your role or organisation does not allow this.")),
        [StatusCodes.Status404NotFound] = (new("找不到该资源", "Not found"), null),
        [StatusCodes.Status405MethodNotAllowed] = (new("不支持该请求方法", "Method not allowed"), null),
        [StatusCodes.Status415UnsupportedMediaType] = (new("请求体须为 JSON", "The body must be JSON"),
            new("请以 Content-Type: application/json 发送 JSON 请求体。", "Send a JSON body with Content-Type: application/json.")),
        [StatusCodes.Status500InternalServerError] = (new("服务器内部错误", "Internal server error"),
            new("已记录该错误，请稍后重试或联系管理员。", "The error was logged; try again later or contact the administrator.")),
    };

    public static void Localise(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status is not { } status || !Texts.TryGetValue(status, out var text))
            return;
        // Only the framework's generic English titles are replaced; an endpoint's own title stays.
        if (problem.Title is null || problem.Title == ReasonPhrases(status))
            problem.Title = text.Title.In();
        if (problem.Detail is null && text.Detail is not null)
            problem.Detail = text.Detail.In();
    }

    private static string ReasonPhrases(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
