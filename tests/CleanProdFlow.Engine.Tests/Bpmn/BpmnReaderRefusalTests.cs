using CleanProdFlow.Engine.Bpmn;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>Elements and extensions outside the subset are refused by id, with a reason in English and Chinese.</summary>
public sealed class BpmnReaderRefusalTests
{
    /// <summary>Start → {element} → End, the element carrying the id "X".</summary>
    private static string WithNode(string element) =>
        new BpmnXml().Start().Raw(element).End().Flow("Start", "X").Flow("X", "End").Build();

    [Theory]
    [InlineData("<task id=\"X\"/>", "task")]
    [InlineData("<sendTask id=\"X\"/>", "sendTask")]
    [InlineData("<receiveTask id=\"X\"/>", "receiveTask")]
    [InlineData("<scriptTask id=\"X\" scriptFormat=\"javascript\"><script>1</script></scriptTask>", "scriptTask")]
    [InlineData("<businessRuleTask id=\"X\"/>", "businessRuleTask")]
    [InlineData("<manualTask id=\"X\"/>", "manualTask")]
    [InlineData("<eventBasedGateway id=\"X\"/>", "eventBasedGateway")]
    [InlineData("<complexGateway id=\"X\"/>", "complexGateway")]
    [InlineData("<intermediateThrowEvent id=\"X\"/>", "intermediateThrowEvent")]
    [InlineData("<intermediateThrowEvent id=\"X\"><signalEventDefinition/></intermediateThrowEvent>", "intermediateThrowEvent")]
    [InlineData("<adHocSubProcess id=\"X\"><userTask id=\"Inner\" cpf:candidateGroups=\"review\"/></adHocSubProcess>", "adHocSubProcess")]
    [InlineData("<transaction id=\"X\"><startEvent id=\"TS\"/></transaction>", "transaction")]
    public void Flow_nodes_outside_the_subset_are_refused_once_by_id(string element, string kind)
    {
        var xml = WithNode(element);

        var problem = BpmnAssert.Refused(xml, "X", kind, "not supported");

        Assert.Contains("不支持", problem.MessageZh);
        var result = BpmnReader.Read(xml);
        Assert.Single(result.Problems); // neighbours are not reported as unreachable or dead ends, contents are not read
    }

    [Theory]
    [InlineData("signalEventDefinition")]
    [InlineData("errorEventDefinition")]
    [InlineData("escalationEventDefinition")]
    [InlineData("compensateEventDefinition")]
    [InlineData("conditionalEventDefinition")]
    [InlineData("linkEventDefinition")]
    public void Catch_events_other_than_timer_and_message_are_refused(string definition)
    {
        var xml = WithNode($"<intermediateCatchEvent id=\"X\"><{definition} id=\"Def\"/></intermediateCatchEvent>");

        BpmnAssert.Refused(xml, "X", "not supported", definition[..^"EventDefinition".Length]);
    }

    [Theory]
    [InlineData("signalEventDefinition")]
    [InlineData("errorEventDefinition")]
    [InlineData("escalationEventDefinition")]
    public void Boundary_events_other_than_timer_and_message_are_refused(string definition)
    {
        var xml = BpmnXml.Linear().End("End2")
            .Raw($"<boundaryEvent id=\"B\" attachedToRef=\"Task\"><{definition}/></boundaryEvent>").Flow("B", "End2").Build();

        BpmnAssert.Refused(xml, "B", "not supported");
        Assert.Single(BpmnReader.Read(xml).Problems);
    }

    [Fact]
    public void Message_start_event_is_refused()
    {
        var xml = new BpmnXml().Message("M", "apply")
            .Start(inner: "<messageEventDefinition messageRef=\"M\"/>").UserTask("Task").End()
            .Flow("Start", "Task").Flow("Task", "End").Build();

        BpmnAssert.Refused(xml, "Start", "message startEvent", "not supported");
        Assert.Single(BpmnReader.Read(xml).Problems);
    }

