using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>Each element of the subset is read into the right model record.</summary>
public sealed class BpmnReaderElementTests
{
    [Fact]
    public void Linear_process_is_read_with_its_flows_and_keeps_the_xml()
    {
        var xml = BpmnXml.Linear().Build();

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal("Process_1", definition.Key);
        Assert.Equal("Test process", definition.Name);
        Assert.Same(xml, definition.Xml);
        var start = Assert.IsType<StartEvent>(definition.Node("Start"));
        Assert.Null(start.Timer);
        Assert.Null(start.ScopeId);
        Assert.Empty(start.Incoming);
        Assert.Equal(["Flow_Start_Task"], start.Outgoing);
        var task = Assert.IsType<UserTask>(definition.Node("Task"));
        Assert.Equal("Task name", task.Name);
        Assert.Equal(["Flow_Start_Task"], task.Incoming);
        Assert.Equal(["Flow_Task_End"], task.Outgoing);
        var end = Assert.IsType<EndEvent>(definition.Node("End"));
        Assert.False(end.Terminate);
        Assert.Equal(["Flow_Task_End"], end.Incoming);
        var flow = definition.Flow("Flow_Start_Task");
        Assert.Equal(("Start", "Task"), (flow.SourceId, flow.TargetId));
        Assert.Null(flow.Condition);
        Assert.Equal(2, definition.Flows.Count());
        Assert.True(definition.HasNoneStartEvent);
    }

    [Fact]
    public void User_task_reads_groups_organisation_outcomes_due_rule_and_form()
    {
        var xml = new BpmnXml().Start()
            .UserTask("Review", """
                cpf:candidateGroups=" review, approver ,," cpf:organisationVariable="cityOrganisation"
                cpf:outcomes="approve, reject" cpf:timeLimit="eia.technical-assessment"
                """,
                """
                <extensionElements>
                  <cpf:form>
                    <cpf:field name="opinion" type="text" label="审查意见" required="true"/>
                    <cpf:field name="decision" type="enum" options="approve, reject" required="true"/>
                    <cpf:field name="amount" type="number"/>
                    <cpf:field name="urgent" type="boolean" required="false"/>
                    <cpf:field name="visitDate" type="date"/>
                    <cpf:field name="note"/>
                  </cpf:form>
                </extensionElements>
                """)
            .End().Flow("Start", "Review").Flow("Review", "End").Build();

        var task = Assert.IsType<UserTask>(BpmnAssert.Accepted(xml, new BpmnReadOptions { IsKnownTimeLimitRule = id => id == "eia.technical-assessment" }).Node("Review"));

        Assert.Equal(["review", "approver"], task.CandidateGroups);
        Assert.Equal("cityOrganisation", task.OrganisationVariable);
        Assert.Equal(["approve", "reject"], task.Outcomes);
        Assert.Equal(DueDateBinding.Rule("eia.technical-assessment"), task.Due);
        Assert.Collection(task.Form.Fields,
            f =>
            {
                Assert.Equal(("opinion", FormFieldType.Text, "审查意见", true), (f.Name, f.Type, f.Label, f.Required));
                Assert.Empty(f.Options);
            },
            f =>
            {
                Assert.Equal(("decision", FormFieldType.Enum, true), (f.Name, f.Type, f.Required));
                Assert.Equal(["approve", "reject"], f.Options);
            },
            f => Assert.Equal(("amount", FormFieldType.Number, false), (f.Name, f.Type, f.Required)),
            f => Assert.Equal(("urgent", FormFieldType.Boolean, false), (f.Name, f.Type, f.Required)),
            f => Assert.Equal(("visitDate", FormFieldType.Date), (f.Name, f.Type)),
            f => Assert.Equal(("note", FormFieldType.String, null), (f.Name, f.Type, f.Label)));
    }

    [Fact]
    public void User_task_due_date_can_follow_a_clock_and_has_none_by_default()
    {
        var xml = new BpmnXml().Start()
            .UserTask("A", "cpf:candidateGroups=\"review\" cpf:clock=\"eia.decision\"")
            .UserTask("B")
            .End().Flow("Start", "A").Flow("A", "B").Flow("B", "End").Build();

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal(DueDateBinding.Clock("eia.decision"), ((UserTask)definition.Node("A")).Due);
        var plain = (UserTask)definition.Node("B");
        Assert.Null(plain.Due);
        Assert.Null(plain.OrganisationVariable);
        Assert.Empty(plain.Outcomes);
        Assert.Same(FormDefinition.Empty, plain.Form);
    }

