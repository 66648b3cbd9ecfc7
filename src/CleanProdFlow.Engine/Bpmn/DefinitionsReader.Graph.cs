using System.Xml.Linq;
using static CleanProdFlow.Engine.Bpmn.BpmnNames;

namespace CleanProdFlow.Engine.Bpmn;

internal sealed partial class DefinitionsReader
{
    /// <summary>Resolves each flow's ends and each boundary event's activity; reports what does not connect.</summary>
    private void ConnectFlows()
    {
        foreach (var flow in _flows)
        {
            var source = End(flow, flow.SourceRef, "sourceRef", "source", "起点");
            var target = End(flow, flow.TargetRef, "targetRef", "target", "终点");
            if (source is null || target is null)
                continue;
            flow.Source = source;
            flow.Target = target;
            source.Outgoing.Add(flow);
            target.Incoming.Add(flow);
        }

        foreach (var boundary in _nodes.Where(n => n.Kind == "boundaryEvent"))
        {
            var label = $"boundaryEvent '{boundary.Id}'";
            var labelZh = $"边界事件“{boundary.Id}”";
            if (boundary.AttachedTo is null)
            {
                if (!boundary.Unsupported)
                    Add(boundary.Id, $"{label} is not attached to an activity (attachedToRef)", $"{labelZh}未附着在任何活动上（attachedToRef）");
                continue;
            }
            if (!_nodesById.TryGetValue(boundary.AttachedTo, out var activity))
            {
                if (!boundary.Unsupported && !IsRefusedElement(boundary.AttachedTo))
                {
                    Add(boundary.Id, $"{label} is attached to '{boundary.AttachedTo}', which is not a flow node of the file",
                        $"{labelZh}附着的“{boundary.AttachedTo}”不是文件中的流程节点");
                }
                continue;
            }
            if (!IsActivityKind(activity.Kind))
            {
                Add(boundary.Id, $"{label} is attached to {activity.Label}; boundary events belong on a userTask, serviceTask, subProcess or callActivity",
                    $"{labelZh}附着在{activity.LabelZh}上；边界事件只能附着在用户任务、服务任务、子流程或调用活动上");
                continue;
            }
            if (activity.ScopeKey != boundary.ScopeKey)
            {
                Add(boundary.Id, $"{label} is attached to {activity.Label}, which lies in another (sub-)process",
                    $"{labelZh}附着的{activity.LabelZh}位于另一个（子）流程中");
                continue;
            }
            activity.Boundaries.Add(boundary);
        }
    }

    private NodeInfo? End(FlowInfo flow, string? reference, string attribute, string what, string whatZh)
    {
        var label = $"sequenceFlow '{flow.Id}'";
        var labelZh = $"顺序流“{flow.Id}”";
        if (string.IsNullOrEmpty(reference))
        {
            Add(flow.Id, $"{label} has no {attribute}", $"{labelZh}缺少 {attribute}（{whatZh}）");
            return null;
        }
        if (!_nodesById.TryGetValue(reference, out var node))
        {
            if (IsRefusedElement(reference))
                return null; // the element is refused already; do not report its flows too
            if (_elementsById.TryGetValue(reference, out var element))
            {
                Add(flow.Id, $"{label}: its {what} '{reference}' is a {element.Name.LocalName}, not a flow node",
                    $"{labelZh}：其{whatZh}“{reference}”是 {element.Name.LocalName}，不是流程节点");
            }
            else
            {
                Add(flow.Id, $"{label}: its {what} '{reference}' does not exist", $"{labelZh}：其{whatZh}“{reference}”不存在");
            }
            return null;
        }
        if (node.ScopeKey != flow.ScopeKey)
        {
            Add(flow.Id, $"{label} connects {node.Label} in another (sub-)process; sequence flows cannot cross a sub-process boundary",
                $"{labelZh}连接了另一个（子）流程中的{node.LabelZh}；顺序流不能跨越子流程边界");
            return null;
        }
        return node;
    }

    /// <summary>Whether the element with this id was refused (or lies inside a refused element).</summary>
    private bool IsRefusedElement(string id)
    {
        if (!_elementsById.TryGetValue(id, out var element))
            return false;
        for (var e = element; e is not null; e = e.Parent)
        {
            if (_refused.Contains(e))
                return true;
        }
        return false;
    }