    [Theory]
    [InlineData("<messageEventDefinition/>", "message endEvent")]
    [InlineData("<errorEventDefinition/>", "error endEvent")]
    [InlineData("<signalEventDefinition/>", "signal endEvent")]
    [InlineData("<terminateEventDefinition/><terminateEventDefinition/>", "2 event definitions")]
    public void End_events_other_than_none_and_terminate_are_refused(string definition, string fragment)
    {
        var xml = new BpmnXml().Start().UserTask("Task").End("End", definition).Flow("Start", "Task").Flow("Task", "End").Build();

        BpmnAssert.Refused(xml, "End", fragment, "not supported");
    }

    [Fact]
    public void Event_sub_process_is_refused()
    {
        var xml = BpmnXml.Linear().Raw("""
            <subProcess id="Events" triggeredByEvent="true">
              <startEvent id="EvStart"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></startEvent>
              <endEvent id="EvEnd"/>
              <sequenceFlow id="EvFlow" sourceRef="EvStart" targetRef="EvEnd"/>
            </subProcess>
            """).Build();

        BpmnAssert.Refused(xml, "Events", "event sub-process", "not supported");
        Assert.Single(BpmnReader.Read(xml).Problems);
    }

    [Fact]
    public void Data_objects_stores_and_associations_are_refused_by_their_own_ids()
    {
        var xml = BpmnXml.Linear().Raw("""
            <dataObject id="DataObject_1"/>
            <dataObjectReference id="DataRef_1" dataObjectRef="DataObject_1"/>
            <dataStoreReference id="StoreRef_1"/>
            """).Build().Replace("<userTask id=\"Task\" name=\"Task name\" cpf:candidateGroups=\"review\">",
            "<userTask id=\"Task\" name=\"Task name\" cpf:candidateGroups=\"review\"><dataOutputAssociation id=\"DataOut_1\"><targetRef>DataRef_1</targetRef></dataOutputAssociation>");

        var result = BpmnAssert.RefusedResult(xml);

        Assert.Equal(["DataObject_1", "DataOut_1", "DataRef_1", "StoreRef_1"], result.Problems.Select(p => p.ElementId).Order());
        Assert.All(result.Problems, p => Assert.Contains("not supported", p.Message));
    }

    [Theory]
    [InlineData("<multiInstanceLoopCharacteristics isSequential=\"false\"/>", "multiInstanceLoopCharacteristics")]
    [InlineData("<standardLoopCharacteristics/>", "standardLoopCharacteristics")]
    [InlineData("<ioSpecification id=\"Io\"><inputSet/><outputSet/></ioSpecification>", "ioSpecification")]
    [InlineData("<property id=\"Prop\" name=\"p\"/>", "property")]
    [InlineData("<potentialOwner><resourceAssignmentExpression><formalExpression>x</formalExpression></resourceAssignmentExpression></potentialOwner>", "potentialOwner")]
    public void Activity_children_outside_the_subset_are_refused_on_the_activity(string child, string kind)
    {
        var xml = new BpmnXml().Start().UserTask("X", inner: child).End().Flow("Start", "X").Flow("X", "End").Build();

        BpmnAssert.Refused(xml, "X", kind, "not supported");
    }

    [Fact]
    public void Loop_characteristics_on_a_sub_process_are_refused_on_the_sub_process()
    {
        var xml = WithNode("""
            <subProcess id="X">
              <multiInstanceLoopCharacteristics/>
              <startEvent id="S2"/><endEvent id="E2"/><sequenceFlow id="F2" sourceRef="S2" targetRef="E2"/>
            </subProcess>
            """);

        BpmnAssert.Refused(xml, "X", "multiInstanceLoopCharacteristics", "not supported");
    }

    [Fact]
    public void Several_pools_and_message_flows_are_refused()
    {
        var xml = BpmnXml.Linear().Root("""
            <collaboration id="Collab">
              <participant id="Applicant" name="申请企业"/>
              <participant id="Bureau" processRef="Process_1"/>
              <messageFlow id="MsgFlow_1" sourceRef="Applicant" targetRef="Task"/>
            </collaboration>
            """).Build();

        BpmnAssert.Refused(xml, "Collab", "2 participants");
        BpmnAssert.Refused(xml, "MsgFlow_1", "messageFlow", "not supported");
        BpmnAssert.Refused(xml, "Applicant", "no process");
    }

