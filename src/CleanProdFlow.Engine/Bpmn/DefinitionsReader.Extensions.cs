using System.Xml.Linq;
using static CleanProdFlow.Engine.Bpmn.BpmnNames;

namespace CleanProdFlow.Engine.Bpmn;

internal sealed partial class DefinitionsReader
{
    /// <summary>The cpf attributes each BPMN element may carry; whether they fit the element is checked where it is read.</summary>
    private static readonly Dictionary<string, string[]> CpfAttributes = new(StringComparer.Ordinal)
    {
        ["userTask"] = ["candidateGroups", "organisationVariable", "outcomes", "timeLimit", "clock"],
        ["serviceTask"] = ["handler"],
        ["timerEventDefinition"] = ["timeLimit", "clock", "clockPoint"],
        ["startEvent"] = ["timeLimit", "clock", "correlationKey"],
        ["intermediateCatchEvent"] = ["timeLimit", "clock", "clockPoint", "correlationKey"],
        ["boundaryEvent"] = ["timeLimit", "clock", "clockPoint", "correlationKey"],
    };

    /// <summary>
    /// One walk over the semantic part of the file (not the diagram, not subtrees already refused) for extensions:
    /// unknown cpf attributes and elements, and other engines' attributes and elements that carry execution
    /// meaning (refused, naming the cpf: replacement). Other foreign namespaces (colours, vendor metadata) are ignored.
    /// </summary>
    private void SweepExtensions(XElement root)
    {
        var stack = new Stack<XElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var element = stack.Pop();
            if (_refused.Contains(element))
                continue;

            var ns = element.Name.Namespace;
            if (ns == Cpf)
            {
                if (!IsAllowedForm(element) && !IsAllowedInput(element))
                {
                    var (ownerId, label, labelZh) = Owner(element.Parent);
                    Add(ownerId, $"{label}: unknown element cpf:{element.Name.LocalName} (cpf:form is allowed only in a userTask's extensionElements, cpf:input only in a serviceTask's)",
                        $"{labelZh}：未知元素 cpf:{element.Name.LocalName}（cpf:form 只能用于用户任务的 extensionElements，cpf:input 只能用于服务任务的）");
                }
                continue; // a form's or input's content is checked when the task is read
            }

            if (EngineName(ns) is { } engine)
            {
                if (!IsCosmeticEngineElement(element.Name.LocalName))
                {
                    var (ownerId, label, labelZh) = Owner(element.Parent);
                    var hint = EngineHint(element.Name.LocalName);
                    Add(ownerId, $"{label}: {engine}:{element.Name.LocalName} is not supported: {hint.En}",
                        $"{labelZh}：不支持 {engine}:{element.Name.LocalName}，{hint.Zh}");
                }
                continue;
            }

            if (ns != BpmnNs)
                continue; // the diagram, and other tools' extensions without execution meaning

            CheckAttributes(element);
            foreach (var child in element.Elements())
                stack.Push(child);
        }
    }

    private void CheckAttributes(XElement element)
    {
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
                continue;
            var ns = attribute.Name.Namespace;
            var local = attribute.Name.LocalName;
            if (ns == Cpf)
            {
                if (!CpfAttributes.TryGetValue(element.Name.LocalName, out var allowed) || !allowed.Contains(local))
                {
                    var (ownerId, label, labelZh) = Owner(element);
                    Add(ownerId, $"{label}: unknown attribute cpf:{local}", $"{labelZh}：未知属性 cpf:{local}");
                }
            }
            else if (EngineName(ns) is { } engine && !IsCosmeticEngineAttribute(local))
            {
                var (ownerId, label, labelZh) = Owner(element);
                var hint = EngineHint(local);
                Add(ownerId, $"{label}: {engine}:{local} is not supported: {hint.En}", $"{labelZh}：不支持 {engine}:{local}，{hint.Zh}");
            }
        }
    }

    private static bool IsAllowedForm(XElement element) =>
        element.Name == Cpf + "form"
        && element.Parent is { } extensions && extensions.Name == BpmnNs + "extensionElements"
        && extensions.Parent is { } task && task.Name == BpmnNs + "userTask";

    private static bool IsAllowedInput(XElement element) =>
        element.Name == Cpf + "input"
        && element.Parent is { } extensions && extensions.Name == BpmnNs + "extensionElements"
        && extensions.Parent is { } task && task.Name == BpmnNs + "serviceTask";

    /// <summary>The nearest element with an id, as (id, English label, Chinese label) for messages.</summary>
    private static (string Id, string Label, string LabelZh) Owner(XElement? element)
    {
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Name.Namespace == BpmnNs && e.Name.LocalName != "definitions" && IdOf(e) is { Length: > 0 } id)
            {
                var kind = e.Name.LocalName;
                return (id, $"{kind} '{id}'", $"{Zh(kind)}“{id}”");
            }
        }
        return ("", "the file", "文件");
    }
}
