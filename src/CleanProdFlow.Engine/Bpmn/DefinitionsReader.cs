using System.Xml;
using System.Xml.Linq;
using CleanProdFlow.Engine.Model;
using static CleanProdFlow.Engine.Bpmn.BpmnNames;

namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// Reads one parsed <c>definitions</c> document: walks processes, collaboration and root elements, reads each node
/// of the subset into its model record, refuses everything else by id, then checks the graph. Used once per file.
/// </summary>
internal sealed partial class DefinitionsReader(string xml, BpmnReadOptions options)
{
    /// <summary>Flow nodes plus sequence flows one file may hold; far beyond any approval process.</summary>
    internal const int MaxFlowElements = 10_000;

    private readonly List<BpmnProblem> _problems = [];
    private readonly HashSet<(string, string)> _reported = [];
    private readonly Dictionary<string, XElement> _elementsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _messageNames = new(StringComparer.Ordinal);
    private readonly List<NodeInfo> _nodes = [];
    private readonly Dictionary<string, NodeInfo> _nodesById = new(StringComparer.Ordinal);
    private readonly List<FlowInfo> _flows = [];
    private readonly HashSet<string> _graphIds = new(StringComparer.Ordinal);

    /// <summary>Subtrees already refused as a whole: the extension sweep does not look inside them.</summary>
    private readonly HashSet<XElement> _refused = [];

    /// <summary>Scope key (process or sub-process id) → the process id it belongs to.</summary>
    private readonly Dictionary<string, string> _scopeProcess = new(StringComparer.Ordinal);

    public BpmnReadResult Read(XDocument document)
    {
        var root = document.Root;
        if (root is null || root.Name != BpmnNs + "definitions")
        {
            var found = root is null ? "nothing" : $"<{root.Name.LocalName}> in namespace '{root.Name.NamespaceName}'";
            Add("", $"this is not a BPMN 2.0 file: the root element must be <definitions> in namespace '{BpmnNs.NamespaceName}', found {found}",
                $"这不是 BPMN 2.0 文件：根元素应为命名空间“{BpmnNs.NamespaceName}”中的 <definitions>，实际为 {found}");
            return Result(null);
        }

        CollectIds(root);
        var processes = new List<XElement>();
        var collaborations = new List<XElement>();
        foreach (var child in root.Elements())
        {
            if (child.Name.Namespace != BpmnNs)
                continue; // BPMNDiagram is kept verbatim; cpf and other engines' elements are handled by the sweep
            switch (child.Name.LocalName)
            {
                case "process":
                    processes.Add(child);
                    break;
                case "collaboration":
                    collaborations.Add(child);
                    break;
                case "message":
                    var id = (string?)child.Attribute("id");
                    if (!string.IsNullOrEmpty(id))
                        _messageNames[id] = ((string?)child.Attribute("name"))?.Trim();
                    break;
                case "category" or "documentation" or "extensionElements":
                    break;
                default:
                    RefuseElement(child, "");
                    break;
            }
        }

        if (processes.Count == 0)
            Add("", "the file contains no process", "文件中没有流程（process）");
        foreach (var extra in processes.Skip(1))
        {
            var names = string.Join(", ", processes.Select(p => (string?)p.Attribute("id") ?? "?"));
            Add(IdOf(extra), $"the file contains {processes.Count} processes ({names}); CleanProdFlow runs exactly one process per file",
                $"文件包含 {processes.Count} 个流程（{names}）；CleanProdFlow 每个文件只运行一个流程");
        }

        foreach (var process in processes)
            ReadProcess(process);
        foreach (var collaboration in collaborations)
            ReadCollaboration(collaboration, collaborations.Count, processes);

        SweepExtensions(root);

        if (_nodes.Count + _flows.Count > MaxFlowElements)
        {
            Add("", $"the file has {BpmnNames.Count(_nodes.Count + _flows.Count)} flow elements; at most {BpmnNames.Count(MaxFlowElements)} are accepted",
                $"文件包含 {BpmnNames.Count(_nodes.Count + _flows.Count)} 个流程元素，最多接受 {BpmnNames.Count(MaxFlowElements)} 个");
        }
        else
        {
            ConnectFlows();
            CheckNodes();
            CheckScopes();
        }

        if (_problems.Count > 0 || processes.Count != 1)
            return Result(null);
        var definition = Build(processes[0]);
        if (definition is null)
        {
            Add("", "the process could not be built although no problem was found; please report this file to the CleanProdFlow team",
                "未发现问题但无法构建流程；请将该文件反馈给 CleanProdFlow 开发组");
        }
        return Result(definition);
    }

