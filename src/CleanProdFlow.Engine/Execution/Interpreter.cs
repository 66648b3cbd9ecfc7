using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Execution;

/// <summary>
/// The pure BPMN interpreter: (definition, instance state, command, environment) → new state + effects. It never
/// touches a database, a clock or a handler itself; the runner applies its effects in one transaction. The state
/// passed in is never modified (each command works on a copy), so a refused command changes nothing.
/// </summary>
public sealed class Interpreter(ProcessDefinition definition, IExecutionEnvironment environment)
{
    /// <summary>Element entries one command may make before it is stopped as a loop that never waits.</summary>
    public const int MaxMovesPerCommand = 10_000;

    public const string SystemActor = "system";

    /// <summary>The variable that receives a completed task's outcome, for the gateways after it.</summary>
    public const string OutcomeVariable = "outcome";

    private static readonly ConcurrentDictionary<string, ConditionExpression> Conditions = new(StringComparer.Ordinal);

    public ProcessDefinition Definition => definition;

    internal IExecutionEnvironment Environment => environment;

    public StepResult Start(NewInstance start)
    {
        var state = new InstanceState
        {
            Id = start.Id,
            DefinitionKey = definition.Key,
            Version = start.Version,
            BusinessKey = start.BusinessKey,
            Organisation = start.Organisation,
            Status = InstanceStatus.Running,
            ParentInstanceId = start.ParentInstanceId,
            ParentTokenId = start.ParentTokenId,
        };
        var step = new Step(this, state, start.Actor);
        step.Journal("instance.started", null, new JsonObject
        {
            ["definitionKey"] = definition.Key, ["version"] = start.Version, ["businessKey"] = start.BusinessKey,
            ["organisation"] = start.Organisation,
        });
        step.SetVariables(start.Variables);
        var startEvent = start.StartEventId is null
            ? definition.NoneStartEvent(null)
            : definition.Node(start.StartEventId) as StartEvent
              ?? throw new EngineRefusal(RefusalKind.Invalid, $"'{start.StartEventId}' is not a start event", $"“{start.StartEventId}”不是开始事件");
        step.Arrive(startEvent.Id, null, null);
        return step.Finish();
    }

    public StepResult CompleteTask(InstanceState state, Guid taskId, string actor, string? outcome, JsonObject variables)
    {
        var step = new Step(this, state, actor);
        var token = step.State.TokenWithTask(taskId)
            ?? throw new EngineRefusal(RefusalKind.Conflict, "the task is not open", "该任务已不在办理中");
        var task = (UserTask)definition.Node(token.ElementId);
        var problems = new List<RefusalProblem>();
        if (task.Outcomes.Count > 0 && (outcome is null || !task.Outcomes.Contains(outcome, StringComparer.Ordinal)))
            problems.Add(new("outcome", $"outcome must be one of: {string.Join(", ", task.Outcomes)}",
                $"办理结果须为以下之一：{string.Join("、", task.Outcomes)}"));
        var values = variables.ToDictionary(p => p.Key, p => p.Value);
        problems.AddRange(task.Form.Check(values).Select(p => new RefusalProblem($"variables.{p.Field}", p.Message, p.MessageZh)));
        if (problems.Count > 0)
            throw new EngineRefusal(RefusalKind.Invalid, "the task cannot be completed with this input", "办理信息有误，任务未完成", problems);

        step.Add(new TaskCompleted(taskId, actor, outcome));
        step.Journal("task.completed", task.Id, new JsonObject { ["taskId"] = taskId.ToString(), ["outcome"] = outcome });
        var merged = (JsonObject)variables.DeepClone();
        if (outcome is not null)
            merged[OutcomeVariable] = outcome;
        step.SetVariables(merged);
        step.LeaveActivity(token);
        return step.Finish();
    }

    public StepResult FireTimer(InstanceState state, Guid timerId) =>
        Trigger(state, timerId, WaitKind.Timer, SystemActor, null);

    public StepResult CorrelateMessage(InstanceState state, Guid subscriptionId, string actor, JsonObject variables) =>
        Trigger(state, subscriptionId, WaitKind.Message, actor, variables);

    public StepResult HandlerSucceeded(InstanceState state, Guid tokenId, JsonObject? variables)
    {
        var step = new Step(this, state, SystemActor);
        var token = step.ServiceTaskToken(tokenId);
        step.Journal("handler.succeeded", token.ElementId, null);
        if (token.Incident is { } incident)
        {
            token.Incident = null;
            step.Add(new IncidentResolved(incident.Id, SystemActor));
            step.Journal("incident.resolved", token.ElementId, new JsonObject { ["incidentId"] = incident.Id.ToString() });
        }
        if (variables is not null)
            step.SetVariables(variables);
        step.LeaveActivity(token);
        return step.Finish();
    }

