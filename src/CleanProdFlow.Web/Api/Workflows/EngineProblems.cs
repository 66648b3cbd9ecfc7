using CleanProdFlow.Domain.Common;
using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Web.Api.Problems;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>
/// The engine's refusals as problem+json in the caller's language: Invalid → 400 (with each refused field),
/// Conflict → 409, NotFound → 404, Forbidden → 403. Nothing else is caught: any other exception is a bug (500).
/// </summary>
public static class EngineProblems
{
    /// <summary>One problem of a BPMN file or a migration: the element concerned and why.</summary>
    public sealed record ElementProblem(string ElementId, string Message);

    public static IResult From(EngineRefusal refusal)
    {
        var title = new LocalizedText(refusal.MessageZh, refusal.Message);
        if (refusal.Kind == RefusalKind.Invalid && refusal.Problems.Count > 0)
            return TypedResults.Problem(new HttpValidationProblemDetails(refusal.Problems
                .GroupBy(p => p.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(p => new LocalizedText(p.MessageZh, p.Message).In()).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = title.In(),
            });
        var status = refusal.Kind switch
        {
            RefusalKind.Invalid => StatusCodes.Status400BadRequest,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
            _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal.Kind, "unknown refusal kind"),
        };
        return Problem.Status(status, title);
    }

    /// <summary>Runs an engine command; its refusal becomes the matching problem+json.</summary>
    public static async Task<IResult> RunAsync(Func<Task<IResult>> command)
    {
        try
        {
            return await command();
        }
        catch (EngineRefusal refusal)
        {
            return From(refusal);
        }
    }

    public static ElementProblem View(BpmnProblem problem) => new(problem.ElementId, new LocalizedText(problem.MessageZh, problem.Message).In());

    public static ElementProblem View(MigrationProblem problem) => new(problem.ElementId, new LocalizedText(problem.MessageZh, problem.Message).In());

    /// <summary>400 listing every problem of an uploaded BPMN file under <c>errors</c>, each with its element id.</summary>
    public static IResult InvalidDefinition(IReadOnlyList<BpmnProblem> problems)
    {
        var details = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = new LocalizedText("流程定义有误，未保存", "The process definition is not valid; nothing was stored").In(),
            Detail = new LocalizedText($"发现 {problems.Count} 个问题，每个问题都标明了所涉及元素的标识（elementId）",
                $"{problems.Count} problem(s) found, each naming the element concerned (elementId)").In(),
        };
        details.Extensions["errors"] = problems.Select(View).ToList();
        return TypedResults.Problem(details);
    }

    public static IResult Forbidden(LocalizedText detail) =>
        Problem.Status(StatusCodes.Status403Forbidden, new("无权执行此操作", "You may not do this"), detail);

    public static readonly LocalizedText AuditorsChangeNothing = new("督查/审计人员只能查看，不能办理或启动流程",
        "Auditors read; they do not start, claim, complete or correlate anything");
}