    private BpmnReadResult Result(ProcessDefinition? definition) => new(definition, _problems.ToArray());

    private ProcessDefinition? Build(XElement process)
    {
        var nodes = new List<FlowNode>(_nodes.Count);
        foreach (var info in _nodes)
        {
            if (info.Node is null)
                return null; // cannot happen without a problem; never build a partial definition
            nodes.Add(info.Node with
            {
                ScopeId = info.ScopeId,
                Incoming = info.Incoming.Select(f => f.Id).ToArray(),
                Outgoing = info.Outgoing.Select(f => f.Id).ToArray(),
            });
        }

        var flows = _flows.Select(f => new SequenceFlow(f.Id, f.SourceRef!, f.TargetRef!) { Name = f.Name, Condition = f.Condition });
        return new ProcessDefinition(IdOf(process), NameOf(process), nodes, flows, xml);
    }

    // ---------------------------------------------------------------- problems

    private void Add(string elementId, string message, string messageZh)
    {
        if (_reported.Add((elementId, message)))
            _problems.Add(new BpmnProblem(elementId, message, messageZh));
    }

    private static string IdOf(XElement element) => ((string?)element.Attribute("id"))?.Trim() ?? "";

    private static string? NameOf(XElement element) => (string?)element.Attribute("name");

    private static int LineOf(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    /// <summary>Refuses an element outside the subset by its own id (or its owner's when it has none); its subtree is not read.</summary>
    private void RefuseElement(XElement element, string ownerId, string? kindOverride = null)
    {
        _refused.Add(element);
        var kind = kindOverride ?? element.Name.LocalName;
        var ownId = IdOf(element);
        var hint = UnsupportedHint(kind);
        var hintEn = hint is { } h ? $": {h.En}" : "";
        var hintZh = hint is { } hz ? $"，{hz.Zh}" : "";
        if (ownId.Length > 0)
        {
            Add(ownId, $"{kind} '{ownId}' is not supported{hintEn}", $"不支持 {KindZh(kind)}“{ownId}”{hintZh}");
        }
        else if (ownerId.Length > 0)
        {
            Add(ownerId, $"'{ownerId}' uses {kind}, which is not supported{hintEn}", $"“{ownerId}”使用了 {KindZh(kind)}，不支持{hintZh}");
        }
        else
        {
            Add("", $"{kind} (line {LineOf(element)}) is not supported{hintEn}", $"不支持 {KindZh(kind)}（第 {LineOf(element)} 行）{hintZh}");
        }
    }

    // ---------------------------------------------------------------- ids

    private void CollectIds(XElement root)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var element in root.DescendantsAndSelf())
        {
            if (element.Name.Namespace != BpmnNs || IdOf(element) is not { Length: > 0 } id)
                continue;
            if (_elementsById.TryAdd(id, element))
                counts[id] = 1;
            else
                counts[id]++;
        }