    public StepResult HandlerFailed(InstanceState state, Guid tokenId, string message)
    {
        var step = new Step(this, state, SystemActor);
        var token = step.ServiceTaskToken(tokenId);
        step.RaiseIncident(token, message);
        return step.Finish();
    }

    /// <summary>A call activity whose child could not be started waits with an incident.</summary>
    public StepResult CallFailed(InstanceState state, Guid tokenId, string message)
    {
        var step = new Step(this, state, SystemActor);
        var token = step.State.TokenOf(tokenId);
        if (token is null || definition.Node(token.ElementId) is not CallActivity)
            throw new EngineRefusal(RefusalKind.NotFound, "no call activity waits for this", "没有调用活动在等待");
        token.ChildInstanceId = null;
        step.RaiseIncident(token, message);
        return step.Finish();
    }

    /// <summary>An administrator retries an incident: the handler is called again, or the gateway re-evaluated.</summary>
    public StepResult RetryIncident(InstanceState state, Guid incidentId, string actor)
    {
        var step = new Step(this, state, actor);
        var token = step.State.Tokens.FirstOrDefault(t => t.Incident?.Id == incidentId)
            ?? throw new EngineRefusal(RefusalKind.NotFound, "the instance has no such incident", "该实例没有此异常");
        step.Journal("incident.retried", token.ElementId, new JsonObject { ["incidentId"] = incidentId.ToString() });
        if (definition.Node(token.ElementId) is ServiceTask service)
        {
            step.Add(new HandlerRequested(token.Id, service.Id, service.Handler));
        }
        else
        {
            // A gateway whose condition failed or a call activity that could not start: arrive again; a new
            // failure raises a new incident.
            step.ArriveAgain(token);
        }
        return step.Finish();
    }

    /// <summary>A call activity's child instance ended; its variables come back to this instance.</summary>
    public StepResult ChildEnded(InstanceState state, Guid childInstanceId, InstanceStatus childStatus, JsonObject variables)
    {
        var step = new Step(this, state, SystemActor);
        var token = step.State.Tokens.FirstOrDefault(t => t.ChildInstanceId == childInstanceId)
            ?? throw new EngineRefusal(RefusalKind.NotFound, "no call activity waits for this instance", "没有调用活动在等待该实例");
        step.Journal("call.returned", token.ElementId, new JsonObject
        {
            ["childInstanceId"] = childInstanceId.ToString(), ["childStatus"] = childStatus.ToString().ToLowerInvariant(),
        });
        token.ChildInstanceId = null;
        step.SetVariables(variables);
        step.LeaveActivity(token);
        return step.Finish();
    }

    /// <summary>Ends the instance on an administrator's decision: every task, timer and subscription is cancelled.</summary>
    public StepResult Cancel(InstanceState state, string actor, string reason)
    {
        var step = new Step(this, state, actor);
        step.Terminate(null, reason);
        return step.Finish();
    }

    /// <summary>
    /// A clock of the instance has a new due date (paused: none). Timers bound to it are cancelled and armed again
    /// at the new instant (or wait unarmed while it is paused), and tasks bound to it get the new due date; each
    /// change is journaled with both dates and the reason.
    /// </summary>
    public StepResult ClockMoved(InstanceState state, string clockName, ClockTimes times, string actor, string reason)
    {
        var step = new Step(this, state, actor);
        step.ClockMoved(clockName, times, reason);
        return step.Finish();
    }

    /// <summary>Moves an instance whose plan has no problems to this interpreter's definition (the newer version).</summary>
    public StepResult Migrate(InstanceState state, int toVersion, MigrationPlan plan, string actor)
    {
        if (!plan.CanMigrate)
            throw new EngineRefusal(RefusalKind.Conflict, "the migration plan has problems", "迁移方案存在问题",
                plan.Problems.Select(p => new RefusalProblem(p.ElementId, p.Message, p.MessageZh)).ToList());
        var step = new Step(this, state, actor);
        step.MigrateTo(toVersion, plan);
        return step.Finish();
    }

