using System.Text.Json;
using CleanProdFlow.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CleanProdFlow.Web.Api.Problems;

/// <summary>
/// A bound body that is not valid JSON, or whose field has the wrong type, is a 400 naming that field (from the
/// JSON path), never a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;

        var (field, reason) = bad switch
        {
            { StatusCode: StatusCodes.Status415UnsupportedMediaType } => ("body", JsonBody.NotJson),
            { InnerException: JsonException json } => JsonBody.Describe(json),
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => ("body", JsonBody.Missing),
            _ => ("request", new LocalizedText(bad.Message, bad.Message)),
        };

        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason.In()] })
            {
                Status = bad.StatusCode,
                Title = Problem.InvalidInput.In(),
            },
        });
    }
}
