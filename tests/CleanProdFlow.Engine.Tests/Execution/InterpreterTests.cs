using System.Text.Json.Nodes;
using CleanProdFlow.Engine.Execution;
using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Tests.Execution;

public sealed class InterpreterTests
{
    private readonly FakeEnvironment _environment = new();

    private (Interpreter Interpreter, StepResult Result) Start(ProcessDefinition definition, JsonObject? variables = null, string? businessKey = "case-1")
    {
        var interpreter = new Interpreter(definition, _environment);
        var result = interpreter.Start(new NewInstance(Guid.NewGuid(), 1, businessKey, "suzhou", variables ?? [], "acceptance.suzhou"));
        return (interpreter, result);
    }

    private static Guid TaskOf(StepResult result, string elementId) =>
        result.Effects.OfType<TaskCreated>().Last(t => t.Element.Id == elementId).TaskId;

    private static Guid OpenTask(InstanceState state, string elementId) =>
        state.Tokens.Single(t => t.ElementId == elementId && t.TaskId is not null).TaskId!.Value;

    private static Guid TimerOf(InstanceState state, string eventId) =>
        state.Tokens.SelectMany(t => t.Waits).Single(w => w.EventId == eventId && w.Kind == WaitKind.Timer).Id;

    private static StepResult Complete(Interpreter interpreter, StepResult previous, string elementId, string? outcome = null, JsonObject? variables = null) =>
        interpreter.CompleteTask(previous.State, OpenTask(previous.State, elementId), "review.suzhou", outcome, variables ?? []);

    [Fact]
    public void A_sequence_creates_the_task_and_completing_it_completes_the_instance()
    {
        var definition = new ProcessBuilder().Start().Task("review").End().Chain("start", "review", "end").Build();
        var (interpreter, started) = Start(definition);

        var created = Assert.Single(started.Effects.OfType<TaskCreated>());
        Assert.Equal("review", created.Element.Id);
        Assert.Equal("suzhou", created.Organisation);
        Assert.Equal(["review"], started.State.ActiveElementIds);
        Assert.Equal(InstanceStatus.Running, started.State.Status);

        var done = Complete(interpreter, started, "review");

        Assert.Equal(InstanceStatus.Completed, done.State.Status);
        Assert.Empty(done.State.Tokens);
        Assert.Contains(done.Effects, e => e is TaskCompleted c && c.TaskId == created.TaskId);
        Assert.Contains(done.Effects, e => e is InstanceEnded { Status: InstanceStatus.Completed });
        var kinds = done.Effects.OfType<JournalEntry>().Select(j => j.Kind).ToList();
        Assert.Equal(["task.completed", "element.left", "element.entered", "element.left", "instance.completed"],
            kinds.Where(k => k != "variables.changed").ToList());
    }

    [Fact]
    public void The_state_passed_in_is_never_changed_and_survives_a_json_round_trip()
    {
        var definition = new ProcessBuilder().Start().Task("review").End().Chain("start", "review", "end").Build();
        var (interpreter, started) = Start(definition);
        var before = started.State.ToJson();

        var copy = InstanceState.FromJson(before);
        Complete(interpreter, started, "review");

        Assert.Equal(before, started.State.ToJson());
        Assert.Equal(before, copy.ToJson());
    }