    private StepResult Trigger(InstanceState state, Guid waitId, WaitKind kind, string actor, JsonObject? variables)
    {
        var step = new Step(this, state, actor);
        var token = step.State.TokenWithWait(waitId)
            ?? throw new EngineRefusal(RefusalKind.NotFound, "nothing waits for this any more", "该等待已不存在");
        var wait = token.Waits.Single(w => w.Id == waitId);
        if (wait.Kind != kind)
            throw new EngineRefusal(RefusalKind.NotFound, "nothing waits for this any more", "该等待已不存在");
        step.EventOccurred(token, wait, variables);
        return step.Finish();
    }

    internal static ConditionExpression Condition(string source)
    {
        if (Conditions.TryGetValue(source, out var compiled))
            return compiled;
        compiled = ConditionExpression.TryCompile(source, out var error)
            ?? throw new ConditionException($"condition '{source}' does not compile: {error?.Message}");
        return Conditions.GetOrAdd(source, compiled);
    }

    /// <summary>One command's work on a copy of the state.</summary>
    private sealed class Step(Interpreter interpreter, InstanceState original, string actor)
    {
        private readonly List<Effect> _effects = [];
        private readonly Queue<(string NodeId, Guid? ScopeTokenId, string? Via)> _arrivals = new();
        private int _moves;

        public InstanceState State { get; } = original.Clone();

        private ProcessDefinition Definition => interpreter.Definition;

        private IExecutionEnvironment Environment => interpreter.Environment;

        public void Add(Effect effect) => _effects.Add(effect);

        public void Journal(string kind, string? elementId, JsonObject? data) => _effects.Add(new JournalEntry(kind, elementId, actor, data));

        public StepResult Finish()
        {
            if (State.IsEnded)
                return new StepResult(State, _effects);
            Drain();
            return new StepResult(State, _effects);
        }

        public void SetVariables(JsonObject variables)
        {
            if (variables.Count == 0)
                return;
            var changed = new JsonObject();
            foreach (var (name, value) in variables)
            {
                State.Variables[name] = value?.DeepClone();
                changed[name] = value?.DeepClone();
            }
            Journal("variables.changed", null, changed);
        }

        public Token ServiceTaskToken(Guid tokenId)
        {
            var token = State.TokenOf(tokenId);
            if (token is null || Definition.Node(token.ElementId) is not ServiceTask)
                throw new EngineRefusal(RefusalKind.NotFound, "no service task waits for this", "没有服务任务在等待");
            return token;
        }

        public void RaiseIncident(Token token, string message)
        {
            if (token.Incident is { } existing)
            {
                existing.Attempts++;
                existing.Message = message;
                existing.RaisedAt = Environment.Now;
            }
            else
            {
                token.Incident = new Incident
                {
                    Id = Environment.NewId(), TokenId = token.Id, ElementId = token.ElementId, Message = message, RaisedAt = Environment.Now,
                };
            }
            Add(new IncidentRaised(token.Incident));
            Journal("incident.raised", token.ElementId, new JsonObject
            {
                ["incidentId"] = token.Incident.Id.ToString(), ["message"] = message, ["attempts"] = token.Incident.Attempts,
            });
        }

        public void ArriveAgain(Token token)
        {
            CancelWaits(token, token.Waits.ToList());
            State.Tokens.Remove(token);
            Add(new IncidentResolved(token.Incident!.Id, actor));
            Journal("incident.resolved", token.ElementId, new JsonObject { ["incidentId"] = token.Incident.Id.ToString() });
            Arrive(token.ElementId, token.ScopeTokenId, token.ArrivedVia);
        }

        /// <summary>A token's activity is done: its boundary events stop waiting and it leaves by its outgoing flows.</summary>
        public void LeaveActivity(Token token)
        {
            CancelWaits(token, token.Waits.ToList());
            State.Tokens.Remove(token);
            Leave(Definition.Node(token.ElementId), token.ScopeTokenId);
            Drain();
        }

