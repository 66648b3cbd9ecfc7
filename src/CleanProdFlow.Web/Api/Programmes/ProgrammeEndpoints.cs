namespace CleanProdFlow.Web.Api.Programmes;

public static class ProgrammeEndpoints
{
    /// <summary>The yearly programmes (issue 9 parts 4 and 5) under /api/v1/programmes, and the public typical cases.</summary>
    public static void MapProgrammes(this IEndpointRouteBuilder api, IEndpointRouteBuilder app)
    {
        api.MapGreenFinance();
        api.MapTypicalCases(app);
    }
}