    [Fact]
    public void Service_task_reads_its_handler()
    {
        var xml = new BpmnXml().Start().ServiceTask("Check").End().Flow("Start", "Check").Flow("Check", "End").Build();

        var task = Assert.IsType<ServiceTask>(BpmnAssert.Accepted(xml, new BpmnReadOptions { IsKnownHandler = h => h == "eligibility.check" }).Node("Check"));

        Assert.Equal("eligibility.check", task.Handler);
    }

    [Theory]
    [InlineData("timeDuration", "P5D", TimerKind.Duration)]
    [InlineData("timeDuration", "PT36H", TimerKind.Duration)]
    [InlineData("timeDate", "2026-03-01T09:00:00+08:00", TimerKind.Date)]
    [InlineData("timeCycle", "R3/PT1H", TimerKind.Cycle)]
    [InlineData("timeCycle", "0 0 9 ? * MON-FRI", TimerKind.Cycle)]
    public void Timer_catch_event_reads_each_kind_of_time_expression(string element, string expression, TimerKind kind)
    {
        var xml = new BpmnXml().Start()
            .Raw($"""<intermediateCatchEvent id="Wait"><timerEventDefinition id="Timer_1"><{element} xsi:type="tFormalExpression">{expression}</{element}></timerEventDefinition></intermediateCatchEvent>""")
            .End().Flow("Start", "Wait").Flow("Wait", "End").Build();

        var wait = Assert.IsType<IntermediateCatchEvent>(BpmnAssert.Accepted(xml).Node("Wait"));

        var timer = Assert.IsType<TimerTrigger>(wait.Trigger);
        Assert.Null(timer.Binding);
        Assert.Equal(kind, timer.Schedule!.Kind);
        Assert.Equal(expression, timer.Schedule.Expression);
    }

    [Fact]
    public void Timer_can_be_bound_to_a_time_limit_rule_or_a_clock_instead_of_an_expression()
    {
        var xml = new BpmnXml().Start()
            .Raw("""<intermediateCatchEvent id="ByRule"><timerEventDefinition cpf:timeLimit="eia.publicity.report"/></intermediateCatchEvent>""")
            .Raw("""<intermediateCatchEvent id="ByClock" cpf:clock="eia.decision"><timerEventDefinition/></intermediateCatchEvent>""")
            .End().Flow("Start", "ByRule").Flow("ByRule", "ByClock").Flow("ByClock", "End").Build();

        var definition = BpmnAssert.Accepted(xml, new BpmnReadOptions { IsKnownTimeLimitRule = id => id == "eia.publicity.report" });

        var byRule = (TimerTrigger)((IntermediateCatchEvent)definition.Node("ByRule")).Trigger;
        Assert.Null(byRule.Schedule);
        Assert.Equal(DueDateBinding.Rule("eia.publicity.report"), byRule.Binding);
        var byClock = (TimerTrigger)((IntermediateCatchEvent)definition.Node("ByClock")).Trigger;
        Assert.Equal(DueDateBinding.Clock("eia.decision"), byClock.Binding);
        Assert.True(definition.UsesClocks);
    }

    [Fact]
    public void A_process_uses_clocks_only_when_a_due_date_or_timer_is_bound_to_one()
    {
        var byRule = new BpmnXml().Start()
            .Raw("""<intermediateCatchEvent id="ByRule"><timerEventDefinition cpf:timeLimit="eia.publicity.report"/></intermediateCatchEvent>""")
            .UserTask("A", "cpf:candidateGroups=\"review\"")
            .End().Flow("Start", "ByRule").Flow("ByRule", "A").Flow("A", "End").Build();
        Assert.False(BpmnAssert.Accepted(byRule, new BpmnReadOptions { IsKnownTimeLimitRule = id => id == "eia.publicity.report" }).UsesClocks);

        var taskOnClock = new BpmnXml().Start()
            .UserTask("A", "cpf:candidateGroups=\"review\" cpf:clock=\"eia.decision\"")
            .End().Flow("Start", "A").Flow("A", "End").Build();
        Assert.True(BpmnAssert.Accepted(taskOnClock).UsesClocks);

        var reminderOnClock = new BpmnXml().Start()
            .UserTask("A", "cpf:candidateGroups=\"review\"")
            .Raw("""<boundaryEvent id="Reminder" attachedToRef="A" cancelActivity="false"><timerEventDefinition cpf:clock="eia.decision" cpf:clockPoint="half"/></boundaryEvent>""")
            .UserTask("Remind", "cpf:candidateGroups=\"review\"")
            .End().Flow("Start", "A").Flow("A", "End").Flow("Reminder", "Remind").Flow("Remind", "End").Build();
        Assert.True(BpmnAssert.Accepted(reminderOnClock).UsesClocks);
    }

