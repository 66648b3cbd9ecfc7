using System.Text;
using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Model;
using Xunit.Sdk;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>
/// Builds small BPMN files for tests: the BPMN model namespace is the default namespace, <c>cpf:</c>,
/// <c>camunda:</c>, <c>flowable:</c> and <c>xsi:</c> are declared. Flow ids default to <c>Flow_{source}_{target}</c>.
/// </summary>
internal sealed class BpmnXml
{
    public const string CpfNs = "https://cleanprodflow.example/schema/1.0";

    private readonly StringBuilder _body = new();
    private readonly StringBuilder _root = new();
    private string _processAttributes = "isExecutable=\"true\"";
    private string _processId = "Process_1";

    /// <summary>Start → userTask Task (candidate group review) → End.</summary>
    public static BpmnXml Linear() => new BpmnXml().Start().UserTask("Task").End().Flow("Start", "Task").Flow("Task", "End");

    public BpmnXml Start(string id = "Start", string inner = "", string attributes = "") =>
        Raw($"<startEvent id=\"{id}\" {attributes}>{inner}</startEvent>");

    public BpmnXml End(string id = "End", string inner = "") => Raw($"<endEvent id=\"{id}\">{inner}</endEvent>");

    public BpmnXml UserTask(string id, string attributes = "cpf:candidateGroups=\"review\"", string inner = "") =>
        Raw($"<userTask id=\"{id}\" name=\"{id} name\" {attributes}>{inner}</userTask>");

    public BpmnXml ServiceTask(string id, string attributes = "cpf:handler=\"eligibility.check\"", string inner = "") =>
        Raw($"<serviceTask id=\"{id}\" {attributes}>{inner}</serviceTask>");

    public BpmnXml Exclusive(string id, string? defaultFlow = null) =>
        Raw(defaultFlow is null ? $"<exclusiveGateway id=\"{id}\"/>" : $"<exclusiveGateway id=\"{id}\" default=\"{defaultFlow}\"/>");

    public BpmnXml Inclusive(string id, string? defaultFlow = null) =>
        Raw(defaultFlow is null ? $"<inclusiveGateway id=\"{id}\"/>" : $"<inclusiveGateway id=\"{id}\" default=\"{defaultFlow}\"/>");

    public BpmnXml Parallel(string id) => Raw($"<parallelGateway id=\"{id}\"/>");

    public BpmnXml Flow(string source, string target, string? condition = null, string? id = null)
    {
        id ??= FlowId(source, target);
        return Raw(condition is null
            ? $"<sequenceFlow id=\"{id}\" sourceRef=\"{source}\" targetRef=\"{target}\"/>"
            : $"<sequenceFlow id=\"{id}\" sourceRef=\"{source}\" targetRef=\"{target}\"><conditionExpression xsi:type=\"tFormalExpression\"><![CDATA[{condition}]]></conditionExpression></sequenceFlow>");
    }

    public static string FlowId(string source, string target) => $"Flow_{source}_{target}";

    /// <summary>Any XML inside the process.</summary>
    public BpmnXml Raw(string xml)
    {
        _body.Append(xml).Append('\n');
        return this;
    }

    /// <summary>Any XML inside definitions, before the process (messages, collaboration).</summary>
    public BpmnXml Root(string xml)
    {
        _root.Append(xml).Append('\n');
        return this;
    }

    public BpmnXml Message(string id, string? name) =>
        Root(name is null ? $"<message id=\"{id}\"/>" : $"<message id=\"{id}\" name=\"{name}\"/>");

    public BpmnXml ProcessAttributes(string attributes)
    {
        _processAttributes = attributes;
        return this;
    }

    public BpmnXml ProcessId(string id)
    {
        _processId = id;
        return this;
    }

    public string Build() =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                     xmlns:cpf="{CpfNs}"
                     xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                     xmlns:flowable="http://flowable.org/bpmn"
                     xmlns:activiti="http://activiti.org/bpmn"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xmlns:color="http://www.omg.org/spec/BPMN/non-normative/color/1.0"
                     id="Definitions_1" targetNamespace="https://cleanprodflow.example/test">
        {_root}<process id="{_processId}" name="Test process" {_processAttributes}>
        {_body}</process>
        </definitions>
        """;

    public override string ToString() => Build();
}

/// <summary>Assertions on read results that print every problem when they fail.</summary>
internal static class BpmnAssert
{
    public static ProcessDefinition Accepted(string xml, BpmnReadOptions? options = null)
    {
        var result = BpmnReader.Read(xml, options);
        if (!result.IsValid || result.Problems.Count > 0)
            throw new XunitException("Expected the file to be accepted, but it was refused:\n" + Describe(result));
        return result.Definition!;
    }

    public static ProcessDefinition Accepted(BpmnXml xml, BpmnReadOptions? options = null) => Accepted(xml.Build(), options);

    /// <summary>The file is refused with a problem on <paramref name="elementId"/> whose English message contains every fragment.</summary>
    public static BpmnProblem Refused(string xml, string elementId, params string[] fragments) => Refused(xml, null, elementId, fragments);

    public static BpmnProblem Refused(BpmnXml xml, string elementId, params string[] fragments) => Refused(xml.Build(), null, elementId, fragments);

    public static BpmnProblem Refused(string xml, BpmnReadOptions? options, string elementId, params string[] fragments)
    {
        var result = BpmnReader.Read(xml, options);
        if (result.IsValid || result.Definition is not null)
            throw new XunitException($"Expected the file to be refused (on '{elementId}'), but it was accepted.");
        var match = result.Problems.FirstOrDefault(p => p.ElementId == elementId
            && fragments.All(f => p.Message.Contains(f, StringComparison.OrdinalIgnoreCase)));
        if (match is null)
        {
            throw new XunitException(
                $"Expected a problem on '{elementId}' containing [{string.Join(" | ", fragments)}]; the problems were:\n" + Describe(result));
        }
        Assert.False(string.IsNullOrWhiteSpace(match.MessageZh));
        Assert.NotEqual(match.Message, match.MessageZh);
        return match;
    }

    public static BpmnReadResult RefusedResult(string xml, BpmnReadOptions? options = null)
    {
        var result = BpmnReader.Read(xml, options);
        Assert.Null(result.Definition);
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Problems);
        foreach (var problem in result.Problems)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Message));
            Assert.False(string.IsNullOrWhiteSpace(problem.MessageZh));
        }
        return result;
    }

    /// <summary>No problem mentions <paramref name="fragment"/> (e.g. the analysis did not flag a deadlock).</summary>
    public static void NoProblemMentions(string xml, string fragment)
    {
        var result = BpmnReader.Read(xml);
        var problems = result.Problems.Where(p => p.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase)).ToList();
        if (problems.Count > 0)
            throw new XunitException($"Expected no problem mentioning '{fragment}', got:\n" + Describe(result));
    }

    public static string Describe(BpmnReadResult result) =>
        string.Join("\n", result.Problems.Select(p => $"  [{p.ElementId}] {p.Message} / {p.MessageZh}"));
}
