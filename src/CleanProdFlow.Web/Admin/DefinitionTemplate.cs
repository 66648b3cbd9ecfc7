using System.Security;
using System.Text.RegularExpressions;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Web.Admin;

/// <summary>
/// The smallest runnable definition to start a new workflow from in the modeler: start → one user task (for the
/// acceptance group, which an administrator changes) → end, with its diagram, and the cpf namespace declared so the
/// modeler keeps cpf: attributes added later.
/// </summary>
public static partial class DefinitionTemplate
{
    /// <summary>A process id that is also a readable key in URLs: a letter, then letters, digits, '-', '_' or '.'.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    public static IReadOnlyList<FieldError> Check(string? key, string? name)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(key))
            errors.Add(new("key", new("流程标识不能为空", "the key is required")));
        else if (!KeyPattern().IsMatch(key))
            errors.Add(new("key", new("流程标识须为 2–64 个字符，以字母开头，只含字母、数字和 - _ .（如 enterprise-visit）",
                "the key must be 2–64 characters, start with a letter and contain only letters, digits, '-', '_' or '.' (e.g. enterprise-visit)")));
        if (string.IsNullOrWhiteSpace(name))
            errors.Add(new("name", new("流程名称不能为空", "the name is required")));
        else if (name.Trim().Length > 200)
            errors.Add(new("name", new("流程名称不能超过 200 个字符", "the name must be at most 200 characters")));
        return errors;
    }

    public static string Xml(string key, string name)
    {
        var k = SecurityElement.Escape(key);
        var n = SecurityElement.Escape(name.Trim());
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                              xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                              xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
                              xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                              id="{k}-definitions" targetNamespace="https://cleanprodflow.example/workflows">
              <bpmn:process id="{k}" name="{n}" isExecutable="true">
                <bpmn:startEvent id="start" name="开始">
                  <bpmn:outgoing>flow-start</bpmn:outgoing>
                </bpmn:startEvent>
                <bpmn:userTask id="handle" name="办理" cpf:candidateGroups="acceptance">
                  <bpmn:incoming>flow-start</bpmn:incoming>
                  <bpmn:outgoing>flow-end</bpmn:outgoing>
                </bpmn:userTask>
                <bpmn:endEvent id="end" name="结束">
                  <bpmn:incoming>flow-end</bpmn:incoming>
                </bpmn:endEvent>
                <bpmn:sequenceFlow id="flow-start" sourceRef="start" targetRef="handle"/>
                <bpmn:sequenceFlow id="flow-end" sourceRef="handle" targetRef="end"/>
              </bpmn:process>
              <bpmndi:BPMNDiagram id="{k}-diagram">
                <bpmndi:BPMNPlane id="{k}-plane" bpmnElement="{k}">
                  <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36"/></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="handle_di" bpmnElement="handle"><dc:Bounds x="240" y="80" width="100" height="80"/></bpmndi:BPMNShape>
                  <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="392" y="102" width="36" height="36"/></bpmndi:BPMNShape>
                  <bpmndi:BPMNEdge id="flow-start_di" bpmnElement="flow-start"><di:waypoint x="188" y="120"/><di:waypoint x="240" y="120"/></bpmndi:BPMNEdge>
                  <bpmndi:BPMNEdge id="flow-end_di" bpmnElement="flow-end"><di:waypoint x="340" y="120"/><di:waypoint x="392" y="120"/></bpmndi:BPMNEdge>
                </bpmndi:BPMNPlane>
              </bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
    }
}