    [Fact]
    public void Timer_start_event_starts_the_process_without_a_none_start_event()
    {
        var xml = new BpmnXml()
            .Start("Yearly", """<timerEventDefinition><timeCycle>R/2026-01-05T09:00:00+08:00/P1Y</timeCycle></timerEventDefinition>""")
            .UserTask("Task").End().Flow("Yearly", "Task").Flow("Task", "End").Build();

        var definition = BpmnAssert.Accepted(xml);

        Assert.False(definition.HasNoneStartEvent);
        var start = Assert.Single(definition.TimerStartEvents);
        Assert.Equal("Yearly", start.Id);
        Assert.Equal(TimerKind.Cycle, start.Timer!.Schedule!.Kind);
    }

    [Fact]
    public void Message_catch_event_reads_the_message_name_and_correlation_key()
    {
        var xml = new BpmnXml().Message("Message_Revoked", "revocation-decided").Start()
            .Raw("""
                <intermediateCatchEvent id="WaitRevocation" name="撤销决定" cpf:correlationKey="enterprise.creditCode">
                  <messageEventDefinition id="MessageDef_1" messageRef="Message_Revoked"/>
                </intermediateCatchEvent>
                """)
            .Raw("""<intermediateCatchEvent id="WaitAny"><messageEventDefinition messageRef="Message_Revoked"/></intermediateCatchEvent>""")
            .End().Flow("Start", "WaitRevocation").Flow("WaitRevocation", "WaitAny").Flow("WaitAny", "End").Build();

        var definition = BpmnAssert.Accepted(xml);

        var keyed = Assert.IsType<MessageTrigger>(((IntermediateCatchEvent)definition.Node("WaitRevocation")).Trigger);
        Assert.Equal("revocation-decided", keyed.MessageName);
        Assert.Equal("enterprise.creditCode", keyed.CorrelationKeyExpression);
        Assert.Equal("撤销决定", definition.Node("WaitRevocation").Name);
        var plain = Assert.IsType<MessageTrigger>(((IntermediateCatchEvent)definition.Node("WaitAny")).Trigger);
        Assert.Null(plain.CorrelationKeyExpression);
    }

    [Fact]
    public void Boundary_events_are_interrupting_by_default_and_non_interrupting_when_cancelActivity_is_false()
    {
        var xml = new BpmnXml().Message("Msg", "materials-corrected").Start()
            .UserTask("Review", "cpf:candidateGroups=\"review\" cpf:timeLimit=\"eia.technical-assessment\"")
            .Raw("""<boundaryEvent id="Overdue" attachedToRef="Review"><timerEventDefinition cpf:timeLimit="eia.technical-assessment"/></boundaryEvent>""")
            .Raw("""<boundaryEvent id="Corrected" attachedToRef="Review" cancelActivity="false" cpf:correlationKey="caseNumber"><messageEventDefinition messageRef="Msg"/></boundaryEvent>""")
            .ServiceTask("Escalate", "cpf:handler=\"notify.escalate\"")
            .ServiceTask("Note", "cpf:handler=\"journal.note\"")
            .End().End("End2").End("End3")
            .Flow("Start", "Review").Flow("Review", "End").Flow("Overdue", "Escalate").Flow("Escalate", "End2")
            .Flow("Corrected", "Note").Flow("Note", "End3").Build();

        var definition = BpmnAssert.Accepted(xml);

        var overdue = Assert.IsType<BoundaryEvent>(definition.Node("Overdue"));
        Assert.Equal("Review", overdue.AttachedToId);
        Assert.True(overdue.CancelActivity);
        Assert.Equal(DueDateBinding.Rule("eia.technical-assessment"), ((TimerTrigger)overdue.Trigger).Binding);
        var corrected = Assert.IsType<BoundaryEvent>(definition.Node("Corrected"));
        Assert.False(corrected.CancelActivity);
        Assert.Equal("materials-corrected", ((MessageTrigger)corrected.Trigger).MessageName);
        Assert.Equal(["Corrected", "Overdue"], definition.BoundaryEventsOf("Review").Select(b => b.Id).Order(StringComparer.Ordinal));
        Assert.Empty(definition.Node("Overdue").Incoming);
    }

