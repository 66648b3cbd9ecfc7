using CleanProdFlow.Engine.Bpmn;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>Graph checks: ids, flows and scopes, start and end, reachability, parallel joins that can never complete.</summary>
public sealed class BpmnReaderStructureTests
{
    [Fact]
    public void Duplicate_ids_are_refused()
    {
        var xml = BpmnXml.Linear().UserTask("Task").Build();

        BpmnAssert.Refused(xml, "Task", "the id 'Task' is used by 2 elements");
    }

    [Fact]
    public void Flow_with_a_missing_end_is_refused()
    {
        var xml = BpmnXml.Linear().Raw("""<sequenceFlow id="Dangling" sourceRef="Task" targetRef="Nowhere"/>""")
            .Raw("""<sequenceFlow id="NoSource" targetRef="End"/>""").Build();

        BpmnAssert.Refused(xml, "Dangling", "target 'Nowhere' does not exist");
        BpmnAssert.Refused(xml, "NoSource", "has no sourceRef");
    }

    [Fact]
    public void Flow_to_an_element_that_is_not_a_flow_node_is_refused()
    {
        var xml = BpmnXml.Linear().Raw("""<textAnnotation id="Note"/><sequenceFlow id="ToNote" sourceRef="Task" targetRef="Note"/>""").Build();

        BpmnAssert.Refused(xml, "ToNote", "'Note' is a textAnnotation, not a flow node");
    }

    [Fact]
    public void Flow_crossing_a_sub_process_boundary_is_refused()
    {
        var xml = new BpmnXml().Start()
            .Raw("""
                <subProcess id="Sub">
                  <startEvent id="SubStart"/><userTask id="Inner" cpf:candidateGroups="review"/><endEvent id="SubEnd"/>
                  <sequenceFlow id="S1" sourceRef="SubStart" targetRef="Inner"/>
                  <sequenceFlow id="S2" sourceRef="Inner" targetRef="SubEnd"/>
                  <sequenceFlow id="Out" sourceRef="Inner" targetRef="End"/>
                </subProcess>
                """)
            .End().Flow("Start", "Sub").Flow("Sub", "End").Raw("""<sequenceFlow id="Into" sourceRef="Start" targetRef="Inner"/>""").Build();

        BpmnAssert.Refused(xml, "Into", "another (sub-)process");
        BpmnAssert.Refused(xml, "Out", "another (sub-)process");
    }

    [Fact]
    public void Process_without_start_event_is_refused()
    {
        var xml = new BpmnXml().UserTask("Task").End().Flow("Task", "End").Build();

        BpmnAssert.Refused(xml, "Process_1", "has no start event");
    }

    [Fact]
    public void Second_none_start_event_in_a_scope_is_refused()
    {
        var xml = BpmnXml.Linear().Start("Start2").Flow("Start2", "Task").Build();

        BpmnAssert.Refused(xml, "Start2", "second start event without trigger", "'Start'");
    }

    [Fact]
    public void Sub_process_without_start_event_is_refused()
    {
        var xml = new BpmnXml().Start()
            .Raw("""<subProcess id="Sub"><userTask id="Inner" cpf:candidateGroups="review"/><endEvent id="SubEnd"/><sequenceFlow id="S2" sourceRef="Inner" targetRef="SubEnd"/></subProcess>""")
            .End().Flow("Start", "Sub").Flow("Sub", "End").Build();

        BpmnAssert.Refused(xml, "Sub", "no start event inside");
    }

    [Fact]
    public void Unreachable_node_is_refused()
    {
        var xml = BpmnXml.Linear().UserTask("Orphan").Flow("Orphan", "End").Build();

        BpmnAssert.Refused(xml, "Orphan", "can never be reached");
    }