    [Fact]
    public void Participant_must_refer_to_the_process_of_the_file()
    {
        var xml = BpmnXml.Linear().Root("""<collaboration id="C"><participant id="Pool" processRef="Other"/></collaboration>""").Build();

        BpmnAssert.Refused(xml, "Pool", "'Other'", "not in the file");
    }

    [Theory]
    [InlineData("isExecutable=\"false\"")]
    [InlineData("")]
    public void A_process_that_is_not_executable_is_refused(string attributes)
    {
        var xml = BpmnXml.Linear().ProcessAttributes(attributes).Build();

        BpmnAssert.Refused(xml, "Process_1", "process 'Process_1' is not executable");
    }

    [Fact]
    public void Several_processes_are_refused()
    {
        var xml = BpmnXml.Linear().Root("""
            <process id="Second" isExecutable="true"><startEvent id="S2"/><endEvent id="E2"/><sequenceFlow id="F2" sourceRef="S2" targetRef="E2"/></process>
            """).Build();

        BpmnAssert.Refused(xml, "Process_1", "2 processes", "exactly one process");
    }

    [Fact]
    public void A_file_without_process_is_refused()
    {
        var xml = """<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><message id="M" name="m"/></definitions>""";

        BpmnAssert.Refused(xml, "", "no process");
    }

    [Theory]
    [InlineData("<signal id=\"Signal_1\" name=\"s\"/>", "Signal_1", "signal")]
    [InlineData("<error id=\"Error_1\" errorCode=\"E\"/>", "Error_1", "error")]
    [InlineData("<itemDefinition id=\"Item_1\" structureRef=\"xsd:string\"/>", "Item_1", "itemDefinition")]
    [InlineData("<dataStore id=\"Store_1\"/>", "Store_1", "dataStore")]
    public void Root_elements_outside_the_subset_are_refused(string element, string id, string kind)
    {
        BpmnAssert.Refused(BpmnXml.Linear().Root(element), id, kind, "not supported");
    }

    // ------------------------------------------------------------ user tasks

    [Fact]
    public void User_task_without_candidate_groups_is_refused_because_nobody_could_see_it()
    {
        var xml = new BpmnXml().Start().UserTask("Task_1", "").End().Flow("Start", "Task_1").Flow("Task_1", "End").Build();

        var problem = BpmnAssert.Refused(xml, "Task_1");

        Assert.Equal("userTask 'Task_1' has no cpf:candidateGroups: nobody could see it", problem.Message);
        Assert.Equal("用户任务“Task_1”未设置 cpf:candidateGroups，无人可见", problem.MessageZh);
    }

    [Fact]
    public void User_task_with_blank_candidate_groups_is_refused()
    {
        BpmnAssert.Refused(new BpmnXml().Start().UserTask("T", "cpf:candidateGroups=\" , \"").End().Flow("Start", "T").Flow("T", "End"),
            "T", "no cpf:candidateGroups");
    }

    [Fact]
    public void Unknown_candidate_groups_are_refused_when_the_groups_are_known()
    {
        var xml = new BpmnXml().Start().UserTask("T", "cpf:candidateGroups=\"review, reveiw\"").End().Flow("Start", "T").Flow("T", "End").Build();
        var options = new BpmnReadOptions { KnownCandidateGroups = new HashSet<string> { "review", "approver" } };

        BpmnAssert.Refused(xml, options, "T", "unknown group", "'reveiw'");
        BpmnAssert.Accepted(xml.Replace("reveiw", "approver"), options);
    }