    [Fact]
    public void Sub_process_nodes_carry_the_sub_process_as_scope()
    {
        var xml = new BpmnXml().Start()
            .Raw("""
                <subProcess id="Sub" name="技术评估">
                  <incoming>Flow_Start_Sub</incoming>
                  <startEvent id="SubStart"/>
                  <userTask id="Expert" cpf:candidateGroups="assessment"/>
                  <endEvent id="SubEnd"/>
                  <sequenceFlow id="SubFlow1" sourceRef="SubStart" targetRef="Expert"/>
                  <sequenceFlow id="SubFlow2" sourceRef="Expert" targetRef="SubEnd"/>
                </subProcess>
                """)
            .Raw("""<boundaryEvent id="SubTimeout" attachedToRef="Sub"><timerEventDefinition><timeDuration>P30D</timeDuration></timerEventDefinition></boundaryEvent>""")
            .End().End("TimedOut").Flow("Start", "Sub").Flow("Sub", "End").Flow("SubTimeout", "TimedOut").Build();

        var definition = BpmnAssert.Accepted(xml);

        Assert.IsType<SubProcess>(definition.Node("Sub"));
        Assert.Null(definition.Node("Sub").ScopeId);
        Assert.Null(definition.Node("SubTimeout").ScopeId);
        Assert.All(new[] { "SubStart", "Expert", "SubEnd" }, id => Assert.Equal("Sub", definition.Node(id).ScopeId));
        Assert.Equal("SubStart", definition.NoneStartEvent("Sub").Id);
        Assert.Equal("Start", definition.NoneStartEvent(null).Id);
        Assert.Equal(["SubFlow1"], definition.Node("Expert").Incoming);
        Assert.Equal(3, definition.NodesIn("Sub").Count());
    }

    [Fact]
    public void Call_activity_reads_the_called_process()
    {
        var xml = new BpmnXml().Start().Raw("""<callActivity id="Call" calledElement="quota-allocation"/>""").End()
            .Flow("Start", "Call").Flow("Call", "End").Build();

        var call = Assert.IsType<CallActivity>(BpmnAssert.Accepted(xml).Node("Call"));

        Assert.Equal("quota-allocation", call.CalledElement);
    }

    [Fact]
    public void Exclusive_and_inclusive_gateways_read_conditions_and_default_flows()
    {
        var xml = new BpmnXml().Start()
            .Exclusive("Decide", defaultFlow: "Flow_Decide_Standard")
            .UserTask("Fast").UserTask("Standard")
            .Inclusive("Notify", defaultFlow: "Flow_Notify_End")
            .UserTask("Publish", "cpf:candidateGroups=\"publicity\"")
            .End().End("End2")
            .Flow("Start", "Decide")
            .Flow("Decide", "Fast", "${eligible && amount > 100000}")
            .Flow("Decide", "Standard")
            .Flow("Fast", "Notify").Flow("Standard", "End2")
            .Flow("Notify", "Publish", "publish == true")
            .Flow("Notify", "End")
            .Flow("Publish", "End")
            .Build();

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal("Flow_Decide_Standard", ((ExclusiveGateway)definition.Node("Decide")).DefaultFlowId);
        Assert.Equal("Flow_Notify_End", ((InclusiveGateway)definition.Node("Notify")).DefaultFlowId);
        Assert.Equal("${eligible && amount > 100000}", definition.Flow("Flow_Decide_Fast").Condition);
        Assert.Null(definition.Flow("Flow_Decide_Standard").Condition);
        Assert.Equal(["Flow_Decide_Fast", "Flow_Decide_Standard"], definition.Node("Decide").Outgoing);
    }