        public void EventOccurred(Token token, Wait wait, JsonObject? variables)
        {
            var node = Definition.Node(wait.EventId);
            if (wait.Kind == WaitKind.Timer)
            {
                Add(new TimerFired(wait.Id));
                Journal("timer.fired", node.Id, new JsonObject { ["timerId"] = wait.Id.ToString(), ["dueAt"] = wait.DueAt });
            }
            else
            {
                Journal("message.correlated", node.Id, new JsonObject
                {
                    ["subscriptionId"] = wait.Id.ToString(), ["messageName"] = wait.MessageName, ["correlationKey"] = wait.CorrelationKey,
                });
                Add(new MessageUnsubscribed(wait.Id));
            }
            token.Waits.Remove(wait);
            if (variables is not null)
                SetVariables(variables);

            switch (node)
            {
                case IntermediateCatchEvent:
                    CancelWaits(token, token.Waits.ToList());
                    State.Tokens.Remove(token);
                    Leave(node, token.ScopeTokenId);
                    break;
                case BoundaryEvent { CancelActivity: true }:
                    Journal("activity.interrupted", token.ElementId, new JsonObject { ["by"] = node.Id });
                    CancelToken(token, $"interrupted by {node.Id}");
                    Arrive(node.Id, token.ScopeTokenId, null);
                    break;
                case BoundaryEvent boundary:
                    if (wait.Kind == WaitKind.Timer)
                        RearmRepeatingTimer(token, boundary, wait);
                    else
                        AddWait(token, boundary.Id, boundary.Trigger); // a non-interrupting message event keeps listening
                    Arrive(node.Id, token.ScopeTokenId, null);
                    break;
                default:
                    throw new InvalidOperationException($"'{node.Id}' ({node.Kind}) cannot wait for events");
            }
            Drain();
        }

        /// <summary>Arrives at a node by a flow (or as a start/boundary event); the work queue runs it.</summary>
        public void Arrive(string nodeId, Guid? scopeTokenId, string? via)
        {
            _arrivals.Enqueue((nodeId, scopeTokenId, via));
            Drain();
        }

        private void Drain()
        {
            do
            {
                while (_arrivals.TryDequeue(out var arrival) && !State.IsEnded)
                    Enter(arrival.NodeId, arrival.ScopeTokenId, arrival.Via);
            }
            while (!State.IsEnded && ReleaseInclusiveJoins());
        }

        private void Enter(string nodeId, Guid? scopeTokenId, string? via)
        {
            if (++_moves > MaxMovesPerCommand)
                throw new EngineRefusal(RefusalKind.Conflict,
                    $"the process entered more than {MaxMovesPerCommand} elements without waiting (a loop without a task or event?)",
                    $"流程在无等待的情况下进入了超过 {MaxMovesPerCommand} 个元素（可能是没有任务或事件的循环）");
            var node = Definition.Node(nodeId);
            Journal("element.entered", node.Id, via is null ? null : new JsonObject { ["via"] = via });
            switch (node)
            {
                case StartEvent or BoundaryEvent:
                    Leave(node, scopeTokenId);
                    break;
                case EndEvent end:
                    Journal("element.left", node.Id, null);
                    if (end.Terminate)
                        Terminate(scopeTokenId, $"terminate end event {end.Id}");
                    else
                        CompleteScopeIfEmpty(scopeTokenId);
                    break;
                case ParallelGateway gateway when gateway.Incoming.Count > 1:
                    NewToken(node, scopeTokenId, TokenState.Joining, via);
                    JoinParallel(gateway, scopeTokenId);
                    break;
                case ParallelGateway:
                    Leave(node, scopeTokenId);
                    break;
                case InclusiveGateway gateway when gateway.Incoming.Count > 1:
                    NewToken(node, scopeTokenId, TokenState.Joining, via); // released by ReleaseInclusiveJoins
                    break;
                case InclusiveGateway gateway:
                    SplitInclusive(gateway, scopeTokenId, via);
                    break;
                case ExclusiveGateway gateway:
                    SplitExclusive(gateway, scopeTokenId, via);
                    break;
                case UserTask task:
                {
                    var token = NewToken(node, scopeTokenId, TokenState.Waiting, via);
                    token.TaskId = Environment.NewId();
                    var organisation = OrganisationFor(task);
                    var due = task.Due is null ? null : Environment.DueAt(task.Due, State, Environment.Now);
                    Add(new TaskCreated(token.TaskId.Value, token.Id, task, organisation, due));
                    Journal("task.created", task.Id, new JsonObject
                    {
                        ["taskId"] = token.TaskId.Value.ToString(), ["organisation"] = organisation,
                        ["candidateGroups"] = new JsonArray(task.CandidateGroups.Select(g => (JsonNode?)g).ToArray()), ["dueAt"] = due,
                    });
                    ArmBoundaryEvents(token);
                    break;
                }
                case ServiceTask service:
                {
                    var token = NewToken(node, scopeTokenId, TokenState.Waiting, via);
                    ArmBoundaryEvents(token);
                    Add(new HandlerRequested(token.Id, service.Id, service.Handler));
                    break;
                }
                case SubProcess subProcess:
                {
                    var token = NewToken(node, scopeTokenId, TokenState.Waiting, via);
                    ArmBoundaryEvents(token);
                    _arrivals.Enqueue((Definition.NoneStartEvent(subProcess.Id).Id, token.Id, null));
                    break;
                }
                case CallActivity call:
                {
                    var token = NewToken(node, scopeTokenId, TokenState.Waiting, via);
                    token.ChildInstanceId = Environment.NewId();
                    ArmBoundaryEvents(token);
                    Add(new ChildInstanceRequested(token.ChildInstanceId.Value, token.Id, call.Id, call.CalledElement,
                        (JsonObject)State.Variables.DeepClone()));
                    Journal("call.started", call.Id, new JsonObject
                    {
                        ["childInstanceId"] = token.ChildInstanceId.Value.ToString(), ["calledElement"] = call.CalledElement,
                    });
                    break;
                }
                case IntermediateCatchEvent catchEvent:
                {
                    var token = NewToken(node, scopeTokenId, TokenState.Waiting, via);
                    AddWait(token, catchEvent.Id, catchEvent.Trigger);
                    break;
                }
                default:
                    throw new InvalidOperationException($"'{node.Id}' ({node.Kind}) is not executable");
            }
        }