    [Theory]
    [InlineData("cpf:timeLimit=\"eia.technical-assessment\" cpf:clock=\"eia.decision\"", "both cpf:timeLimit and cpf:clock")]
    [InlineData("cpf:timeLimit=\"no.such.rule\"", "'no.such.rule', which does not exist")]
    [InlineData("cpf:timeLimit=\" \"", "cpf:timeLimit is empty")]
    [InlineData("cpf:clock=\"eia decision!\"", "not a valid clock name")]
    [InlineData("cpf:organisationVariable=\"city organisation\"", "not a variable name")]
    [InlineData("cpf:outcomes=\"approve,reject,approve\"", "'approve' more than once")]
    [InlineData("cpf:outcomes=\" , \"", "cpf:outcomes is empty")]
    public void User_task_extension_values_are_checked(string attributes, string fragment)
    {
        var xml = new BpmnXml().Start().UserTask("T", "cpf:candidateGroups=\"review\" " + attributes).End().Flow("Start", "T").Flow("T", "End").Build();
        var options = new BpmnReadOptions { IsKnownTimeLimitRule = id => id == "eia.technical-assessment" };

        BpmnAssert.Refused(xml, options, "T", fragment);
    }

    [Theory]
    [InlineData("<cpf:field name=\"decision\" type=\"enum\"/>", "enum field needs options")]
    [InlineData("<cpf:field name=\"a\"/><cpf:field name=\"a\" type=\"text\"/>", "declares the field 'a' twice")]
    [InlineData("<cpf:field name=\"1st\"/>", "not an identifier")]
    [InlineData("<cpf:field name=\"my-field\"/>", "not an identifier")]
    [InlineData("<cpf:field type=\"text\"/>", "a form field has no name")]
    [InlineData("<cpf:field name=\"a\" type=\"file\"/>", "unknown type 'file'")]
    [InlineData("<cpf:field name=\"a\" options=\"x,y\"/>", "options apply only to type enum")]
    [InlineData("<cpf:field name=\"a\" required=\"yes\"/>", "required must be true or false")]
    [InlineData("<cpf:field name=\"a\" type=\"enum\" options=\"x,x\"/>", "'x' more than once")]
    [InlineData("<cpf:field name=\"a\" placeholder=\"?\"/>", "unknown attribute placeholder")]
    [InlineData("<cpf:section name=\"s\"/>", "unknown element cpf:section")]
    public void Form_fields_are_checked(string fields, string fragment)
    {
        var xml = new BpmnXml().Start()
            .UserTask("T", inner: $"<extensionElements><cpf:form>{fields}</cpf:form></extensionElements>")
            .End().Flow("Start", "T").Flow("T", "End").Build();

        BpmnAssert.Refused(xml, "T", fragment);
    }

    [Fact]
    public void Two_forms_are_refused()
    {
        var xml = new BpmnXml().Start()
            .UserTask("T", inner: "<extensionElements><cpf:form/><cpf:form/></extensionElements>")
            .End().Flow("Start", "T").Flow("T", "End").Build();

        BpmnAssert.Refused(xml, "T", "2 cpf:form");
    }

    // ------------------------------------------------------------ service tasks

    [Fact]
    public void Service_task_without_handler_is_refused()
    {
        BpmnAssert.Refused(new BpmnXml().Start().ServiceTask("S1", "").End().Flow("Start", "S1").Flow("S1", "End"), "S1", "no cpf:handler");
    }

    [Fact]
    public void Service_task_with_an_unknown_handler_is_refused_when_handlers_are_known()
    {
        var xml = new BpmnXml().Start().ServiceTask("S1", "cpf:handler=\"eligibility.chek\"").End().Flow("Start", "S1").Flow("S1", "End").Build();

        BpmnAssert.Refused(xml, new BpmnReadOptions { IsKnownHandler = h => h == "eligibility.check" }, "S1", "'eligibility.chek'", "not a registered handler");
    }

    [Theory]
    [InlineData("camunda:class=\"com.example.Check\"", "camunda:class")]
    [InlineData("camunda:expression=\"${check.run()}\"", "camunda:expression")]
    [InlineData("camunda:delegateExpression=\"${checker}\"", "camunda:delegateExpression")]
    [InlineData("camunda:type=\"external\" camunda:topic=\"check\"", "camunda:type")]
    [InlineData("flowable:class=\"com.example.Check\"", "flowable:class")]
    [InlineData("activiti:expression=\"${x}\"", "activiti:expression")]
    public void Service_task_implemented_for_another_engine_is_refused_pointing_to_cpf_handler(string attributes, string attribute)
    {
        var xml = new BpmnXml().Start().ServiceTask("S1", attributes).End().Flow("Start", "S1").Flow("S1", "End").Build();

        BpmnAssert.Refused(xml, "S1", attribute, "not supported", "cpf:handler");
    }