    /// <summary>Checks that depend on a node's flows: entries and exits, gateways and their conditions.</summary>
    private void CheckNodes()
    {
        foreach (var node in _nodes)
        {
            if (node.Unsupported)
                continue;
            var ids = (List<FlowInfo> flows) => string.Join(", ", flows.Select(f => f.Id));
            switch (node.Kind)
            {
                case "startEvent":
                    if (node.Incoming.Count > 0)
                    {
                        Add(node.Id, $"{node.Label} has incoming sequence flows ({ids(node.Incoming)}); nothing can flow into a start event",
                            $"{node.LabelZh}有输入顺序流（{ids(node.Incoming)}）；开始事件不能有输入");
                    }
                    break;
                case "endEvent":
                    if (node.Outgoing.Count > 0)
                    {
                        Add(node.Id, $"{node.Label} has outgoing sequence flows ({ids(node.Outgoing)}); an end event ends its path",
                            $"{node.LabelZh}有输出顺序流（{ids(node.Outgoing)}）；结束事件之后不能再有顺序流");
                    }
                    break;
                case "boundaryEvent":
                    if (node.Incoming.Count > 0)
                    {
                        Add(node.Id, $"{node.Label} has incoming sequence flows ({ids(node.Incoming)}); a boundary event is entered only through its activity",
                            $"{node.LabelZh}有输入顺序流（{ids(node.Incoming)}）；边界事件只能由其所附着的活动触发");
                    }
                    break;
            }

            if (node.Kind != "endEvent" && node.Outgoing.Count == 0)
            {
                if (node.IsGateway)
                {
                    Add(node.Id, $"{node.Label} has no outgoing sequence flow", $"{node.LabelZh}没有输出顺序流");
                }
                else if (node.Kind == "boundaryEvent")
                {
                    Add(node.Id, $"{node.Label} has no outgoing sequence flow: draw where the path continues when it fires",
                        $"{node.LabelZh}没有输出顺序流：请画出事件触发后的去向");
                }
                else
                {
                    Add(node.Id, $"{node.Label} has no outgoing sequence flow: add an end event after it",
                        $"{node.LabelZh}没有输出顺序流：请在其后添加结束事件");
                }
            }
            else if (!node.IsGateway && node.Outgoing.Count > 1)
            {
                Add(node.Id, $"{node.Label} has {node.Outgoing.Count} outgoing sequence flows ({ids(node.Outgoing)}); split with a parallel or exclusive gateway",
                    $"{node.LabelZh}有 {node.Outgoing.Count} 条输出顺序流（{ids(node.Outgoing)}）；请用并行网关或排他网关分支");
            }

            if (node.IsConditionalGateway)
                CheckGatewayFlows(node);
        }

        foreach (var flow in _flows)
        {
            if (flow.Condition is null || flow.Source is not { } source || source.Unsupported || source.IsConditionalGateway)
                continue;
            Add(flow.Id, $"sequenceFlow '{flow.Id}' has a condition but leaves {source.Label}; conditions are allowed only on flows leaving an exclusive or inclusive gateway",
                $"顺序流“{flow.Id}”设置了条件，但其起点是{source.LabelZh}；只有排他网关或包容网关的输出顺序流可以设置条件");
        }
    }

    private void CheckGatewayFlows(NodeInfo gateway)
    {
        FlowInfo? defaultFlow = null;
        if (gateway.DefaultFlowId is { } defaultId)
        {
            defaultFlow = gateway.Outgoing.FirstOrDefault(f => f.Id == defaultId);
            if (defaultFlow is null)
            {
                Add(gateway.Id, $"{gateway.Label}: its default flow '{defaultId}' is not one of its outgoing sequence flows",
                    $"{gateway.LabelZh}：默认顺序流“{defaultId}”不是其输出顺序流");
            }
            else if (defaultFlow.Condition is not null)
            {
                Add(gateway.Id, $"{gateway.Label}: its default flow '{defaultId}' has a condition; the default flow is taken when no condition holds and carries none",
                    $"{gateway.LabelZh}：默认顺序流“{defaultId}”设置了条件；默认顺序流在其他条件都不成立时走，不能设置条件");
            }
        }

        if (gateway.Outgoing.Count < 2)
            return;
        foreach (var flow in gateway.Outgoing)
        {
            if (flow != defaultFlow && flow.Condition is null)
            {
                Add(flow.Id, $"sequenceFlow '{flow.Id}' leaves {gateway.Label}, which has {gateway.Outgoing.Count} outgoing flows, without a condition: give it a condition or make it the gateway's default flow",
                    $"顺序流“{flow.Id}”从有 {gateway.Outgoing.Count} 条输出的{gateway.LabelZh}引出，但没有条件：请设置条件，或将其设为该网关的默认顺序流");
            }
        }
    }