    [Theory]
    [InlineData(30, "big")]
    [InlineData(5, "small")]
    [InlineData(10, "other")]
    public void An_exclusive_gateway_takes_the_first_true_flow_or_the_default(int amount, string expected)
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ExclusiveGateway("choice", null) { DefaultFlowId = "to-other" })
            .Task("big").Task("small").Task("other").End("e1").End("e2").End("e3")
            .Flow("start", "choice")
            .Flow("choice", "big", "${amount > 20}").Flow("choice", "small", "amount < 8").Flow("choice", "other", id: "to-other")
            .Chain("big", "e1").Chain("small", "e2").Chain("other", "e3")
            .Build();

        var (_, started) = Start(definition, new JsonObject { ["amount"] = amount });

        Assert.Equal([expected], started.State.ActiveElementIds);
        var left = started.Effects.OfType<JournalEntry>().Single(j => j.Kind == "element.left" && j.ElementId == "choice");
        Assert.Single(left.Data!["flows"]!.AsArray());
    }

    [Fact]
    public void An_exclusive_gateway_with_no_true_flow_and_no_default_raises_an_incident_and_keeps_the_token()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ExclusiveGateway("choice", null)).Task("a").Task("b").End("e1").End("e2")
            .Flow("start", "choice").Flow("choice", "a", "x == 1").Flow("choice", "b", "x == 2")
            .Chain("a", "e1").Chain("b", "e2")
            .Build();

        var (interpreter, started) = Start(definition, new JsonObject { ["x"] = 3 });

        var incident = Assert.Single(started.State.Incidents);
        Assert.Equal("choice", incident.ElementId);
        Assert.Contains("no outgoing flow", incident.Message);
        Assert.Equal(TokenState.Stuck, started.State.Tokens.Single().State);
        Assert.Contains(started.Effects, e => e is IncidentRaised);

        // Retrying re-evaluates: still no flow, so the incident is raised again (a new one, since the token arrives anew).
        var retried = interpreter.RetryIncident(started.State, incident.Id, "admin.province");
        Assert.Single(retried.State.Incidents);
        Assert.Contains(retried.Effects, e => e is IncidentResolved r && r.IncidentId == incident.Id);
    }

    [Fact]
    public void A_condition_that_fails_at_run_time_is_an_incident_not_an_exception()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ExclusiveGateway("choice", null) { DefaultFlowId = "d" }).Task("a").End("e1")
            .Flow("start", "choice").Flow("choice", "a", "missing.field > 1").Flow("choice", "e1", id: "d").Chain("a", "e1")
            .Build();

        var (_, started) = Start(definition);

        var incident = Assert.Single(started.State.Incidents);
        Assert.Equal("choice", incident.ElementId);
    }

    [Fact]
    public void A_parallel_fork_creates_every_branch_and_the_join_waits_for_all()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ParallelGateway("fork", null)).Node(new ParallelGateway("join", null))
            .Task("a").Task("b").Task("c").Task("after").End()
            .Flow("start", "fork").Flow("fork", "a").Flow("fork", "b").Flow("fork", "c")
            .Flow("a", "join").Flow("b", "join").Flow("c", "join").Chain("join", "after", "end")
            .Build();
        var (interpreter, started) = Start(definition);
        Assert.Equal(3, started.Effects.OfType<TaskCreated>().Count());

        var one = Complete(interpreter, started, "b");
        var two = Complete(interpreter, one, "a");
        Assert.DoesNotContain("after", two.State.ActiveElementIds);
        Assert.Equal(2, two.State.Tokens.Count(t => t.State == TokenState.Joining));

        var three = Complete(interpreter, two, "c");
        Assert.Equal(["after"], three.State.ActiveElementIds);
        Assert.Contains(three.Effects, e => e is JournalEntry { Kind: "gateway.joined", ElementId: "join" });
    }

    [Fact]
    public void Nested_forks_and_joins_complete_in_any_order()
    {
        // fork1 → (fork2 → a, b → join2), c → join1 → after
        var definition = new ProcessBuilder()
            .Start().Node(new ParallelGateway("fork1", null)).Node(new ParallelGateway("fork2", null))
            .Node(new ParallelGateway("join2", null)).Node(new ParallelGateway("join1", null))
            .Task("a").Task("b").Task("c").Task("after").End()
            .Flow("start", "fork1").Flow("fork1", "fork2").Flow("fork1", "c").Flow("fork2", "a").Flow("fork2", "b")
            .Flow("a", "join2").Flow("b", "join2").Flow("join2", "join1").Flow("c", "join1").Chain("join1", "after", "end")
            .Build();

        foreach (var order in new[] { new[] { "a", "b", "c" }, ["c", "b", "a"], ["b", "c", "a"] })
        {
            var (interpreter, state) = Start(definition);
            foreach (var task in order)
                state = Complete(interpreter, state, task);
            Assert.Equal(["after"], state.State.ActiveElementIds);
            Assert.Single(state.State.Tokens);
        }
    }

    [Fact]
    public void An_inclusive_gateway_activates_the_true_branches_and_its_join_waits_only_for_them()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new InclusiveGateway("split", null) { DefaultFlowId = "to-c" }).Node(new InclusiveGateway("join", null))
            .Task("a").Task("b").Task("c").Task("after").End()
            .Flow("start", "split").Flow("split", "a", "needsA").Flow("split", "b", "needsB").Flow("split", "c", id: "to-c")
            .Flow("a", "join").Flow("b", "join").Flow("c", "join").Chain("join", "after", "end")
            .Build();
        var (interpreter, started) = Start(definition, new JsonObject { ["needsA"] = true, ["needsB"] = true });
        Assert.Equal(["a", "b"], started.State.ActiveElementIds.Order().ToList());

        var one = Complete(interpreter, started, "a");
        Assert.DoesNotContain("after", one.State.ActiveElementIds);
        var two = Complete(interpreter, one, "b");
        Assert.Equal(["after"], two.State.ActiveElementIds);

        // Nothing true: the default flow alone, and the join goes on after it.
        var (interpreter2, onlyDefault) = Start(definition, new JsonObject { ["needsA"] = false, ["needsB"] = false });
        Assert.Equal(["c"], onlyDefault.State.ActiveElementIds);
        Assert.Equal(["after"], Complete(interpreter2, onlyDefault, "c").State.ActiveElementIds);
    }

    [Fact]
    public void An_intermediate_timer_is_armed_and_firing_it_moves_on()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new IntermediateCatchEvent("wait", null, ProcessBuilder.Timer(TimerKind.Duration, "P3D"))).Task("after").End()
            .Chain("start", "wait", "after", "end")
            .Build();
        var (interpreter, started) = Start(definition);

        var armed = Assert.Single(started.Effects.OfType<TimerArmed>());
        Assert.Equal(_environment.Now.AddDays(3), armed.DueAt);

        var fired = interpreter.FireTimer(started.State, armed.TimerId);
        Assert.Equal(["after"], fired.State.ActiveElementIds);
        Assert.Contains(fired.Effects, e => e is TimerFired f && f.TimerId == armed.TimerId);

        // A second delivery of the same timer finds nothing waiting: refused, nothing changes.
        var again = Assert.Throws<EngineRefusal>(() => interpreter.FireTimer(fired.State, armed.TimerId));
        Assert.Equal(RefusalKind.NotFound, again.Kind);
    }

    [Fact]
    public void An_interrupting_boundary_timer_cancels_the_task_and_takes_the_escalation_path()
    {
        var definition = new ProcessBuilder()
            .Start().Task("review").Task("escalate").End("e1").End("e2")
            .Node(new BoundaryEvent("late", null, "review", ProcessBuilder.Timer(TimerKind.Duration, "P5D")))
            .Chain("start", "review", "e1").Chain("late", "escalate", "e2")
            .Build();
        var (interpreter, started) = Start(definition);
        var task = TaskOf(started, "review");

        var fired = interpreter.FireTimer(started.State, TimerOf(started.State, "late"));

        Assert.Contains(fired.Effects, e => e is TaskCancelled c && c.TaskId == task);
        Assert.Equal(["escalate"], fired.State.ActiveElementIds);
        Assert.Throws<EngineRefusal>(() => interpreter.CompleteTask(fired.State, task, "review.suzhou", null, []));
    }

    [Fact]
    public void A_non_interrupting_cycle_reminds_each_time_and_stops_after_its_repetitions()
    {
        var definition = new ProcessBuilder()
            .Start().Task("review").Task("remind").End("e1").End("e2")
            .Node(new BoundaryEvent("reminder", null, "review", ProcessBuilder.Timer(TimerKind.Cycle, "R2/PT1H")) { CancelActivity = false })
            .Chain("start", "review", "e1").Chain("reminder", "remind", "e2")
            .Build();
        var (interpreter, state) = Start(definition);

        _environment.Now = _environment.Now.AddHours(1);
        state = interpreter.FireTimer(state.State, TimerOf(state.State, "reminder"));
        Assert.Equal(1, state.State.Tokens.Count(t => t.ElementId == "review"));
        Assert.Single(state.State.Tokens, t => t.ElementId == "remind");
        var rearmed = Assert.Single(state.Effects.OfType<TimerArmed>());
        Assert.Equal(_environment.Now.AddHours(1), rearmed.DueAt);

        _environment.Now = _environment.Now.AddHours(1);
        state = interpreter.FireTimer(state.State, rearmed.TimerId);
        Assert.Equal(2, state.State.Tokens.Count(t => t.ElementId == "remind"));
        Assert.Empty(state.Effects.OfType<TimerArmed>());
        Assert.DoesNotContain(state.State.Tokens.SelectMany(t => t.Waits), w => w.Kind == WaitKind.Timer);

        // Completing the task ends the reviewer's branch; the reminders are separate tasks.
        state = Complete(interpreter, state, "review");
        Assert.Equal(["remind"], state.State.ActiveElementIds);
    }

    [Fact]
    public void A_message_catch_waits_under_its_correlation_key_and_brings_its_variables()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new IntermediateCatchEvent("corrected", null, new MessageTrigger("materials.corrected") { CorrelationKeyExpression = "application.caseNumber" }))
            .Task("review").End()
            .Chain("start", "corrected", "review", "end")
            .Build();
        var (interpreter, started) = Start(definition, new JsonObject { ["application"] = new JsonObject { ["caseNumber"] = "苏环审〔2026〕12号" } });

        var subscribed = Assert.Single(started.Effects.OfType<MessageSubscribed>());
        Assert.Equal("materials.corrected", subscribed.MessageName);
        Assert.Equal("苏环审〔2026〕12号", subscribed.CorrelationKey);

        var correlated = interpreter.CorrelateMessage(started.State, subscribed.SubscriptionId, "acceptance.suzhou", new JsonObject { ["pages"] = 12 });
        Assert.Equal(["review"], correlated.State.ActiveElementIds);
        Assert.Equal(12, correlated.State.Variables["pages"]!.GetValue<int>());
        Assert.Contains(correlated.Effects, e => e is JournalEntry { Kind: "message.correlated" });
    }

    [Fact]
    public void Without_an_expression_the_business_key_correlates()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new IntermediateCatchEvent("m", null, new MessageTrigger("revoked"))).End()
            .Chain("start", "m", "end").Build();

        var (_, started) = Start(definition, businessKey: "EIA-2026-0001");

        Assert.Equal("EIA-2026-0001", Assert.Single(started.Effects.OfType<MessageSubscribed>()).CorrelationKey);
    }

    [Fact]
    public void A_non_interrupting_message_boundary_keeps_listening_and_an_interrupting_one_ends_the_activity()
    {
        var definition = new ProcessBuilder()
            .Start().Task("review").Task("note").Task("fallback").End("e1").End("e2").End("e3")
            .Node(new BoundaryEvent("info", null, "review", new MessageTrigger("info")) { CancelActivity = false })
            .Node(new BoundaryEvent("revoked", null, "review", new MessageTrigger("revoked")))
            .Chain("start", "review", "e1").Chain("info", "note", "e2").Chain("revoked", "fallback", "e3")
            .Build();
        var (interpreter, state) = Start(definition);
        Guid Subscription(InstanceState s, string name) => s.Tokens.SelectMany(t => t.Waits).Single(w => w.MessageName == name).Id;

        state = interpreter.CorrelateMessage(state.State, Subscription(state.State, "info"), "x", []);
        Assert.Contains("review", state.State.ActiveElementIds);
        Assert.Contains("note", state.State.ActiveElementIds);
        state = interpreter.CorrelateMessage(state.State, Subscription(state.State, "info"), "x", []);
        Assert.Equal(2, state.State.Tokens.Count(t => t.ElementId == "note"));

        state = interpreter.CorrelateMessage(state.State, Subscription(state.State, "revoked"), "x", []);
        Assert.DoesNotContain("review", state.State.ActiveElementIds);
        Assert.Contains("fallback", state.State.ActiveElementIds);
        Assert.DoesNotContain(state.State.Tokens.SelectMany(t => t.Waits), w => w.MessageName == "info");
    }

    [Fact]
    public void An_embedded_sub_process_runs_its_own_start_to_end_and_then_leaves()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new SubProcess("sub", null)).Task("after").End()
            .Start("sub-start", "sub").Task("inner1", "sub").Task("inner2", "sub").End("sub-end", "sub")
            .Chain("start", "sub", "after", "end").Chain("sub-start", "inner1", "inner2", "sub-end")
            .Build();
        var (interpreter, state) = Start(definition);
        Assert.Equal(["inner1", "sub"], state.State.ActiveElementIds.Order().ToList());

        state = Complete(interpreter, state, "inner1");
        state = Complete(interpreter, state, "inner2");

        Assert.Equal(["after"], state.State.ActiveElementIds);
    }

    [Fact]
    public void An_interrupting_boundary_on_a_sub_process_cancels_everything_inside()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new SubProcess("sub", null)).Task("late").End("e1").End("e2")
            .Node(new BoundaryEvent("deadline", null, "sub", ProcessBuilder.Timer(TimerKind.Duration, "P10D")))
            .Start("s", "sub").Node(new ParallelGateway("fork", null) { ScopeId = "sub" }).Task("x", "sub").Task("y", "sub")
            .Node(new ParallelGateway("join", null) { ScopeId = "sub" }).End("se", "sub")
            .Chain("start", "sub", "e1").Chain("deadline", "late", "e2")
            .Chain("s", "fork").Flow("fork", "x").Flow("fork", "y").Flow("x", "join").Flow("y", "join").Chain("join", "se")
            .Build();
        var (interpreter, state) = Start(definition);
        state = Complete(interpreter, state, "x");

        var fired = interpreter.FireTimer(state.State, TimerOf(state.State, "deadline"));

        Assert.Equal(["late"], fired.State.ActiveElementIds);
        Assert.Contains(fired.Effects, e => e is TaskCancelled);
        Assert.DoesNotContain(fired.State.Tokens, t => t.ScopeTokenId is not null);
    }

    [Fact]
    public void A_terminate_end_event_ends_every_branch()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ParallelGateway("fork", null)).Task("a").Task("b").End("stop", terminate: true).End("e")
            .Flow("start", "fork").Flow("fork", "a").Flow("fork", "b").Chain("a", "stop").Chain("b", "e")
            .Node(new BoundaryEvent("t", null, "b", ProcessBuilder.Timer(TimerKind.Duration, "P1D"))).Task("t-task").Chain("t", "t-task", "e")
            .Build();
        var (interpreter, state) = Start(definition);

        var ended = Complete(interpreter, state, "a");

        Assert.Equal(InstanceStatus.Terminated, ended.State.Status);
        Assert.Empty(ended.State.Tokens);
        Assert.Contains(ended.Effects, e => e is TaskCancelled);
        Assert.Contains(ended.Effects, e => e is TimerCancelled);
        Assert.Contains(ended.Effects, e => e is InstanceEnded { Status: InstanceStatus.Terminated });
    }

    [Fact]
    public void A_service_task_asks_for_its_handler_and_a_failure_is_an_incident_that_can_be_retried()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ServiceTask("check", null, "eligibility.check")).Task("after").End()
            .Chain("start", "check", "after", "end").Build();
        var (interpreter, state) = Start(definition);
        var request = Assert.Single(state.Effects.OfType<HandlerRequested>());
        Assert.Equal("eligibility.check", request.Handler);

        var failed = interpreter.HandlerFailed(state.State, request.TokenId, "register unavailable");
        var incident = Assert.Single(failed.State.Incidents);
        Assert.Equal("check", incident.ElementId);
        Assert.Equal(["check"], failed.State.ActiveElementIds);

        var retried = interpreter.RetryIncident(failed.State, incident.Id, "admin.province");
        Assert.Single(retried.Effects.OfType<HandlerRequested>());

        var failedAgain = interpreter.HandlerFailed(retried.State, request.TokenId, "still unavailable");
        Assert.Equal(2, failedAgain.State.Incidents.Single().Attempts);

        var succeeded = interpreter.HandlerSucceeded(failedAgain.State, request.TokenId, new JsonObject { ["eligible"] = true });
        Assert.Contains(succeeded.Effects, e => e is IncidentResolved r && r.IncidentId == incident.Id);
        Assert.Equal(["after"], succeeded.State.ActiveElementIds);
        Assert.True(succeeded.State.Variables["eligible"]!.GetValue<bool>());
    }

    [Fact]
    public void A_call_activity_starts_a_child_and_continues_with_its_variables_when_it_ends()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new CallActivity("quota", null, "quota-confirmation")).Task("after").End()
            .Chain("start", "quota", "after", "end").Build();
        var (interpreter, state) = Start(definition, new JsonObject { ["tonnes"] = 3.5 });

        var call = Assert.Single(state.Effects.OfType<ChildInstanceRequested>());
        Assert.Equal("quota-confirmation", call.CalledElement);
        Assert.Equal(3.5, call.Variables["tonnes"]!.GetValue<double>());

        var back = interpreter.ChildEnded(state.State, call.ChildInstanceId, InstanceStatus.Completed, new JsonObject { ["quotaConfirmed"] = true });
        Assert.Equal(["after"], back.State.ActiveElementIds);
        Assert.True(back.State.Variables["quotaConfirmed"]!.GetValue<bool>());
    }

    [Fact]
    public void Completing_with_an_outcome_not_offered_or_a_missing_required_field_is_refused_and_changes_nothing()
    {
        var form = new FormDefinition([
            new FormField("opinion", FormFieldType.Text) { Required = true, Label = "审查意见" },
            new FormField("level", FormFieldType.Enum) { Options = ["I", "II"] },
            new FormField("amount", FormFieldType.Number),
        ]);
        var definition = new ProcessBuilder().Start().Task("review", outcomes: ["approve", "reject"], form: form).End()
            .Chain("start", "review", "end").Build();
        var (interpreter, state) = Start(definition);
        var before = state.State.ToJson();
        var task = OpenTask(state.State, "review");

        var refusal = Assert.Throws<EngineRefusal>(() => interpreter.CompleteTask(state.State, task, "r", "maybe",
            new JsonObject { ["level"] = "III", ["amount"] = "lots" }));

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal(["outcome", "variables.opinion", "variables.level", "variables.amount"], refusal.Problems.Select(p => p.Field).ToList());
        Assert.Contains(refusal.Problems, p => p.MessageZh.Contains("审查意见"));
        Assert.Equal(before, state.State.ToJson());

        var done = interpreter.CompleteTask(state.State, task, "r", "approve", new JsonObject { ["opinion"] = "同意", ["level"] = "II", ["amount"] = 2 });
        Assert.Equal("approve", done.State.Variables["outcome"]!.GetValue<string>());

        var twice = Assert.Throws<EngineRefusal>(() => interpreter.CompleteTask(done.State, task, "r", "approve", new JsonObject { ["opinion"] = "x" }));
        Assert.Equal(RefusalKind.Conflict, twice.Kind);
    }

    [Fact]
    public void A_task_due_date_comes_from_its_time_limit_rule_or_clock()
    {
        var clockDue = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.FromHours(8));
        _environment.Clocks["eia.decision"] = clockDue;
        var definition = new ProcessBuilder()
            .Start().Node(new ParallelGateway("fork", null))
            .Task("accept", due: DueDateBinding.Rule("eia.acceptance")).Task("decide", due: DueDateBinding.Clock("eia.decision"))
            .Task("free").End("e1").End("e2").End("e3")
            .Flow("start", "fork").Flow("fork", "accept").Flow("fork", "decide").Flow("fork", "free")
            .Chain("accept", "e1").Chain("decide", "e2").Chain("free", "e3")
            .Build();

        var (_, started) = Start(definition);

        var tasks = started.Effects.OfType<TaskCreated>().ToDictionary(t => t.Element.Id);
        Assert.Equal(_environment.Now.AddDays(5), tasks["accept"].DueAt);
        Assert.Equal(clockDue, tasks["decide"].DueAt);
        Assert.Null(tasks["free"].DueAt);
    }

    [Fact]
    public void A_timer_bound_to_a_paused_clock_waits_without_being_armed()
    {
        _environment.Clocks["eia.decision"] = null;
        var definition = new ProcessBuilder()
            .Start().Node(new IntermediateCatchEvent("due", null, new TimerTrigger(null, DueDateBinding.Clock("eia.decision")))).End()
            .Chain("start", "due", "end").Build();

        var (_, started) = Start(definition);

        Assert.Empty(started.Effects.OfType<TimerArmed>());
        Assert.Contains(started.Effects, e => e is JournalEntry { Kind: "timer.waiting" });
        Assert.Single(started.State.Tokens.Single().Waits);
    }

    [Fact]
    public void A_task_belongs_to_the_organisation_named_by_its_variable()
    {
        var definition = new ProcessBuilder().Start()
            .Node(new UserTask("province-review", null) { CandidateGroups = ["review"], OrganisationVariable = "escalatedTo" }).End()
            .Chain("start", "province-review", "end").Build();

        var (_, started) = Start(definition, new JsonObject { ["escalatedTo"] = "province" });

        Assert.Equal("province", Assert.Single(started.Effects.OfType<TaskCreated>()).Organisation);
    }

    [Fact]
    public void A_loop_that_never_waits_is_stopped()
    {
        var definition = new ProcessBuilder()
            .Start().Node(new ExclusiveGateway("a", null)).Node(new ExclusiveGateway("b", null)).End()
            .Flow("start", "a").Flow("a", "b").Flow("b", "a", "true", id: "back").Flow("b", "end", "false")
            .Build();

        var refusal = Assert.Throws<EngineRefusal>(() => Start(definition));

        Assert.Contains("without waiting", refusal.Message);
    }

    [Fact]
    public void A_rework_loop_through_a_task_runs_again()
    {
        var definition = new ProcessBuilder()
            .Start().Task("prepare").Task("check", outcomes: ["ok", "redo"]).Node(new ExclusiveGateway("ok?", null)).End()
            .Chain("start", "prepare", "check", "ok?").Flow("ok?", "end", "outcome == 'ok'").Flow("ok?", "prepare", "outcome == 'redo'")
            .Build();
        var (interpreter, state) = Start(definition);

        state = Complete(interpreter, state, "prepare");
        state = Complete(interpreter, state, "check", "redo");
        Assert.Equal(["prepare"], state.State.ActiveElementIds);
        state = Complete(interpreter, state, "prepare");
        state = Complete(interpreter, state, "check", "ok");
        Assert.Equal(InstanceStatus.Completed, state.State.Status);
    }

    [Fact]
    public void Migration_maps_active_elements_and_refuses_one_without_counterpart()
    {
        var v1 = new ProcessBuilder().Start().Task("review").End().Chain("start", "review", "end").Build();
        var v2 = new ProcessBuilder().Start().Task("check").Task("review2").End()
            .Node(new BoundaryEvent("late", null, "review2", ProcessBuilder.Timer(TimerKind.Duration, "P2D")))
            .Chain("start", "check", "review2", "end").Chain("late", "end").Build();
        var (_, state) = Start(v1);
        var task = OpenTask(state.State, "review");

        var refused = MigrationPlan.Create(state.State, v1, v2, new Dictionary<string, string>());
        Assert.False(refused.CanMigrate);
        Assert.Equal("review", Assert.Single(refused.Problems).ElementId);

        var plan = MigrationPlan.Create(state.State, v1, v2, new Dictionary<string, string> { ["review"] = "review2" });
        Assert.True(plan.CanMigrate);
        var migrated = new Interpreter(v2, _environment).Migrate(state.State, 2, plan, "admin.province");

        Assert.Equal(2, migrated.State.Version);
        Assert.Equal(["review2"], migrated.State.ActiveElementIds);
        Assert.Contains(migrated.Effects, e => e is TaskMoved m && m.TaskId == task && m.Element.Id == "review2");
        Assert.Single(migrated.Effects.OfType<TimerArmed>()); // the new version's boundary timer is armed
        Assert.Equal(task, OpenTask(migrated.State, "review2"));
    }

    [Fact]
    public void Timers_and_task_due_dates_follow_their_clock_when_it_moves_pauses_and_resumes()
    {
        var due = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.FromHours(8));
        _environment.Clocks["eia.decision"] = due;
        var definition = new ProcessBuilder()
            .Start().Task("decide", due: DueDateBinding.Clock("eia.decision")).Task("escalate").End("e1").End("e2")
            .Node(new BoundaryEvent("overdue", null, "decide", new TimerTrigger(null, DueDateBinding.Clock("eia.decision"))) { CancelActivity = false })
            .Chain("start", "decide", "e1").Chain("overdue", "escalate", "e2")
            .Build();
        var (interpreter, state) = Start(definition);
        var firstTimer = Assert.Single(state.Effects.OfType<TimerArmed>());
        Assert.Equal(due, firstTimer.DueAt);

        // Expert review pauses the clock (行政许可法 art. 45): the timer is cancelled and waits unarmed.
        var paused = interpreter.ClockMoved(state.State, "eia.decision", ClockTimes.Stopped, "review.suzhou", "专家评审");
        Assert.Contains(paused.Effects, e => e is TimerCancelled c && c.TimerId == firstTimer.TimerId);
        Assert.Empty(paused.Effects.OfType<TimerArmed>());
        Assert.Contains(paused.Effects, e => e is TaskDueChanged { DueAt: null });

        // Resumed with a later due date: armed again at the new instant under a new id.
        var later = due.AddDays(7);
        var resumed = interpreter.ClockMoved(paused.State, "eia.decision", new ClockTimes(later), "review.suzhou", "评审结束");
        var armed = Assert.Single(resumed.Effects.OfType<TimerArmed>());
        Assert.Equal(later, armed.DueAt);
        Assert.NotEqual(firstTimer.TimerId, armed.TimerId);
        Assert.Contains(resumed.Effects, e => e is TaskDueChanged d && d.DueAt == later);
        var journal = resumed.Effects.OfType<JournalEntry>().Single(j => j.Kind == "timer.rescheduled");
        Assert.Equal("评审结束", journal.Data!["reason"]!.GetValue<string>());

        // The same due date again changes nothing about the timer.
        Assert.Empty(interpreter.ClockMoved(resumed.State, "eia.decision", new ClockTimes(later), "x", "same").Effects.OfType<TimerArmed>());
        // Another clock's move leaves this one alone.
        Assert.Empty(interpreter.ClockMoved(resumed.State, "eia.acceptance", new ClockTimes(due), "x", "other").Effects.OfType<TimerCancelled>());
    }
}
