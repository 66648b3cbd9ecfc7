using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Execution;

public sealed record MigrationProblem(string ElementId, string Message, string MessageZh);

/// <summary>
/// How an instance's active elements map onto a newer version of its definition, checked before anything moves
/// (the dry run shows the same plan). An element not named in the mapping keeps its id.
/// </summary>
public sealed class MigrationPlan
{
    private MigrationPlan(IReadOnlyDictionary<string, string> mapping, IReadOnlyList<MigrationProblem> problems)
    {
        Mapping = mapping;
        Problems = problems;
    }

    /// <summary>Every active element of the instance and the element it becomes.</summary>
    public IReadOnlyDictionary<string, string> Mapping { get; }

    public IReadOnlyList<MigrationProblem> Problems { get; }

    public bool CanMigrate => Problems.Count == 0;

    private IReadOnlyDictionary<string, string> Requested { get; init; } = new Dictionary<string, string>();

    public string TargetOf(string elementId) =>
        Mapping.TryGetValue(elementId, out var target) ? target : Requested.TryGetValue(elementId, out var asked) ? asked : elementId;

    public static MigrationPlan Create(InstanceState state, ProcessDefinition from, ProcessDefinition to, IReadOnlyDictionary<string, string> requested)
    {
        var problems = new List<MigrationProblem>();
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        if (state.IsEnded)
            problems.Add(new("", "the instance has ended; only running instances can be migrated", "实例已结束，只能迁移运行中的实例"));
        foreach (var (source, _) in requested)
            if (!from.TryGetNode(source, out _))
                problems.Add(new(source, $"the mapping names '{source}', which is not an element of version {state.Version}",
                    $"映射中的“{source}”不是版本 {state.Version} 中的元素"));

        string Target(string id) => requested.TryGetValue(id, out var t) ? t : id;

        foreach (var token in state.Tokens)
        {
            var source = from.Node(token.ElementId);
            var targetId = Target(source.Id);
            if (!to.TryGetNode(targetId, out var target))
            {
                problems.Add(new(source.Id, $"active element '{source.Id}' has no counterpart '{targetId}' in the new version: map it to an element of the same kind",
                    $"活动元素“{source.Id}”在新版本中没有对应元素“{targetId}”，请映射到同类元素"));
                continue;
            }
            if (target.GetType() != source.GetType())
            {
                problems.Add(new(source.Id, $"'{source.Id}' is a {source.Kind} but '{targetId}' is a {target.Kind}",
                    $"“{source.Id}”是 {source.Kind}，而“{targetId}”是 {target.Kind}"));
                continue;
            }
            if ((source.ScopeId is null ? null : Target(source.ScopeId)) != target.ScopeId)
                problems.Add(new(source.Id, $"'{targetId}' is not in the sub-process that '{source.Id}' is mapped into",
                    $"“{targetId}”不在“{source.Id}”所映射的子流程中"));
            if (token.State == TokenState.Joining && token.ArrivedVia is { } via && !target.Incoming.Contains(Target(via)))
                problems.Add(new(source.Id, $"the join '{targetId}' has no incoming flow '{Target(via)}' for a branch that has arrived",
                    $"汇聚网关“{targetId}”没有已到达分支的入口连线“{Target(via)}”"));
            if (source is CallActivity call && target is CallActivity targetCall && call.CalledElement != targetCall.CalledElement)
                problems.Add(new(source.Id, $"'{targetId}' calls '{targetCall.CalledElement}', not '{call.CalledElement}' as the running child",
                    $"“{targetId}”调用“{targetCall.CalledElement}”，与运行中的子流程“{call.CalledElement}”不同"));
            mapping[source.Id] = targetId;
        }
        return new MigrationPlan(mapping, problems) { Requested = requested };
    }
}