    [Theory]
    [InlineData("implementation=\"##WebService\"", true)]
    [InlineData("implementation=\"##unspecified\"", true)]
    [InlineData("implementation=\"http://www.jboss.org/drools/rule\"", false)]
    [InlineData("implementation=\"Java\"", false)]
    [InlineData("operationRef=\"Op_1\"", false)]
    public void Service_task_implementation_attribute(string attribute, bool accepted)
    {
        var xml = new BpmnXml().Start().ServiceTask("S1", "cpf:handler=\"eligibility.check\" " + attribute).End().Flow("Start", "S1").Flow("S1", "End").Build();

        if (accepted)
            BpmnAssert.Accepted(xml);
        else
            BpmnAssert.Refused(xml, "S1", "cpf:handler");
    }

    [Fact]
    public void Call_activity_without_called_element_is_refused()
    {
        BpmnAssert.Refused(WithNode("<callActivity id=\"X\"/>"), "X", "no calledElement");
    }

    // ------------------------------------------------------------ other engines' and unknown extensions

    [Theory]
    [InlineData("camunda:assignee=\"demo\"", "camunda:assignee", "cpf:candidateGroups")]
    [InlineData("camunda:candidateUsers=\"a,b\"", "camunda:candidateUsers", "cpf:candidateGroups")]
    [InlineData("camunda:candidateGroups=\"review\"", "camunda:candidateGroups", "use cpf:candidateGroups")]
    [InlineData("camunda:formKey=\"embedded:app:form.html\"", "camunda:formKey", "cpf:form")]
    [InlineData("camunda:dueDate=\"${due}\"", "camunda:dueDate", "cpf:timeLimit")]
    [InlineData("camunda:asyncBefore=\"true\"", "camunda:asyncBefore", "remove it")]
    [InlineData("flowable:assignee=\"kermit\"", "flowable:assignee", "cpf:candidateGroups")]
    [InlineData("activiti:candidateGroups=\"review\"", "activiti:candidateGroups", "cpf:candidateGroups")]
    public void Execution_attributes_of_other_engines_are_refused(string attribute, string name, string hint)
    {
        var xml = new BpmnXml().Start().UserTask("T", "cpf:candidateGroups=\"review\" " + attribute).End().Flow("Start", "T").Flow("T", "End").Build();

        BpmnAssert.Refused(xml, "T", name, "not supported", hint);
    }

    [Theory]
    [InlineData("<camunda:executionListener event=\"start\" class=\"x\"/>", "camunda:executionListener")]
    [InlineData("<camunda:inputOutput><camunda:inputParameter name=\"a\">1</camunda:inputParameter></camunda:inputOutput>", "camunda:inputOutput")]
    [InlineData("<camunda:formData><camunda:formField id=\"a\" type=\"string\"/></camunda:formData>", "camunda:formData")]
    [InlineData("<flowable:taskListener event=\"create\" class=\"x\"/>", "flowable:taskListener")]
    public void Execution_elements_of_other_engines_are_refused(string element, string name)
    {
        var xml = new BpmnXml().Start().UserTask("T", inner: $"<extensionElements>{element}</extensionElements>").End().Flow("Start", "T").Flow("T", "End").Build();

        BpmnAssert.Refused(xml, "T", name, "not supported");
    }

    [Fact]
    public void Execution_listener_on_the_process_is_refused_on_the_process()
    {
        var xml = BpmnXml.Linear().Raw("<extensionElements><camunda:executionListener event=\"end\" class=\"x\"/></extensionElements>").Build();

        BpmnAssert.Refused(xml, "Process_1", "camunda:executionListener");
    }

