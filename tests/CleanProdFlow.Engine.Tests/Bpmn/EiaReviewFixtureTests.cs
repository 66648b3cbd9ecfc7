using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>
/// A realistic file as bpmn-js (Camunda Modeler) writes it, with its diagram: correction loop, the 四同步 parallel
/// fork and join, a non-interrupting reminder bound to a time-limit rule, an interrupting overdue timer, forms and
/// a decision.
/// </summary>
public sealed class EiaReviewFixtureTests
{
    private static readonly BpmnReadOptions Options = new()
    {
        KnownCandidateGroups = BpmnTestFiles.Roles,
        IsKnownTimeLimitRule = BpmnTestFiles.TimeLimitRuleIds().Contains,
        IsKnownHandler = handler => handler is "notify.overdue" or "eia.issue-decision",
    };

    [Fact]
    public void Fixture_is_accepted_with_every_node_and_keeps_its_diagram()
    {
        var xml = BpmnTestFiles.Fixture("eia-review.bpmn");

        var definition = BpmnAssert.Accepted(xml, Options);

        Assert.Equal("eia-review-demo", definition.Key);
        Assert.Equal("建设项目环评审批（示例）", definition.Name);
        Assert.Same(xml, definition.Xml);
        Assert.Contains("<bpmndi:BPMNDiagram id=\"BPMNDiagram_1\">", definition.Xml);
        Assert.Equal(19, definition.Nodes.Count());
        Assert.Equal(19, definition.Flows.Count());
        Assert.All(definition.Nodes, n => Assert.Null(n.ScopeId));
    }

    [Fact]
    public void Fixture_tasks_carry_groups_due_dates_and_forms()
    {
        var definition = BpmnAssert.Accepted(BpmnTestFiles.Fixture("eia-review.bpmn"), Options);

        var accept = (UserTask)definition.Node("Activity_Accept");
        Assert.Equal(["acceptance"], accept.CandidateGroups);
        Assert.Equal("cityOrganisation", accept.OrganisationVariable);
        Assert.Equal(DueDateBinding.Rule("eia.acceptance.correction-notice"), accept.Due);
        Assert.Equal(["Flow_Start", "Flow_Recheck"], accept.Incoming);
        var approve = (UserTask)definition.Node("Activity_Approve");
        Assert.Equal(DueDateBinding.Clock("eia.decision"), approve.Due);
        Assert.Equal(["approve", "reject"], approve.Outcomes);
        Assert.Equal(["decision", "opinion", "decisionDate"], approve.Form.Fields.Select(f => f.Name));
        Assert.Equal("审批结论", approve.Form.Fields[0].Label);
        Assert.Equal("notify.overdue", ((ServiceTask)definition.Node("Activity_Remind")).Handler);
    }

    [Fact]
    public void Fixture_timers_and_gateways()
    {
        var definition = BpmnAssert.Accepted(BpmnTestFiles.Fixture("eia-review.bpmn"), Options);

        var reminder = (BoundaryEvent)definition.Node("Event_AssessmentReminder");
        Assert.False(reminder.CancelActivity);
        Assert.Equal(DueDateBinding.Rule("eia.technical-assessment"), ((TimerTrigger)reminder.Trigger).Binding);
        var overdue = (BoundaryEvent)definition.Node("Event_ReviewOverdue");
        Assert.True(overdue.CancelActivity);
        Assert.Equal(TimerKind.Duration, ((TimerTrigger)overdue.Trigger).Schedule!.Kind);
        Assert.Equal("Flow_Complete", ((ExclusiveGateway)definition.Node("Gateway_Complete")).DefaultFlowId);
        Assert.Equal("${decision == \"approve\"}", definition.Flow("Flow_Approved").Condition);
        Assert.Equal(["Flow_PublicityDone", "Flow_AssessmentDone"], definition.Node("Gateway_Join").Incoming);
    }

    [Fact]
    public void Fixture_without_the_options_lookups_is_accepted_too()
    {
        BpmnAssert.Accepted(BpmnTestFiles.Fixture("eia-review.bpmn"));
    }

    [Fact]
    public void Fixture_with_unknown_references_names_each_element()
    {
        var xml = BpmnTestFiles.Fixture("eia-review.bpmn")
            .Replace("cpf:candidateGroups=\"review\"", "cpf:candidateGroups=\"reviewer\"")
            .Replace("cpf:handler=\"notify.overdue\"", "cpf:handler=\"notify.late\"")
            .Replace("cpf:timeLimit=\"eia.publicity.report\"", "cpf:timeLimit=\"eia.publicity\"");

        var result = BpmnAssert.RefusedResult(xml, Options);

        Assert.Equal(["Activity_Publicity", "Activity_Remind", "Activity_Review"], result.Problems.Select(p => p.ElementId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fixture_turned_into_a_deadlock_is_refused_at_the_join()
    {
        // Route the correction branch into the publicity step instead of back to acceptance: now the join can be
        // fed from the "incomplete" branch and the fork's branch, which exclude each other.
        var xml = BpmnTestFiles.Fixture("eia-review.bpmn")
            .Replace("<bpmn:sequenceFlow id=\"Flow_Recheck\" sourceRef=\"Activity_Correct\" targetRef=\"Activity_Accept\" />",
                "<bpmn:sequenceFlow id=\"Flow_Recheck\" sourceRef=\"Activity_Correct\" targetRef=\"Gateway_Join\" />");

        BpmnAssert.Refused(xml, Options, "Gateway_Join", "can never complete", "exclusive gateway 'Gateway_Complete'");
    }
}
