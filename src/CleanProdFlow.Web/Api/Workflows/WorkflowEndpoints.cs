namespace CleanProdFlow.Web.Api.Workflows;

/// <summary>The workflow engine's API under /api/v1: definitions, instances, tasks, messages.</summary>
public static class WorkflowEndpoints
{
    public static void MapWorkflows(this IEndpointRouteBuilder api)
    {
        api.MapDefinitions();
        api.MapInstances();
        api.MapTasks();
        api.MapMessages();
    }
}