    [Theory]
    [InlineData("userTask", "cpf:candidateGroups=\"review\" cpf:xyz=\"1\"", "unknown attribute cpf:xyz")]
    [InlineData("userTask", "cpf:candidateGroups=\"review\" cpf:handler=\"a.b\"", "unknown attribute cpf:handler")]
    [InlineData("serviceTask", "cpf:handler=\"a.b\" cpf:candidateGroups=\"review\"", "unknown attribute cpf:candidateGroups")]
    public void Unknown_cpf_attributes_are_refused(string kind, string attributes, string fragment)
    {
        var xml = WithNode($"<{kind} id=\"X\" {attributes}/>");

        BpmnAssert.Refused(xml, "X", fragment);
    }

    [Fact]
    public void Unknown_cpf_attribute_on_a_flow_and_cpf_elements_out_of_place_are_refused()
    {
        var xml = new BpmnXml().Start().ServiceTask("S1", inner: "<extensionElements><cpf:form/></extensionElements>").End()
            .Raw("""<sequenceFlow id="F1" sourceRef="Start" targetRef="S1" cpf:priority="1"/>""").Flow("S1", "End").Build();

        BpmnAssert.Refused(xml, "F1", "unknown attribute cpf:priority");
        BpmnAssert.Refused(xml, "S1", "unknown element cpf:form");
    }

    // ------------------------------------------------------------ timers

    [Theory]
    [InlineData("<timerEventDefinition/>", "has no time")]
    [InlineData("<timerEventDefinition><timeDuration>P1D</timeDuration><timeCycle>R2/P1D</timeCycle></timerEventDefinition>", "2 times")]
    [InlineData("<timerEventDefinition cpf:timeLimit=\"eia.publicity.report\"><timeDuration>P1D</timeDuration></timerEventDefinition>", "2 times")]
    [InlineData("<timerEventDefinition cpf:timeLimit=\"eia.publicity.report\" cpf:clock=\"c\"/>", "2 times")]
    [InlineData("<timerEventDefinition><timeDuration>PT0S</timeDuration></timerEventDefinition>", "zero or negative")]
    [InlineData("<timerEventDefinition><timeDuration>P0D</timeDuration></timerEventDefinition>", "zero or negative")]
    [InlineData("<timerEventDefinition><timeDuration>-P1D</timeDuration></timerEventDefinition>", "timer intermediateCatchEvent 'X'")]
    [InlineData("<timerEventDefinition><timeDuration>five days</timeDuration></timerEventDefinition>", "timer intermediateCatchEvent 'X'")]
    [InlineData("<timerEventDefinition><timeDuration>${due}</timeDuration></timerEventDefinition>", "timer intermediateCatchEvent 'X'")]
    [InlineData("<timerEventDefinition><timeDate> </timeDate></timerEventDefinition>", "timer intermediateCatchEvent 'X'")]
    [InlineData("<timerEventDefinition><timeCycle>R3/PT0S</timeCycle></timerEventDefinition>", "timer intermediateCatchEvent 'X'")]
    [InlineData("<timerEventDefinition><timeCycle>every day</timeCycle></timerEventDefinition>", "timer intermediateCatchEvent 'X'")]
    public void Timer_definitions_are_checked(string definition, string fragment)
    {
        var xml = WithNode($"<intermediateCatchEvent id=\"X\">{definition}</intermediateCatchEvent>");

        BpmnAssert.Refused(xml, "X", fragment);
    }

    [Fact]
    public void Timer_bound_to_an_unknown_rule_is_refused_when_rules_are_known()
    {
        var xml = WithNode("<intermediateCatchEvent id=\"X\"><timerEventDefinition cpf:timeLimit=\"eia.nothing\"/></intermediateCatchEvent>");

        BpmnAssert.Refused(xml, new BpmnReadOptions { IsKnownTimeLimitRule = _ => false }, "X", "'eia.nothing', which does not exist");
        BpmnAssert.Accepted(xml); // without the option the rule is not looked up
    }

    [Theory]
    [InlineData("<timerEventDefinition cpf:clock=\"eia.decision\"/>", "")]
    [InlineData("<timerEventDefinition/>", "cpf:timeLimit=\"audit.cycle\"")]
    public void Timer_start_event_cannot_follow_a_clock_or_time_limit(string definition, string attributes)
    {
        var xml = new BpmnXml().Start("Start", definition, attributes).UserTask("Task").End().Flow("Start", "Task").Flow("Task", "End").Build();

        BpmnAssert.Refused(xml, "Start", "timer startEvent 'Start' cannot use cpf:", "no instance yet");
    }