    [Theory]
    [InlineData("javascript")]
    [InlineData("JavaScript")]
    [InlineData("ECMAScript")]
    public void Condition_language_may_name_javascript(string language)
    {
        var xml = new BpmnXml().Start().Exclusive("X", "Flow_X_B").UserTask("A").UserTask("B").End()
            .Flow("Start", "X")
            .Raw($"""<sequenceFlow id="Flow_X_A" sourceRef="X" targetRef="A"><conditionExpression xsi:type="tFormalExpression" language="{language}">amount &gt; 5</conditionExpression></sequenceFlow>""")
            .Flow("X", "B").Flow("A", "End").Flow("B", "End").Build();

        Assert.Equal("amount > 5", BpmnAssert.Accepted(xml).Flow("Flow_X_A").Condition);
    }

    [Fact]
    public void Terminate_end_event_is_read()
    {
        var xml = new BpmnXml().Start().UserTask("Task").End("Stop", "<terminateEventDefinition/>")
            .Flow("Start", "Task").Flow("Task", "Stop").Build();

        Assert.True(Assert.IsType<EndEvent>(BpmnAssert.Accepted(xml).Node("Stop")).Terminate);
    }

    [Fact]
    public void A_single_pool_lanes_annotations_and_foreign_decoration_are_accepted()
    {
        var xml = BpmnXml.Linear()
            .Root("""
                <collaboration id="Collab">
                  <participant id="Pool" name="市生态环境局" processRef="Process_1"/>
                  <textAnnotation id="Note"><text>四同步</text></textAnnotation>
                </collaboration>
                <category id="Category_1"><categoryValue id="CategoryValue_1" value="fast track"/></category>
                """)
            .ProcessAttributes("isExecutable=\"true\" camunda:historyTimeToLive=\"180\" camunda:versionTag=\"v1\"")
            .Raw("""
                <documentation>审批流程</documentation>
                <laneSet id="LaneSet_1"><lane id="Lane_1" name="受理"><flowNodeRef>Start</flowNodeRef><flowNodeRef>Task</flowNodeRef></lane></laneSet>
                <textAnnotation id="Annotation_1"><text>note</text></textAnnotation>
                <association id="Association_1" sourceRef="Task" targetRef="Annotation_1"/>
                <group id="Group_1" categoryValueRef="CategoryValue_1"/>
                <extensionElements><vendor:meta xmlns:vendor="https://vendor.example/bpmn" level="1"/><camunda:properties><camunda:property name="a" value="b"/></camunda:properties></extensionElements>
                """)
            .Build()
            .Replace("<userTask id=\"Task\"", "<userTask color:background-color=\"#fff\" camunda:modelerTemplate=\"x\" id=\"Task\"");

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal(3, definition.Nodes.Count());
    }

    [Fact]
    public void Prefixed_bpmn_namespace_and_qualified_references_are_read()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:c="https://cleanprodflow.example/schema/1.0"
                               xmlns:tns="https://cleanprodflow.example/test" targetNamespace="https://cleanprodflow.example/test" id="D">
              <bpmn2:message id="M" name="paid"/>
              <bpmn2:process id="P" isExecutable="1">
                <bpmn2:startEvent id="S"/>
                <bpmn2:userTask id="T" c:candidateGroups="review"/>
                <bpmn2:boundaryEvent id="B" attachedToRef="tns:T"><bpmn2:messageEventDefinition messageRef="tns:M"/></bpmn2:boundaryEvent>
                <bpmn2:endEvent id="E"/>
                <bpmn2:sequenceFlow id="F1" sourceRef="S" targetRef="T"/>
                <bpmn2:sequenceFlow id="F2" sourceRef="T" targetRef="E"/>
                <bpmn2:sequenceFlow id="F3" sourceRef="B" targetRef="E"/>
              </bpmn2:process>
            </bpmn2:definitions>
            """;

        var definition = BpmnAssert.Accepted(xml);

        var boundary = (BoundaryEvent)definition.Node("B");
        Assert.Equal("T", boundary.AttachedToId);
        Assert.Equal("paid", ((MessageTrigger)boundary.Trigger).MessageName);
    }

    [Theory]
    [InlineData("\uFEFF")]
    [InlineData("\r\n  \n")]
    public void A_leading_byte_order_mark_or_blank_lines_are_accepted(string prefix)
    {
        var xml = prefix + BpmnXml.Linear().Build();

        Assert.Same(xml, BpmnAssert.Accepted(xml).Xml);
    }
}