        private Token NewToken(FlowNode node, Guid? scopeTokenId, TokenState state, string? via)
        {
            var token = new Token
            {
                Id = Environment.NewId(), ElementId = node.Id, ScopeTokenId = scopeTokenId, State = state, ArrivedVia = via,
                EnteredAt = Environment.Now,
            };
            State.Tokens.Add(token);
            return token;
        }

        /// <summary>Leaves a node by all its outgoing flows (a plain node with several flows forks, as BPMN says).</summary>
        private void Leave(FlowNode node, Guid? scopeTokenId) => Take(node, Definition.OutgoingFlows(node).ToList(), scopeTokenId);

        private void Take(FlowNode node, IReadOnlyList<SequenceFlow> flows, Guid? scopeTokenId)
        {
            Journal("element.left", node.Id, node is ExclusiveGateway or InclusiveGateway
                ? new JsonObject { ["flows"] = new JsonArray(flows.Select(f => (JsonNode?)f.Id).ToArray()) }
                : null);
            foreach (var flow in flows)
                _arrivals.Enqueue((flow.TargetId, scopeTokenId, flow.Id));
        }

        private void SplitExclusive(ExclusiveGateway gateway, Guid? scopeTokenId, string? via)
        {
            var flows = Definition.OutgoingFlows(gateway).ToList();
            try
            {
                var chosen = flows.FirstOrDefault(f => f.Id != gateway.DefaultFlowId && Holds(f))
                    ?? (gateway.DefaultFlowId is { } d ? Definition.Flow(d) : null);
                if (chosen is null)
                    throw new ConditionException($"no outgoing flow of '{gateway.Id}' has a true condition and there is no default flow");
                Take(gateway, [chosen], scopeTokenId);
            }
            catch (ConditionException e)
            {
                Stuck(gateway, scopeTokenId, via, e.Message);
            }
        }

        private void SplitInclusive(InclusiveGateway gateway, Guid? scopeTokenId, string? via)
        {
            var flows = Definition.OutgoingFlows(gateway).ToList();
            try
            {
                var chosen = flows.Where(f => f.Id != gateway.DefaultFlowId && Holds(f)).ToList();
                if (chosen.Count == 0 && gateway.DefaultFlowId is { } d)
                    chosen.Add(Definition.Flow(d));
                if (chosen.Count == 0)
                    throw new ConditionException($"no outgoing flow of '{gateway.Id}' has a true condition and there is no default flow");
                Take(gateway, chosen, scopeTokenId);
            }
            catch (ConditionException e)
            {
                Stuck(gateway, scopeTokenId, via, e.Message);
            }
        }

        /// <summary>A flow without a condition always holds; a condition is evaluated over the instance's variables.</summary>
        private bool Holds(SequenceFlow flow) =>
            flow.Condition is null || Condition(flow.Condition).Evaluate(State.Variables.ToDictionary(p => p.Key, p => p.Value));

        private void Stuck(FlowNode gateway, Guid? scopeTokenId, string? via, string message)
        {
            var token = NewToken(gateway, scopeTokenId, TokenState.Stuck, via);
            RaiseIncident(token, message);
        }