    [Fact]
    public void Timer_start_event_inside_a_sub_process_is_refused()
    {
        var xml = WithNode("""
            <subProcess id="X">
              <startEvent id="Inner"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></startEvent>
              <endEvent id="InnerEnd"/><sequenceFlow id="F9" sourceRef="Inner" targetRef="InnerEnd"/>
            </subProcess>
            """);

        BpmnAssert.Refused(xml, "Inner", "only at process level");
        BpmnAssert.Refused(xml, "X", "no start event inside");
    }

    [Fact]
    public void Binding_attributes_on_the_wrong_kind_of_event_are_refused()
    {
        var xml = new BpmnXml().Message("M", "m").Start()
            .Raw("<intermediateCatchEvent id=\"X\" cpf:timeLimit=\"audit.cycle\"><messageEventDefinition messageRef=\"M\"/></intermediateCatchEvent>")
            .Raw("<intermediateCatchEvent id=\"Y\" cpf:correlationKey=\"caseNumber\"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></intermediateCatchEvent>")
            .End().Flow("Start", "X").Flow("X", "Y").Flow("Y", "End").Build();

        BpmnAssert.Refused(xml, "X", "cpf:timeLimit applies only to a timer event");
        BpmnAssert.Refused(xml, "Y", "cpf:correlationKey applies only to a message");
    }

    [Fact]
    public void Catch_event_without_definition_is_refused()
    {
        BpmnAssert.Refused(WithNode("<intermediateCatchEvent id=\"X\"/>"), "X", "no event definition");
    }

    // ------------------------------------------------------------ messages

    [Theory]
    [InlineData("<messageEventDefinition/>", "names no message")]
    [InlineData("<messageEventDefinition messageRef=\"Nope\"/>", "'Nope', which is not defined")]
    [InlineData("<messageEventDefinition messageRef=\"Unnamed\"/>", "'Unnamed', which has no name")]
    public void Message_references_are_checked(string definition, string fragment)
    {
        var xml = new BpmnXml().Message("Unnamed", null).Start().Raw($"<intermediateCatchEvent id=\"X\">{definition}</intermediateCatchEvent>").End()
            .Flow("Start", "X").Flow("X", "End").Build();

        BpmnAssert.Refused(xml, "X", fragment);
    }

    [Theory]
    [InlineData("enterprise.", "cpf:correlationKey")]
    [InlineData(" ", "cpf:correlationKey is empty")]
    [InlineData("var a = 1", "cpf:correlationKey")]
    public void Correlation_key_must_be_an_expression(string key, string fragment)
    {
        var xml = new BpmnXml().Message("M", "paid").Start()
            .Raw($"<intermediateCatchEvent id=\"X\" cpf:correlationKey=\"{key}\"><messageEventDefinition messageRef=\"M\"/></intermediateCatchEvent>").End()
            .Flow("Start", "X").Flow("X", "End").Build();

        BpmnAssert.Refused(xml, "X", fragment);
    }

    // ------------------------------------------------------------ conditions and gateways

    [Fact]
    public void Condition_on_a_flow_that_does_not_leave_a_gateway_is_refused()
    {
        var xml = new BpmnXml().Start().UserTask("Task").End().Flow("Start", "Task").Flow("Task", "End", "approved").Build();

        BpmnAssert.Refused(xml, "Flow_Task_End", "leaves userTask 'Task'", "only on flows leaving an exclusive or inclusive gateway");
    }

    [Theory]
    [InlineData("groovy")]
    [InlineData("http://www.w3.org/1999/XPath")]
    [InlineData("juel")]
    public void Condition_in_another_language_is_refused(string language)
    {
        var xml = new BpmnXml().Start().Exclusive("X", "Flow_X_B").UserTask("A").UserTask("B").End()
            .Flow("Start", "X")
            .Raw($"""<sequenceFlow id="Flow_X_A" sourceRef="X" targetRef="A"><conditionExpression language="{language}">a</conditionExpression></sequenceFlow>""")
            .Flow("X", "B").Flow("A", "End").Flow("B", "End").Build();

        BpmnAssert.Refused(xml, "Flow_X_A", $"condition language '{language}' is not supported");
    }

