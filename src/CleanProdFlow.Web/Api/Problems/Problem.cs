using System.Globalization;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Web.Api.Problems;

/// <summary>
/// RFC 7807 answers in the caller's language (Accept-Language or the page's language cookie; Chinese by default).
/// </summary>
public static class Problem
{
    public static string In(this LocalizedText text) => text.In(CultureInfo.CurrentUICulture);

    public static readonly LocalizedText InvalidInput = new("输入有误", "The input is not valid");

    /// <summary>400 (or the given status) with every refused field and its reason.</summary>
    public static IResult Validation(IEnumerable<FieldError> errors, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(new HttpValidationProblemDetails(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message.In()).ToArray()))
        {
            Status = status,
            Title = InvalidInput.In(),
        });

    public static IResult Validation(string field, LocalizedText reason) => Validation([new FieldError(field, reason)]);

    public static IResult Status(int status, LocalizedText title, LocalizedText? detail = null) =>
        TypedResults.Problem(statusCode: status, title: title.In(), detail: detail?.In());
}