    [Fact]
    public void Unreachable_node_inside_a_sub_process_is_refused_and_an_unreachable_sub_process_alone_is_reported()
    {
        var xml = BpmnXml.Linear().Raw("""
            <subProcess id="Sub">
              <startEvent id="SubStart"/><endEvent id="SubEnd"/><userTask id="Lost" cpf:candidateGroups="review"/>
              <sequenceFlow id="S1" sourceRef="SubStart" targetRef="SubEnd"/>
              <sequenceFlow id="S2" sourceRef="Lost" targetRef="SubEnd"/>
            </subProcess>
            """).Flow("Sub", "End").Build();

        var result = BpmnAssert.RefusedResult(xml);

        Assert.Equal(["Lost", "Sub"], result.Problems.Select(p => p.ElementId).Order(StringComparer.Ordinal));
        BpmnAssert.Refused(xml, "Sub", "can never be reached");
    }

    [Fact]
    public void Node_without_outgoing_flow_is_told_to_add_an_end_event()
    {
        var xml = new BpmnXml().Start().UserTask("Task").Flow("Start", "Task").Build();

        BpmnAssert.Refused(xml, "Task", "no outgoing sequence flow", "add an end event");
    }

    [Fact]
    public void Gateway_without_outgoing_flow_is_refused()
    {
        var xml = BpmnXml.Linear().Build().Replace("<sequenceFlow id=\"Flow_Task_End\" sourceRef=\"Task\" targetRef=\"End\"/>",
            "<parallelGateway id=\"G\"/><sequenceFlow id=\"F1\" sourceRef=\"Task\" targetRef=\"G\"/>");

        BpmnAssert.Refused(xml, "G", "parallelGateway 'G' has no outgoing sequence flow");
    }

    [Fact]
    public void End_event_with_outgoing_and_start_event_with_incoming_flows_are_refused()
    {
        var xml = BpmnXml.Linear().UserTask("After").Flow("End", "After").Flow("After", "Start").Build();

        BpmnAssert.Refused(xml, "End", "endEvent 'End' has outgoing sequence flows");
        BpmnAssert.Refused(xml, "Start", "startEvent 'Start' has incoming sequence flows");
    }

    [Fact]
    public void Implicit_split_from_an_activity_is_refused()
    {
        var xml = BpmnXml.Linear().UserTask("Other").Flow("Task", "Other").Flow("Other", "End").Build();

        BpmnAssert.Refused(xml, "Task", "2 outgoing sequence flows", "gateway");
    }

    [Fact]
    public void Boundary_event_rules_are_checked()
    {
        var xml = BpmnXml.Linear().Parallel("G").UserTask("T2").End("End2")
            .Raw("""<boundaryEvent id="NoWay" attachedToRef="Task"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>""")
            .Raw("""<boundaryEvent id="OnGateway" attachedToRef="G"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>""")
            .Raw("""<boundaryEvent id="Floating"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>""")
            .Raw("""<boundaryEvent id="Entered" attachedToRef="Task"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>""")
            .Raw("""<boundaryEvent id="Ghost" attachedToRef="Missing"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>""")
            .Flow("OnGateway", "End2").Flow("Floating", "End2").Flow("T2", "Entered").Flow("Entered", "End2").Flow("Ghost", "End2")
            .Build();

        BpmnAssert.Refused(xml, "NoWay", "boundaryEvent 'NoWay' has no outgoing sequence flow");
        BpmnAssert.Refused(xml, "OnGateway", "attached to parallelGateway 'G'");
        BpmnAssert.Refused(xml, "Floating", "not attached to an activity");
        BpmnAssert.Refused(xml, "Entered", "has incoming sequence flows");
        BpmnAssert.Refused(xml, "Ghost", "'Missing', which is not a flow node");
    }

    [Fact]
    public void Several_problems_are_reported_together()
    {
        var xml = new BpmnXml().ProcessAttributes("isExecutable=\"false\"").Start()
            .UserTask("NoGroups", "")
            .Raw("<sendTask id=\"Send\"/>")
            .ServiceTask("NoHandler", "")
            .Exclusive("X")
            .End()
            .Flow("Start", "NoGroups").Flow("NoGroups", "Send").Flow("Send", "NoHandler").Flow("NoHandler", "X")
            .Flow("X", "End", "amount >").Flow("X", "NoGroups")
            .Build();

        var result = BpmnAssert.RefusedResult(xml);

        var ids = result.Problems.Select(p => p.ElementId).ToHashSet();
        Assert.Superset(new HashSet<string> { "Process_1", "NoGroups", "Send", "NoHandler", "Flow_X_End", "Flow_X_NoGroups" }, ids);
    }