        private void JoinParallel(ParallelGateway gateway, Guid? scopeTokenId)
        {
            var waiting = State.Tokens.Where(t => t.ElementId == gateway.Id && t.ScopeTokenId == scopeTokenId && t.State == TokenState.Joining).ToList();
            var consumed = new List<Token>();
            foreach (var flowId in gateway.Incoming)
            {
                var arrived = waiting.FirstOrDefault(t => t.ArrivedVia == flowId);
                if (arrived is null)
                    return;
                consumed.Add(arrived);
            }
            foreach (var token in consumed)
                State.Tokens.Remove(token);
            Journal("gateway.joined", gateway.Id, new JsonObject { ["branches"] = consumed.Count });
            Leave(gateway, scopeTokenId);
        }

        /// <summary>
        /// An inclusive join fires when no other token of its scope can still reach it. Returns true when one fired
        /// (its outgoing arrivals are queued).
        /// </summary>
        private bool ReleaseInclusiveJoins()
        {
            var joins = State.Tokens.Where(t => t.State == TokenState.Joining && Definition.Node(t.ElementId) is InclusiveGateway)
                .GroupBy(t => (t.ElementId, t.ScopeTokenId)).ToList();
            foreach (var join in joins)
            {
                var gateway = (InclusiveGateway)Definition.Node(join.Key.ElementId);
                var arrived = join.Select(t => t.ArrivedVia).ToHashSet();
                var complete = gateway.Incoming.All(arrived.Contains);
                var someoneStillComing = !complete && State.Tokens.Any(t =>
                    t.ScopeTokenId == join.Key.ScopeTokenId && t.ElementId != gateway.Id && interpreter.CanReach(t.ElementId, gateway.Id));
                if (someoneStillComing)
                    continue;
                // One token per arrived flow is consumed; a second arrival by the same flow waits for the next round.
                foreach (var flowId in arrived)
                    State.Tokens.Remove(join.First(t => t.ArrivedVia == flowId));
                Journal("gateway.joined", gateway.Id, new JsonObject { ["branches"] = arrived.Count });
                SplitInclusive(gateway, join.Key.ScopeTokenId, null);
                return true;
            }
            return false;
        }

        private string OrganisationFor(UserTask task) =>
            task.OrganisationVariable is { } name && State.Variables[name] is JsonValue value && value.TryGetValue<string>(out var organisation)
                && !string.IsNullOrWhiteSpace(organisation)
                ? organisation
                : State.Organisation;

        private void ArmBoundaryEvents(Token token)
        {
            foreach (var boundary in Definition.BoundaryEventsOf(token.ElementId))
                AddWait(token, boundary.Id, boundary.Trigger);
        }

        private void AddWait(Token token, string eventId, EventTrigger trigger)
        {
            var now = Environment.Now;
            switch (trigger)
            {
                case TimerTrigger timer:
                {
                    var due = timer.Schedule is { } schedule
                        ? schedule.NextAfter(now)
                        : Environment.DueAt(timer.Binding!, State, now);
                    var wait = new Wait { Id = Environment.NewId(), Kind = WaitKind.Timer, EventId = eventId, DueAt = due };
                    token.Waits.Add(wait);
                    ArmOrReport(token, wait, timer);
                    break;
                }
                case MessageTrigger message:
                {
                    var key = CorrelationKey(message);
                    var wait = new Wait
                    {
                        Id = Environment.NewId(), Kind = WaitKind.Message, EventId = eventId, MessageName = message.MessageName, CorrelationKey = key,
                    };
                    token.Waits.Add(wait);
                    Add(new MessageSubscribed(wait.Id, token.Id, eventId, message.MessageName, key));
                    Journal("message.waiting", eventId, new JsonObject
                    {
                        ["subscriptionId"] = wait.Id.ToString(), ["messageName"] = message.MessageName, ["correlationKey"] = key,
                    });
                    break;
                }
            }
        }

        private void ArmOrReport(Token token, Wait wait, TimerTrigger timer)
        {
            if (wait.DueAt is { } due)
            {
                Add(new TimerArmed(wait.Id, token.Id, wait.EventId, due));
                Journal("timer.armed", wait.EventId, new JsonObject
                {
                    ["timerId"] = wait.Id.ToString(), ["dueAt"] = due, ["timer"] = timer.Describe(),
                });
            }
            else
            {
                // A clock that is paused has no due date; the timer is armed when the clock runs again.
                Journal("timer.waiting", wait.EventId, new JsonObject { ["timerId"] = wait.Id.ToString(), ["timer"] = timer.Describe() });
            }
        }

