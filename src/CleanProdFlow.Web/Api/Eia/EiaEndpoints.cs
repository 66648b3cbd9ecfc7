namespace CleanProdFlow.Web.Api.Eia;

/// <summary>/api/v1/eia: EIA approval (环评审批, measure 8) — intake of applications and the case view.</summary>
public static class EiaEndpoints
{
    public static void MapEia(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/eia/applications").WithTags("eia");
        group.MapSubmitApplication();
        group.MapGetCase();
    }
}