    /// <summary>Per process and sub-process: start events, reachability and parallel joins that can never complete.</summary>
    private void CheckScopes()
    {
        var nodesByScope = _nodes.GroupBy(n => n.ScopeKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var flowsByScope = _flows.Where(f => f.Connected).GroupBy(f => f.ScopeKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var scopeKey in _scopeProcess.Keys)
        {
            var nodes = nodesByScope.GetValueOrDefault(scopeKey) ?? [];
            var flows = flowsByScope.GetValueOrDefault(scopeKey) ?? [];
            var isProcess = _scopeProcess[scopeKey] == scopeKey;
            if (!isProcess && _nodesById.TryGetValue(scopeKey, out var owner) && owner.Unsupported)
                continue;
            CheckStartEvents(scopeKey, isProcess, nodes);
            CheckGraph(nodes, flows);
        }
    }

    private void CheckStartEvents(string scopeKey, bool isProcess, List<NodeInfo> nodes)
    {
        var starts = nodes.Where(n => n.Kind == "startEvent").ToList();
        if (starts.Any(s => s.Unsupported))
            return; // the refused start event is reported; its scope's start is not reported again
        var noneStarts = starts.Where(s => !s.IsTimerStart).ToList();
        var timerStarts = starts.Count - noneStarts.Count;
        if (isProcess)
        {
            if (noneStarts.Count == 0 && timerStarts == 0)
            {
                Add(scopeKey, $"process '{scopeKey}' has no start event: add a start event", $"流程“{scopeKey}”没有开始事件：请添加开始事件");
            }
        }
        else if (noneStarts.Count == 0)
        {
            Add(scopeKey, $"subProcess '{scopeKey}' has no start event inside: add one (without trigger)",
                $"子流程“{scopeKey}”内没有开始事件：请添加一个（无触发条件的）开始事件");
        }

        foreach (var extra in noneStarts.Skip(1))
        {
            var where = isProcess ? $"process '{scopeKey}'" : $"subProcess '{scopeKey}'";
            var whereZh = isProcess ? $"流程“{scopeKey}”" : $"子流程“{scopeKey}”";
            Add(extra.Id, $"{extra.Label} is a second start event without trigger in {where} (besides '{noneStarts[0].Id}'); a scope has exactly one",
                $"{extra.LabelZh}是{whereZh}中的第二个无触发开始事件（已有“{noneStarts[0].Id}”）；每个范围只能有一个");
        }
    }

    private void CheckGraph(List<NodeInfo> nodes, List<FlowInfo> flows)
    {
        if (nodes.Count == 0)
            return;
        var graph = new ScopeGraph(nodes, flows);

        foreach (var node in nodes)
        {
            if (node.Unsupported || graph.IsReachable(node) || node.Kind == "startEvent")
                continue;
            if (node.Kind == "boundaryEvent" && node.AttachedTo is { } activityId && _nodesById.ContainsKey(activityId))
                continue; // reachable exactly when its activity is, which is reported
            Add(node.Id, $"{node.Label} can never be reached from the start event", $"从开始事件永远无法到达{node.LabelZh}");
        }

        foreach (var join in nodes.Where(n => n.Kind == "parallelGateway" && !n.Unsupported && n.Incoming.Count >= 2 && graph.IsReachable(n)))
        {
            foreach (var flow in join.Incoming.Where(f => !graph.IsReachable(f)))
            {
                Add(join.Id, $"parallel join '{join.Id}' can never complete: its incoming flow '{flow.Id}' can never be taken (its source cannot be reached)",
                    $"并行合并网关“{join.Id}”永远无法完成：其输入顺序流“{flow.Id}”永远不会被经过（起点不可达）");
            }

            if (graph.FindAlternativeInputs(join) is { } conflict)
            {
                Add(join.Id, $"parallel join '{join.Id}' can never complete: its incoming flows {conflict.First.Id} and {conflict.Second.Id} come from alternative branches of exclusive gateway '{conflict.Gateway.Id}'",
                    $"并行合并网关“{join.Id}”永远无法完成：其输入顺序流 {conflict.First.Id} 与 {conflict.Second.Id} 来自排他网关“{conflict.Gateway.Id}”的不同分支，只会有一条被经过");
            }
        }
    }
}