    // ------------------------------------------------------------ parallel joins

    [Fact]
    public void Parallel_join_after_an_exclusive_split_can_never_complete()
    {
        var xml = new BpmnXml().Start().Exclusive("Split", "Flow_Split_B").UserTask("A").UserTask("B").Parallel("Join").End()
            .Flow("Start", "Split").Flow("Split", "A", "fast").Flow("Split", "B")
            .Flow("A", "Join").Flow("B", "Join").Flow("Join", "End").Build();

        var problem = BpmnAssert.Refused(xml, "Join");

        Assert.Equal("parallel join 'Join' can never complete: its incoming flows Flow_A_Join and Flow_B_Join come from alternative branches of exclusive gateway 'Split'",
            problem.Message);
        Assert.Contains("并行合并网关“Join”永远无法完成", problem.MessageZh);
    }

    [Fact]
    public void Parallel_join_fed_directly_by_two_branches_of_an_exclusive_gateway_can_never_complete()
    {
        var xml = new BpmnXml().Start().Exclusive("Split", "Flow_Split_Join_2").Parallel("Join").End()
            .Flow("Start", "Split").Flow("Split", "Join", "a", "Flow_Split_Join_1").Flow("Split", "Join", null, "Flow_Split_Join_2")
            .Flow("Join", "End").Build();

        BpmnAssert.Refused(xml, "Join", "Flow_Split_Join_1 and Flow_Split_Join_2", "exclusive gateway 'Split'");
    }

    [Fact]
    public void Exclusive_split_nested_in_a_parallel_branch_still_deadlocks_the_join()
    {
        // Fork → [A, Split → (B | C)] → Join: the join waits for A, B and C, but only one of B and C comes.
        var xml = new BpmnXml().Start().Parallel("Fork").UserTask("A").Exclusive("Split", "Flow_Split_C").UserTask("B").UserTask("C").Parallel("Join").End()
            .Flow("Start", "Fork").Flow("Fork", "A").Flow("Fork", "Split").Flow("Split", "B", "b").Flow("Split", "C")
            .Flow("A", "Join").Flow("B", "Join").Flow("C", "Join").Flow("Join", "End").Build();

        BpmnAssert.Refused(xml, "Join", "Flow_B_Join and Flow_C_Join", "exclusive gateway 'Split'");
    }

    [Fact]
    public void Nested_fork_and_join_are_accepted()
    {
        var xml = new BpmnXml().Start().Parallel("Fork").Parallel("InnerFork").UserTask("A").UserTask("B").UserTask("C")
            .Parallel("InnerJoin").Parallel("Join").End()
            .Flow("Start", "Fork").Flow("Fork", "InnerFork").Flow("Fork", "C")
            .Flow("InnerFork", "A").Flow("InnerFork", "B").Flow("A", "InnerJoin").Flow("B", "InnerJoin")
            .Flow("InnerJoin", "Join").Flow("C", "Join").Flow("Join", "End").Build();

        BpmnAssert.Accepted(xml);
    }

    [Fact]
    public void Exclusive_split_merged_before_the_join_is_accepted()
    {
        // Fork → [Split → (A | B) → Merge, C] → Join
        var xml = new BpmnXml().Start().Parallel("Fork").Exclusive("Split", "Flow_Split_B").UserTask("A").UserTask("B").Exclusive("Merge")
            .UserTask("C").Parallel("Join").End()
            .Flow("Start", "Fork").Flow("Fork", "Split").Flow("Fork", "C").Flow("Split", "A", "a").Flow("Split", "B")
            .Flow("A", "Merge").Flow("B", "Merge").Flow("Merge", "Join").Flow("C", "Join").Flow("Join", "End").Build();

        BpmnAssert.Accepted(xml);
    }