        private void RearmRepeatingTimer(Token token, BoundaryEvent boundary, Wait fired)
        {
            var timer = (TimerTrigger)boundary.Trigger;
            if (timer.Schedule is not { IsRepeating: true } schedule)
                return;
            var next = schedule.NextAfter(Environment.Now, fired.DueAt, fired.FiredCount + 1);
            if (next is null)
                return;
            var wait = new Wait { Id = Environment.NewId(), Kind = WaitKind.Timer, EventId = boundary.Id, DueAt = next, FiredCount = fired.FiredCount + 1 };
            token.Waits.Add(wait);
            ArmOrReport(token, wait, timer);
        }

        /// <summary>The correlation key: the variable (or dotted path) named by the event, else the business key.</summary>
        private string CorrelationKey(MessageTrigger message)
        {
            if (message.CorrelationKeyExpression is not { } path)
                return State.BusinessKey ?? "";
            JsonNode? node = State.Variables;
            foreach (var part in path.Trim().Split('.'))
                node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
            return node switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
        }

        private void CancelWaits(Token token, IReadOnlyList<Wait> waits)
        {
            foreach (var wait in waits)
            {
                token.Waits.Remove(wait);
                if (wait.Kind == WaitKind.Timer)
                {
                    Add(new TimerCancelled(wait.Id));
                    Journal("timer.cancelled", wait.EventId, new JsonObject { ["timerId"] = wait.Id.ToString() });
                }
                else
                {
                    Add(new MessageUnsubscribed(wait.Id));
                    Journal("message.unsubscribed", wait.EventId, new JsonObject { ["subscriptionId"] = wait.Id.ToString() });
                }
            }
        }

        /// <summary>Removes a token and everything it holds: waits, task, child instance, incident, inner tokens.</summary>
        private void CancelToken(Token token, string reason)
        {
            foreach (var inner in State.Tokens.Where(t => t.ScopeTokenId == token.Id).ToList())
                CancelToken(inner, reason);
            CancelWaits(token, token.Waits.ToList());
            if (token.TaskId is { } taskId)
            {
                Add(new TaskCancelled(taskId, reason));
                Journal("task.cancelled", token.ElementId, new JsonObject { ["taskId"] = taskId.ToString(), ["reason"] = reason });
            }
            if (token.ChildInstanceId is { } child)
                Add(new ChildInstanceCancelled(child));
            if (token.Incident is { } incident)
                Add(new IncidentResolved(incident.Id, actor));
            State.Tokens.Remove(token);
            DropArrivalsIn(token.Id);
            Journal("element.cancelled", token.ElementId, new JsonObject { ["reason"] = reason });
        }

        private void DropArrivalsIn(Guid scopeTokenId)
        {
            var kept = _arrivals.Where(a => a.ScopeTokenId != scopeTokenId).ToList();
            _arrivals.Clear();
            foreach (var arrival in kept)
                _arrivals.Enqueue(arrival);
        }

        /// <summary>Ends every token of a scope; at process level the instance is terminated.</summary>
        public void Terminate(Guid? scopeTokenId, string reason)
        {
            foreach (var token in State.Tokens.Where(t => t.ScopeTokenId == scopeTokenId).ToList())
                CancelToken(token, reason);
            if (scopeTokenId is { } scope)
                DropArrivalsIn(scope);
            if (scopeTokenId is null)
            {
                _arrivals.Clear();
                State.Status = InstanceStatus.Terminated;
                Journal("instance.terminated", null, new JsonObject { ["reason"] = reason });
                Add(new InstanceEnded(InstanceStatus.Terminated));
            }
            else
            {
                CompleteScopeIfEmpty(scopeTokenId);
            }
        }

        /// <summary>When no token is left in a scope, the sub-process completes (or, at process level, the instance).</summary>
        private void CompleteScopeIfEmpty(Guid? scopeTokenId)
        {
            if (State.Tokens.Any(t => t.ScopeTokenId == scopeTokenId) || _arrivals.Any(a => a.ScopeTokenId == scopeTokenId))
                return;
            if (scopeTokenId is null)
            {
                State.Status = InstanceStatus.Completed;
                Journal("instance.completed", null, null);
                Add(new InstanceEnded(InstanceStatus.Completed));
                return;
            }
            var subProcess = State.TokenOf(scopeTokenId.Value);
            if (subProcess is null)
                return;
            CancelWaits(subProcess, subProcess.Waits.ToList());
            State.Tokens.Remove(subProcess);
            Leave(Definition.Node(subProcess.ElementId), subProcess.ScopeTokenId);
        }