    [Theory]
    [InlineData("amount >", "not a valid JavaScript expression")]
    [InlineData("${amount > 5", "does not end with")]
    [InlineData("while(true){}", "single expression")]
    [InlineData(" ", "empty condition")]
    public void Condition_that_does_not_compile_is_refused_with_the_reason(string condition, string fragment)
    {
        var xml = new BpmnXml().Start().Exclusive("X", "Flow_X_B").UserTask("A").UserTask("B").End()
            .Flow("Start", "X").Flow("X", "A", condition).Flow("X", "B").Flow("A", "End").Flow("B", "End").Build();

        BpmnAssert.Refused(xml, "Flow_X_A", fragment);
    }

    [Fact]
    public void Gateway_branch_without_condition_is_refused_unless_it_is_the_default()
    {
        var xml = new BpmnXml().Start().Exclusive("X").UserTask("A").UserTask("B").End()
            .Flow("Start", "X").Flow("X", "A", "ok").Flow("X", "B").Flow("A", "End").Flow("B", "End").Build();

        BpmnAssert.Refused(xml, "Flow_X_B", "leaves exclusiveGateway 'X'", "without a condition");
        BpmnAssert.Accepted(xml.Replace("<exclusiveGateway id=\"X\"/>", "<exclusiveGateway id=\"X\" default=\"Flow_X_B\"/>"));
    }

    [Fact]
    public void Inclusive_gateway_branch_without_condition_is_refused()
    {
        var xml = new BpmnXml().Start().Inclusive("X").UserTask("A").UserTask("B").End()
            .Flow("Start", "X").Flow("X", "A", "a").Flow("X", "B").Flow("A", "End").Flow("B", "End").Build();

        BpmnAssert.Refused(xml, "Flow_X_B", "inclusiveGateway 'X'", "without a condition");
    }

    [Fact]
    public void Default_flow_must_be_an_outgoing_flow_without_condition()
    {
        var conditioned = new BpmnXml().Start().Exclusive("X", "Flow_X_B").UserTask("A").UserTask("B").End()
            .Flow("Start", "X").Flow("X", "A", "a").Flow("X", "B", "b").Flow("A", "End").Flow("B", "End").Build();
        var elsewhere = new BpmnXml().Start().Exclusive("X", "Flow_A_End").UserTask("A").UserTask("B").End()
            .Flow("Start", "X").Flow("X", "A", "a").Flow("X", "B", "b").Flow("A", "End").Flow("B", "End").Build();

        BpmnAssert.Refused(conditioned, "X", "default flow 'Flow_X_B' has a condition");
        BpmnAssert.Refused(elsewhere, "X", "default flow 'Flow_A_End' is not one of its outgoing");
    }

    [Fact]
    public void Default_flow_on_an_activity_is_refused()
    {
        BpmnAssert.Refused(BpmnXml.Linear().Build().Replace("<userTask id=\"Task\"", "<userTask default=\"Flow_Task_End\" id=\"Task\""), "Task", "default flow");
    }

    [Theory]
    [InlineData("isForCompensation=\"true\"", "compensation")]
    [InlineData("startQuantity=\"2\"", "startQuantity")]
    public void Activity_attributes_with_other_semantics_are_refused(string attribute, string fragment)
    {
        BpmnAssert.Refused(BpmnXml.Linear().Build().Replace("<userTask id=\"Task\"", $"<userTask {attribute} id=\"Task\""), "Task", fragment);
    }

    [Fact]
    public void Reference_models_quantities_of_one_are_accepted()
    {
        BpmnAssert.Accepted(BpmnXml.Linear().Build().Replace("<userTask id=\"Task\"",
            "<userTask startQuantity=\"1\" completionQuantity=\"1\" isForCompensation=\"false\" implementation=\"##unspecified\" id=\"Task\""));
    }
}