    [Fact]
    public void Rework_loops_are_accepted()
    {
        // Start → Correct → Fork → [Review, Assess] → Join → Decide → (approve: End | rework: back to Correct)
        var xml = new BpmnXml().Start().UserTask("Correct").Parallel("Fork").UserTask("Review").UserTask("Assess").Parallel("Join")
            .Exclusive("Decide", "Flow_Decide_Correct").End()
            .Flow("Start", "Correct").Flow("Correct", "Fork").Flow("Fork", "Review").Flow("Fork", "Assess")
            .Flow("Review", "Join").Flow("Assess", "Join").Flow("Join", "Decide")
            .Flow("Decide", "End", "decision == 'approve'").Flow("Decide", "Correct").Build();

        BpmnAssert.Accepted(xml);
    }

    [Fact]
    public void Rework_loop_back_before_an_exclusive_gateway_is_accepted()
    {
        // Start → Check → X → (complete: Fork → [A, B] → Join → End | incomplete: Fix → back to Check)
        var xml = new BpmnXml().Start().UserTask("Check").Exclusive("X", "Flow_X_Fix").UserTask("Fix").Parallel("Fork").UserTask("A").UserTask("B")
            .Parallel("Join").End()
            .Flow("Start", "Check").Flow("Check", "X").Flow("X", "Fork", "complete").Flow("X", "Fix").Flow("Fix", "Check")
            .Flow("Fork", "A").Flow("Fork", "B").Flow("A", "Join").Flow("B", "Join").Flow("Join", "End").Build();

        BpmnAssert.Accepted(xml);
    }

    [Fact]
    public void Exclusive_gateway_passed_by_two_parallel_tokens_does_not_deadlock_the_join()
    {
        // Fork → [P, Q] → both into X; each token chooses A or B; the join may get one of each.
        var xml = new BpmnXml().Start().Parallel("Fork").UserTask("P").UserTask("Q").Exclusive("X", "Flow_X_B").UserTask("A").UserTask("B")
            .Parallel("Join").End()
            .Flow("Start", "Fork").Flow("Fork", "P").Flow("Fork", "Q").Flow("P", "X").Flow("Q", "X")
            .Flow("X", "A", "a").Flow("X", "B").Flow("A", "Join").Flow("B", "Join").Flow("Join", "End").Build();

        BpmnAssert.NoProblemMentions(xml, "can never complete");
    }

    [Fact]
    public void Exclusive_gateway_behind_a_non_interrupting_boundary_event_does_not_deadlock_the_join()
    {
        var xml = new BpmnXml().Start().UserTask("Work").Exclusive("X", "Flow_X_B").UserTask("A").UserTask("B").Parallel("Join").End()
            .Raw("""<boundaryEvent id="Remind" attachedToRef="Work" cancelActivity="false"><timerEventDefinition><timeCycle>R/PT1H</timeCycle></timerEventDefinition></boundaryEvent>""")
            .Flow("Start", "Work").Flow("Work", "X").Flow("Remind", "X")
            .Flow("X", "A", "a").Flow("X", "B").Flow("A", "Join").Flow("B", "Join").Flow("Join", "End").Build();

        BpmnAssert.NoProblemMentions(xml, "can never complete");
    }

    [Fact]
    public void Parallel_join_with_an_unreachable_input_can_never_complete()
    {
        var xml = new BpmnXml().Start().Parallel("Fork").UserTask("A").UserTask("B").UserTask("Lost").Parallel("Join").End()
            .Flow("Start", "Fork").Flow("Fork", "A").Flow("Fork", "B").Flow("A", "Join").Flow("B", "Join")
            .Flow("Lost", "Join").Flow("Join", "End").Build();

        BpmnAssert.Refused(xml, "Join", "incoming flow 'Flow_Lost_Join' can never be taken");
        BpmnAssert.Refused(xml, "Lost", "can never be reached");
    }