        public void ClockMoved(string clockName, ClockTimes times, string reason)
        {
            var dueAt = times.DueAt;
            foreach (var token in State.Tokens)
            {
                if (token.TaskId is { } taskId && Definition.Node(token.ElementId) is UserTask { Due.ClockName: { } taskClock } && taskClock == clockName)
                {
                    Add(new TaskDueChanged(taskId, dueAt));
                    Journal("task.due-changed", token.ElementId, new JsonObject
                    {
                        ["taskId"] = taskId.ToString(), ["clock"] = clockName, ["dueAt"] = dueAt, ["reason"] = reason,
                    });
                }
                foreach (var wait in token.Waits.Where(w => w.Kind == WaitKind.Timer).ToList())
                {
                    var trigger = Definition.Node(wait.EventId) switch
                    {
                        IntermediateCatchEvent { Trigger: TimerTrigger t } => t,
                        BoundaryEvent { Trigger: TimerTrigger t } => t,
                        _ => null,
                    };
                    if (trigger?.Binding is not { ClockName: { } bound } binding || bound != clockName)
                        continue;
                    var at = times.At(binding.Point);
                    if (wait.DueAt == at)
                        continue;
                    token.Waits.Remove(wait);
                    if (wait.DueAt is not null)
                        Add(new TimerCancelled(wait.Id));
                    var moved = new Wait { Id = Environment.NewId(), Kind = WaitKind.Timer, EventId = wait.EventId, DueAt = at, FiredCount = wait.FiredCount };
                    token.Waits.Add(moved);
                    Journal("timer.rescheduled", wait.EventId, new JsonObject
                    {
                        ["timerId"] = wait.Id.ToString(), ["newTimerId"] = moved.Id.ToString(), ["clock"] = clockName,
                        ["dueBefore"] = wait.DueAt, ["dueAfter"] = at, ["reason"] = reason,
                    });
                    ArmOrReport(token, moved, trigger);
                }
            }
        }

        public void MigrateTo(int toVersion, MigrationPlan plan)
        {
            var fromVersion = State.Version;
            foreach (var token in State.Tokens)
            {
                var target = Definition.Node(plan.TargetOf(token.ElementId));
                token.ElementId = target.Id;
                if (token.TaskId is { } taskId && target is UserTask task)
                    Add(new TaskMoved(taskId, task));
                if (target is not Activity)
                    continue;
                // Boundary waits survive when the new version has a boundary event of the same kind under the mapped id.
                var boundaries = Definition.BoundaryEventsOf(target.Id);
                foreach (var wait in token.Waits.ToList())
                {
                    var mappedId = plan.TargetOf(wait.EventId);
                    var kept = boundaries.FirstOrDefault(b => b.Id == mappedId && KindOf(b.Trigger) == wait.Kind);
                    if (kept is null)
                        CancelWaits(token, [wait]);
                    else
                        wait.EventId = kept.Id;
                }
                foreach (var boundary in boundaries.Where(b => token.Waits.All(w => w.EventId != b.Id)))
                    AddWait(token, boundary.Id, boundary.Trigger);
            }
            State.Version = toVersion;
            Add(new InstanceMigrated(fromVersion, toVersion));
            Journal("instance.migrated", null, new JsonObject { ["fromVersion"] = fromVersion, ["toVersion"] = toVersion });
        }

        private static WaitKind KindOf(EventTrigger trigger) => trigger is TimerTrigger ? WaitKind.Timer : WaitKind.Message;
    }

    private readonly ConcurrentDictionary<(string From, string To), bool> _reachability = new();

    /// <summary>Whether a token at <paramref name="fromId"/> can still arrive at <paramref name="toId"/> (same scope, boundary paths included).</summary>
    internal bool CanReach(string fromId, string toId) => _reachability.GetOrAdd((fromId, toId), key =>
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(key.From);
        while (pending.TryPop(out var id))
        {
            if (!seen.Add(id))
                continue;
            var node = definition.Node(id);
            foreach (var flow in definition.OutgoingFlows(node))
            {
                if (flow.TargetId == key.To)
                    return true;
                pending.Push(flow.TargetId);
            }
            foreach (var boundary in definition.BoundaryEventsOf(id))
                pending.Push(boundary.Id);
        }
        return false;
    });
}
