namespace CleanProdFlow.Data.Tests.Runtime;

/// <summary>Small BPMN files for the runtime tests, written as a modeller would (cpf extension attributes).</summary>
internal static class Bpmn
{
    public static string Process(string key, string body) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="defs-{key}" targetNamespace="https://cleanprodflow.example/test">
          <bpmn:message id="msg-revoked" name="incentive.revoked" />
          <bpmn:process id="{key}" name="{key}" isExecutable="true">
        {body}
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>start → review (user task, candidate group review) with a boundary timer of the given duration → end.</summary>
    public static string ReviewWithTimer(string key, string duration = "P1D", bool interrupting = true) => Process(key, $"""
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="review" name="审查" cpf:candidateGroups="review" cpf:outcomes="approve,reject">
              <bpmn:extensionElements>
                <cpf:form><cpf:field name="opinion" type="text" label="审查意见" required="true" /></cpf:form>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:boundaryEvent id="late" attachedToRef="review" cancelActivity="{(interrupting ? "true" : "false")}">
              <bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:boundaryEvent>
            <bpmn:userTask id="escalate" name="督办" cpf:candidateGroups="approver" />
            <bpmn:endEvent id="end" />
            <bpmn:endEvent id="end-late" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
            <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
            <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="escalate" />
            <bpmn:sequenceFlow id="f4" sourceRef="escalate" targetRef="end-late" />
        """);

    /// <summary>start → parallel split → two timers of the given duration → parallel join → after → end.</summary>
    public static string TwoTimers(string key, string duration = "PT1H") => Process(key, $"""
            <bpmn:startEvent id="start" />
            <bpmn:parallelGateway id="split" />
            <bpmn:intermediateCatchEvent id="wait-a">
              <bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:intermediateCatchEvent id="wait-b">
              <bpmn:timerEventDefinition><bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:parallelGateway id="join" />
            <bpmn:userTask id="after" name="期满办理" cpf:candidateGroups="review" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
            <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="wait-a" />
            <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="wait-b" />
            <bpmn:sequenceFlow id="f4" sourceRef="wait-a" targetRef="join" />
            <bpmn:sequenceFlow id="f5" sourceRef="wait-b" targetRef="join" />
            <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="after" />
            <bpmn:sequenceFlow id="f7" sourceRef="after" targetRef="end" />
        """);

    /// <summary>start → wait for message incentive.revoked (key = variable caseNumber) → end.</summary>
    public static string WaitForRevocation(string key) => Process(key, """
            <bpmn:startEvent id="start" />
            <bpmn:intermediateCatchEvent id="revoked" cpf:correlationKey="caseNumber">
              <bpmn:messageEventDefinition messageRef="msg-revoked" />
            </bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="revoked" />
            <bpmn:sequenceFlow id="f2" sourceRef="revoked" targetRef="end" />
        """);

    /// <summary>start → service task with the given handler → review → end.</summary>
    public static string ServiceThenReview(string key, string handler) => Process(key, $"""
            <bpmn:startEvent id="start" />
            <bpmn:serviceTask id="check" name="资格核验" cpf:handler="{handler}" />
            <bpmn:userTask id="review" name="审查" cpf:candidateGroups="review" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="review" />
            <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="end" />
        """);

    /// <summary>start → call activity calling <paramref name="child"/> → after (user task) → end.</summary>
    public static string Calling(string key, string child) => Process(key, $"""
            <bpmn:startEvent id="start" />
            <bpmn:callActivity id="call" calledElement="{child}" />
            <bpmn:userTask id="after" cpf:candidateGroups="review" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
            <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="after" />
            <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
        """);

    /// <summary>A process started by a timer at the given ISO date (no none start event).</summary>
    public static string StartedAt(string key, string date) => Process(key, $"""
            <bpmn:startEvent id="yearly">
              <bpmn:timerEventDefinition><bpmn:timeDate>{date}</bpmn:timeDate></bpmn:timerEventDefinition>
            </bpmn:startEvent>
            <bpmn:userTask id="collect" name="收集推荐名单" cpf:candidateGroups="review" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="yearly" targetRef="collect" />
            <bpmn:sequenceFlow id="f2" sourceRef="collect" targetRef="end" />
        """);

    /// <summary>start → check → approve → end (v2 of a one-task process, with the task renamed).</summary>
    public static string TwoTasks(string key, string first, string second) => Process(key, $"""
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="{first}" cpf:candidateGroups="review" />
            <bpmn:userTask id="{second}" cpf:candidateGroups="review" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{first}" />
            <bpmn:sequenceFlow id="f2" sourceRef="{first}" targetRef="{second}" />
            <bpmn:sequenceFlow id="f3" sourceRef="{second}" targetRef="end" />
        """);

    public static string OneTask(string key, string task) => Process(key, $"""
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="{task}" cpf:candidateGroups="review" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{task}" />
            <bpmn:sequenceFlow id="f2" sourceRef="{task}" targetRef="end" />
        """);
}