        foreach (var (id, count) in counts)
        {
            if (count > 1)
                Add(id, $"the id '{id}' is used by {count} elements; ids must be unique", $"标识“{id}”被 {count} 个元素使用；标识必须唯一");
        }
    }

    // ---------------------------------------------------------------- collaboration

    private void ReadCollaboration(XElement collaboration, int collaborationCount, List<XElement> processes)
    {
        var id = IdOf(collaboration);
        if (collaborationCount > 1)
            Add(id, $"the file contains {collaborationCount} collaborations; at most one pool is accepted", $"文件包含 {collaborationCount} 个协作；最多接受一个泳池");

        var participants = new List<XElement>();
        foreach (var child in collaboration.Elements())
        {
            if (child.Name.Namespace != BpmnNs)
                continue;
            switch (child.Name.LocalName)
            {
                case "participant":
                    participants.Add(child);
                    break;
                case "documentation" or "extensionElements" or "textAnnotation" or "association" or "group":
                    break;
                default:
                    RefuseElement(child, id);
                    break;
            }
        }

        if (participants.Count > 1)
        {
            Add(id, $"collaboration '{id}' has {participants.Count} participants (pools); CleanProdFlow runs one process per file, drawn without pools or in a single pool",
                $"协作“{id}”包含 {participants.Count} 个参与者（泳池）；CleanProdFlow 每个文件只运行一个流程，请不画泳池或只画一个泳池");
        }

        foreach (var participant in participants)
        {
            var participantId = IdOf(participant);
            foreach (var child in participant.Elements().Where(e => e.Name.Namespace == BpmnNs))
            {
                if (child.Name.LocalName is not ("documentation" or "extensionElements"))
                    RefuseElement(child, participantId);
            }

            var processRef = LocalRef((string?)participant.Attribute("processRef"));
            if (processRef is null)
            {
                Add(participantId, $"participant '{participantId}' has no process (an empty pool); CleanProdFlow does not exchange messages with other parties through pools",
                    $"参与者“{participantId}”没有流程（空泳池）；CleanProdFlow 不通过泳池与其他参与方交换消息");
            }
            else if (!processes.Any(p => IdOf(p) == processRef))
            {
                Add(participantId, $"participant '{participantId}' refers to process '{processRef}', which is not in the file",
                    $"参与者“{participantId}”引用的流程“{processRef}”不在文件中");
            }
        }
    }

    /// <summary>A reference that BPMN types as a QName (processRef, messageRef, attachedToRef): the prefix is dropped.</summary>
    private static string? LocalRef(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return null;
        var colon = text.LastIndexOf(':');
        return colon >= 0 ? text[(colon + 1)..] : text;
    }

    // ---------------------------------------------------------------- processes and scopes

    private void ReadProcess(XElement process)
    {
        var id = IdOf(process);
        if (id.Length == 0)
        {
            Add("", $"the process (line {LineOf(process)}) has no id", $"流程（第 {LineOf(process)} 行）没有标识（id）");
            id = $"process@{LineOf(process)}";
        }

        var executable = ((string?)process.Attribute("isExecutable"))?.Trim();
        if (executable is not ("true" or "1"))
        {
            Add(IdOf(process), $"process '{id}' is not executable: set isExecutable=\"true\" (in the editor: 'Executable')",
                $"流程“{id}”未设为可执行：请设置 isExecutable=\"true\"（编辑器中勾选“可执行”）");
        }

        _scopeProcess[id] = id;
        ReadScope(process, id, id, subProcessId: null);
    }

    /// <summary>Reads the children of a process or an embedded sub-process.</summary>
    private void ReadScope(XElement container, string scopeKey, string processId, string? subProcessId)
    {
        var ownerId = subProcessId ?? IdOf(container);
        foreach (var child in container.Elements())
        {
            if (child.Name.Namespace != BpmnNs)
                continue;
            var kind = child.Name.LocalName;
            switch (kind)
            {
                case "documentation" or "extensionElements" or "laneSet" or "textAnnotation" or "association" or "group":
                    break;
                case "incoming" or "outgoing" when subProcessId is not null:
                    break; // the sub-process's own references; flows are read from sequenceFlow elements
                case "sequenceFlow":
                    ReadFlow(child, scopeKey);
                    break;
                case "startEvent" or "endEvent" or "userTask" or "serviceTask" or "callActivity" or "exclusiveGateway"
                    or "parallelGateway" or "inclusiveGateway" or "intermediateCatchEvent" or "boundaryEvent" or "subProcess":
                    ReadNode(child, scopeKey, processId, subProcessId);
                    break;
                default:
                    if (IsUnsupportedFlowNode(kind))
                    {
                        AddPlaceholder(child, kind, scopeKey, subProcessId);
                    }
                    else if (subProcessId is not null && kind is "ioSpecification" or "property" or "multiInstanceLoopCharacteristics"
                                 or "standardLoopCharacteristics" or "dataInputAssociation" or "dataOutputAssociation"
                                 or "performer" or "humanPerformer" or "potentialOwner" or "resourceRole")
                    {
                        RefuseChild(child, ownerId);
                    }
                    else
                    {
                        RefuseElement(child, ownerId);
                    }
                    break;
            }
        }
    }

    /// <summary>A node outside the subset: one problem, and a place in the graph.</summary>
    private NodeInfo? AddPlaceholder(XElement element, string kind, string scopeKey, string? subProcessId)
    {
        RefuseElement(element, subProcessId ?? "", kind);
        var id = IdOf(element);
        if (id.Length == 0)
            return null;
        var info = new NodeInfo(id, kind, scopeKey, subProcessId, element) { Unsupported = true };
        if (kind == "boundaryEvent")
        {
            info.AttachedTo = LocalRef((string?)element.Attribute("attachedToRef"));
            info.CancelActivity = !IsFalse((string?)element.Attribute("cancelActivity"));
        }
        Register(info);
        return info;
    }

    private void Register(NodeInfo info)
    {
        if (_graphIds.Add(info.Id))
        {
            _nodesById.Add(info.Id, info);
            _nodes.Add(info);
        }
    }

    /// <summary>
    /// A child of an activity or event outside the subset (loop characteristics, data associations, …): refused on
    /// the owner's id, except data associations, which are drawn and so have their own.
    /// </summary>
    private void RefuseChild(XElement child, string ownerId)
    {
        var visual = child.Name.LocalName is "dataInputAssociation" or "dataOutputAssociation";
        if (visual)
        {
            RefuseElement(child, ownerId);
            return;
        }

        _refused.Add(child);
        var kind = child.Name.LocalName;
        var hint = UnsupportedHint(kind);
        var hintEn = hint is { } h ? $": {h.En}" : "";
        var hintZh = hint is { } hz ? $"，{hz.Zh}" : "";
        if (ownerId.Length == 0)
        {
            Add("", $"{kind} (line {LineOf(child)}) is not supported{hintEn}", $"不支持 {KindZh(kind)}（第 {LineOf(child)} 行）{hintZh}");
            return;
        }
        Add(ownerId, $"'{ownerId}' uses {kind}, which is not supported{hintEn}", $"“{ownerId}”使用了 {KindZh(kind)}，不支持{hintZh}");
    }

    private static bool IsTrue(string? value) => value?.Trim() is "true" or "1";

    private static bool IsFalse(string? value) => value?.Trim() is "false" or "0";

    // ---------------------------------------------------------------- sequence flows

    private void ReadFlow(XElement element, string scopeKey)
    {
        var id = IdOf(element);
        if (id.Length == 0)
        {
            Add("", $"a sequenceFlow (line {LineOf(element)}) has no id", $"一条顺序流（第 {LineOf(element)} 行）没有标识（id）");
            return;
        }

        var flow = new FlowInfo(id, ((string?)element.Attribute("sourceRef"))?.Trim(), ((string?)element.Attribute("targetRef"))?.Trim(), scopeKey, element)
        {
            Name = NameOf(element),
        };
        foreach (var child in element.Elements().Where(e => e.Name.Namespace == BpmnNs))
        {
            switch (child.Name.LocalName)
            {
                case "documentation" or "extensionElements":
                    break;
                case "conditionExpression":
                    ReadCondition(flow, child);
                    break;
                default:
                    RefuseChild(child, id);
                    break;
            }
        }

        if (_graphIds.Add(id))
            _flows.Add(flow); // a duplicate id is already reported; the first element keeps it
    }

    private void ReadCondition(FlowInfo flow, XElement expression)
    {
        var id = flow.Id;
        var text = expression.Value.Trim();
        flow.Condition = text;
        var language = ((string?)expression.Attribute("language"))?.Trim();
        if (!string.IsNullOrEmpty(language)
            && !language.Equals("javascript", StringComparison.OrdinalIgnoreCase)
            && !language.Equals("ecmascript", StringComparison.OrdinalIgnoreCase))
        {
            Add(id, $"sequenceFlow '{id}': condition language '{language}' is not supported; write a JavaScript expression (language absent or 'javascript')",
                $"顺序流“{id}”：不支持条件语言“{language}”；请写 JavaScript 表达式（不设 language 或设为 javascript）");
            return;
        }

        if (text.Length == 0)
        {
            Add(id, $"sequenceFlow '{id}' has an empty condition", $"顺序流“{id}”的条件为空");
            return;
        }

        if (CheckExpressionSize(text) is { } tooBig)
        {
            Add(id, $"sequenceFlow '{id}': {tooBig.En}", $"顺序流“{id}”：{tooBig.Zh}");
            return;
        }

        if (Expressions.ConditionExpression.TryCompile(text, out var error) is null)
        {
            Add(id, $"sequenceFlow '{id}': {error?.Message ?? "the condition does not compile"}",
                $"顺序流“{id}”：{error?.MessageZh ?? "条件表达式无法编译"}");
        }
    }

    /// <summary>Longest expression (condition, correlation key) accepted; also bounds the parser's recursion.</summary>
    internal const int MaxExpressionLength = 4_000;

    private const int MaxExpressionNesting = 50;

    private static (string En, string Zh)? CheckExpressionSize(string text)
    {
        if (text.Length > MaxExpressionLength)
            return ($"the expression is longer than {BpmnNames.Count(MaxExpressionLength)} characters", $"表达式超过 {BpmnNames.Count(MaxExpressionLength)} 个字符");
        var depth = 0;
        foreach (var c in text)
        {
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
                depth--;
            if (depth > MaxExpressionNesting)
                return ($"the expression nests brackets more than {MaxExpressionNesting} deep", $"表达式的括号嵌套超过 {MaxExpressionNesting} 层");
        }
        return null;
    }
}