    [Fact]
    public void Deadlock_inside_a_sub_process_is_found()
    {
        var xml = BpmnXml.Linear().Build().Replace("<userTask id=\"Task\" name=\"Task name\" cpf:candidateGroups=\"review\"></userTask>", """
            <subProcess id="Task">
              <startEvent id="S"/><exclusiveGateway id="X" default="F3"/><userTask id="A" cpf:candidateGroups="review"/>
              <parallelGateway id="J"/><endEvent id="E"/>
              <sequenceFlow id="F1" sourceRef="S" targetRef="X"/>
              <sequenceFlow id="F2" sourceRef="X" targetRef="A"><conditionExpression>a</conditionExpression></sequenceFlow>
              <sequenceFlow id="F3" sourceRef="X" targetRef="J"/>
              <sequenceFlow id="F4" sourceRef="A" targetRef="J"/>
              <sequenceFlow id="F5" sourceRef="J" targetRef="E"/>
            </subProcess>
            """);

        BpmnAssert.Refused(xml, "J", "F3 and F4", "exclusive gateway 'X'");
    }

    [Fact]
    public void Exclusive_split_after_a_fork_and_its_join_still_deadlocks_a_later_join()
    {
        // Fork → [A, B] → Join → X → (b1 → J2 | b2 → T → J2): the fork's tokens are merged again before X.
        var xml = new BpmnXml().Start().Parallel("Fork").UserTask("A").UserTask("B").Parallel("Join")
            .Exclusive("X", "Flow_X_T").UserTask("T").Parallel("J2").End()
            .Flow("Start", "Fork").Flow("Fork", "A").Flow("Fork", "B").Flow("A", "Join").Flow("B", "Join")
            .Flow("Join", "X").Flow("X", "J2", "b1").Flow("X", "T").Flow("T", "J2").Flow("J2", "End").Build();

        BpmnAssert.Refused(xml, "J2", "Flow_X_J2 and Flow_T_J2", "exclusive gateway 'X'");
    }

    [Fact]
    public void Deadlock_inside_a_rework_loop_with_a_fork_is_still_found()
    {
        // Start → Merge → Fork → [A, B] → Join → X → (b1 → J2 | b2 → T → J2) → J2 → D → (End | back to Merge).
        // The fork lies on the loop, but the loop passes J2 itself, so X never gets a second token while J2 waits.
        var xml = new BpmnXml().Start().Exclusive("Merge").Parallel("Fork").UserTask("A").UserTask("B").Parallel("Join")
            .Exclusive("X", "Flow_X_T").UserTask("T").Parallel("J2").Exclusive("D", "Flow_D_Merge").End()
            .Flow("Start", "Merge").Flow("Merge", "Fork").Flow("Fork", "A").Flow("Fork", "B").Flow("A", "Join").Flow("B", "Join")
            .Flow("Join", "X").Flow("X", "J2", "b1").Flow("X", "T").Flow("T", "J2").Flow("J2", "D")
            .Flow("D", "End", "done").Flow("D", "Merge").Build();

        BpmnAssert.Refused(xml, "J2", "Flow_X_J2 and Flow_T_J2", "exclusive gateway 'X'");
    }

    [Fact]
    public void Large_process_with_many_loops_and_joins_is_analysed()
    {
        // 300 stages: each a fork of two tasks, a join and a decision that may send the case back to the first stage.
        var xml = new BpmnXml().Start().Exclusive("Again").Flow("Start", "Again");
        var previous = "Again";
        for (var i = 0; i < 300; i++)
        {
            xml.Parallel($"Fork{i}").UserTask($"A{i}").UserTask($"B{i}").Parallel($"Join{i}").Exclusive($"D{i}", $"Flow_D{i}_Back{i}").UserTask($"Back{i}")
                .Raw($"<sequenceFlow id=\"In{i}\" sourceRef=\"{previous}\" targetRef=\"Fork{i}\">{(i == 0 ? "" : "<conditionExpression>ok</conditionExpression>")}</sequenceFlow>")
                .Flow($"Fork{i}", $"A{i}").Flow($"Fork{i}", $"B{i}").Flow($"A{i}", $"Join{i}").Flow($"B{i}", $"Join{i}")
                .Flow($"Join{i}", $"D{i}").Flow($"D{i}", $"Back{i}").Flow($"Back{i}", "Again");
            previous = $"D{i}";
        }
        xml.End().Raw("<sequenceFlow id=\"Done\" sourceRef=\"D299\" targetRef=\"End\"><conditionExpression>ok</conditionExpression></sequenceFlow>");

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal(300 * 6 + 3, definition.Nodes.Count());
    }
}
