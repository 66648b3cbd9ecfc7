using System.Text.RegularExpressions;
using System.Xml.Linq;
using CleanProdFlow.Engine.Expressions;
using CleanProdFlow.Engine.Model;
using static CleanProdFlow.Engine.Bpmn.BpmnNames;

namespace CleanProdFlow.Engine.Bpmn;

internal sealed partial class DefinitionsReader
{
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockName();

    private static readonly (string Name, FormFieldType Type)[] FieldTypes =
    [
        ("string", FormFieldType.String), ("text", FormFieldType.Text), ("number", FormFieldType.Number),
        ("boolean", FormFieldType.Boolean), ("date", FormFieldType.Date), ("enum", FormFieldType.Enum),
    ];

    private void ReadNode(XElement element, string scopeKey, string processId, string? subProcessId)
    {
        var kind = element.Name.LocalName;
        var id = IdOf(element);
        if (id.Length == 0)
        {
            _refused.Add(element);
            Add(subProcessId ?? "", $"a {kind} (line {LineOf(element)}) has no id", $"一个{Zh(kind)}（第 {LineOf(element)} 行）没有标识（id）");
            return;
        }

        if (kind == "subProcess" && IsTrue((string?)element.Attribute("triggeredByEvent")))
        {
            AddPlaceholder(element, "event sub-process", scopeKey, subProcessId);
            return;
        }

        var name = NameOf(element);
        var info = new NodeInfo(id, kind, scopeKey, subProcessId, element);
        var isEvent = kind.EndsWith("Event", StringComparison.Ordinal);
        if (kind != "subProcess")
            RefuseOtherChildren(element, id, isEvent);

        switch (kind)
        {
            case "startEvent":
                info = ReadStartEvent(info, name, subProcessId);
                break;
            case "endEvent":
                info = ReadEndEvent(info, name);
                break;
            case "intermediateCatchEvent":
                info = ReadCatchEvent(info, name, boundary: false);
                break;
            case "boundaryEvent":
                info.AttachedTo = LocalRef((string?)element.Attribute("attachedToRef"));
                info.CancelActivity = !IsFalse((string?)element.Attribute("cancelActivity"));
                info = ReadCatchEvent(info, name, boundary: true);
                break;
            case "userTask":
                ReadActivityAttributes(element, id, kind);
                info.Node = ReadUserTask(element, id, name);
                break;
            case "serviceTask":
                ReadActivityAttributes(element, id, kind);
                info.Node = ReadServiceTask(element, id, name);
                break;
            case "callActivity":
                ReadActivityAttributes(element, id, kind);
                var called = ((string?)element.Attribute("calledElement"))?.Trim();
                if (string.IsNullOrEmpty(called))
                {
                    Add(id, $"callActivity '{id}' has no calledElement: name the process (its id) it starts",
                        $"调用活动“{id}”未设置 calledElement：请填写要启动的流程的标识");
                }
                info.Node = new CallActivity(id, name, called ?? "");
                break;
            case "subProcess":
                ReadActivityAttributes(element, id, kind);
                info.Node = new SubProcess(id, name);
                break;
            case "exclusiveGateway":
                info.DefaultFlowId = ((string?)element.Attribute("default"))?.Trim() is { Length: > 0 } d ? d : null;
                info.Node = new ExclusiveGateway(id, name) { DefaultFlowId = info.DefaultFlowId };
                break;
            case "inclusiveGateway":
                info.DefaultFlowId = ((string?)element.Attribute("default"))?.Trim() is { Length: > 0 } di ? di : null;
                info.Node = new InclusiveGateway(id, name) { DefaultFlowId = info.DefaultFlowId };
                break;
            case "parallelGateway":
                info.Node = new ParallelGateway(id, name);
                break;
        }

        Register(info);
        if (kind == "subProcess" && !info.Unsupported)
        {
            _scopeProcess[id] = processId;
            ReadScope(element, id, processId, id);
        }
    }

    /// <summary>Children of a node other than documentation, extension elements, flow references and event definitions.</summary>
    private void RefuseOtherChildren(XElement element, string id, bool isEvent)
    {
        foreach (var child in element.Elements())
        {
            if (child.Name.Namespace != BpmnNs)
                continue;
            var name = child.Name.LocalName;
            if (name is "documentation" or "extensionElements" or "incoming" or "outgoing")
                continue;
            if (isEvent && IsEventDefinition(child))
                continue;
            RefuseChild(child, id);
        }
    }

    private static bool IsEventDefinition(XElement child) =>
        child.Name.Namespace == BpmnNs
        && (child.Name.LocalName.EndsWith("EventDefinition", StringComparison.Ordinal) || child.Name.LocalName == "eventDefinitionRef");

    private static List<XElement> EventDefinitions(XElement element) => element.Elements().Where(IsEventDefinition).ToList();

    /// <summary>"signal" for signalEventDefinition: how the definition is named in messages.</summary>
    private static string ShortName(XElement definition) => definition.Name.LocalName switch
    {
        "eventDefinitionRef" => "referenced event definition",
        var n => n.EndsWith("EventDefinition", StringComparison.Ordinal) ? n[..^"EventDefinition".Length] : n,
    };

    /// <summary>An event whose definition is outside the subset: refused, kept in the graph with its kind.</summary>
    private NodeInfo RefuseEvent(NodeInfo info, string what, string whatZh)
    {
        _refused.Add(info.Element);
        Add(info.Id, $"{info.Kind} '{info.Id}': {what} is not supported", $"{info.LabelZh}：不支持{whatZh}");
        return new NodeInfo(info.Id, info.Kind, info.ScopeKey, info.ScopeId, info.Element)
        {
            Unsupported = true,
            AttachedTo = info.AttachedTo,
            CancelActivity = info.CancelActivity,
        };
    }

    private NodeInfo RefuseDefinitions(NodeInfo info, List<XElement> definitions)
    {
        if (definitions.Count > 1)
        {
            return RefuseEvent(info, $"an event with {definitions.Count} event definitions (a multiple event)",
                $"含 {definitions.Count} 个事件定义的事件（多重事件）");
        }
        var definition = definitions[0];
        var what = ShortName(definition);
        var article = what.Length > 0 && "aeiou".Contains(what[0]) ? "an" : "a";
        return RefuseEvent(info, $"{article} {what} {info.Kind}", $" {KindZh(definition.Name.LocalName)}");
    }

    private NodeInfo ReadStartEvent(NodeInfo info, string? name, string? subProcessId)
    {
        var definitions = EventDefinitions(info.Element);
        CheckEventBindingAttributes(info, definitions);
        if (definitions.Count == 0)
        {
            info.Node = new StartEvent(info.Id, name);
            return info;
        }
        if (definitions.Count > 1 || definitions[0].Name.LocalName != "timerEventDefinition")
            return RefuseDefinitions(info, definitions);

        if (subProcessId is not null)
        {
            Add(info.Id, $"startEvent '{info.Id}' in subProcess '{subProcessId}' has a timer; timer start events are allowed only at process level",
                $"子流程“{subProcessId}”中的开始事件“{info.Id}”带定时器；定时器开始事件只允许用于流程最外层");
        }
        var timer = ReadTimer(definitions[0], info.Element, info.Id, "startEvent", isStart: true);
        info.IsTimerStart = true;
        info.Node = new StartEvent(info.Id, name) { Timer = timer };
        return info;
    }

    private NodeInfo ReadEndEvent(NodeInfo info, string? name)
    {
        var definitions = EventDefinitions(info.Element);
        CheckEventBindingAttributes(info, definitions);
        if (definitions.Count == 0)
        {
            info.Node = new EndEvent(info.Id, name);
            return info;
        }
        if (definitions.Count > 1 || definitions[0].Name.LocalName != "terminateEventDefinition")
            return RefuseDefinitions(info, definitions);
        info.Node = new EndEvent(info.Id, name) { Terminate = true };
        return info;
    }

    private NodeInfo ReadCatchEvent(NodeInfo info, string? name, bool boundary)
    {
        var definitions = EventDefinitions(info.Element);
        CheckEventBindingAttributes(info, definitions);
        if (definitions.Count == 0)
        {
            Add(info.Id, $"{info.Kind} '{info.Id}' has no event definition: make it a timer or a message event",
                $"{info.LabelZh}没有事件定义：请设为定时器事件或消息事件");
            return info;
        }
        if (definitions.Count > 1 || definitions[0].Name.LocalName is not ("timerEventDefinition" or "messageEventDefinition"))
            return RefuseDefinitions(info, definitions);

        var definition = definitions[0];
        EventTrigger? trigger = definition.Name.LocalName == "timerEventDefinition"
            ? ReadTimer(definition, info.Element, info.Id, info.Kind, isStart: false)
            : ReadMessage(definition, info.Element, info.Id, info.Kind);
        if (trigger is null)
            return info;
        info.Node = boundary
            ? new BoundaryEvent(info.Id, name, info.AttachedTo ?? "", trigger) { CancelActivity = info.CancelActivity }
            : new IntermediateCatchEvent(info.Id, name, trigger);
        return info;
    }

    /// <summary>cpf:timeLimit and cpf:clock belong to timer events, cpf:correlationKey to message events.</summary>
    private void CheckEventBindingAttributes(NodeInfo info, List<XElement> definitions)
    {
        var definition = definitions.Count == 1 ? definitions[0].Name.LocalName : null;
        foreach (var attribute in new[] { "timeLimit", "clock", "clockPoint" })
        {
            if (info.Element.Attribute(Cpf + attribute) is not null && definition != "timerEventDefinition")
            {
                Add(info.Id, $"{info.Kind} '{info.Id}': cpf:{attribute} applies only to a timer event",
                    $"{info.LabelZh}：cpf:{attribute} 只适用于定时器事件");
            }
        }
        if (info.Element.Attribute(Cpf + "correlationKey") is not null
            && (definition != "messageEventDefinition" || info.Kind == "startEvent"))
        {
            Add(info.Id, $"{info.Kind} '{info.Id}': cpf:correlationKey applies only to a message catch or boundary event",
                $"{info.LabelZh}：cpf:correlationKey 只适用于消息捕获事件或消息边界事件");
        }
    }

    private TimerTrigger? ReadTimer(XElement definition, XElement eventElement, string eventId, string eventKind, bool isStart)
    {
        var label = $"{eventKind} '{eventId}'";
        var labelZh = $"{Zh(eventKind)}“{eventId}”";
        var expressions = new List<XElement>();
        foreach (var child in definition.Elements().Where(e => e.Name.Namespace == BpmnNs))
        {
            if (child.Name.LocalName is "timeDate" or "timeDuration" or "timeCycle")
                expressions.Add(child);
            else if (child.Name.LocalName is not ("documentation" or "extensionElements"))
                RefuseChild(child, eventId);
        }

        var bindings = new List<(string Attribute, string Value)>();
        foreach (var holder in new[] { definition, eventElement })
        {
            foreach (var attribute in new[] { "timeLimit", "clock" })
            {
                if (holder.Attribute(Cpf + attribute) is { } a && !bindings.Contains((attribute, a.Value.Trim())))
                    bindings.Add((attribute, a.Value.Trim()));
            }
        }

        if (isStart && bindings.Count > 0)
        {
            Add(eventId, $"timer {label} cannot use cpf:{bindings[0].Attribute}: a start event has no instance yet whose time limit or clock it could follow; give it a timeDate, timeDuration or timeCycle",
                $"定时器{labelZh}不能使用 cpf:{bindings[0].Attribute}：开始事件尚无流程实例可供计时；请设置 timeDate、timeDuration 或 timeCycle");
            return null;
        }

        var count = expressions.Count + bindings.Count;
        if (count == 0)
        {
            Add(eventId, $"timer {label} has no time: give it a timeDate, timeDuration or timeCycle, or bind it with cpf:timeLimit or cpf:clock",
                $"定时器{labelZh}未设置时间：请设置 timeDate、timeDuration 或 timeCycle，或用 cpf:timeLimit、cpf:clock 绑定");
            return null;
        }
        if (count > 1)
        {
            var what = string.Join(", ", expressions.Select(e => e.Name.LocalName).Concat(bindings.Select(b => "cpf:" + b.Attribute)));
            Add(eventId, $"timer {label} has {count} times ({what}); give exactly one",
                $"定时器{labelZh}设置了 {count} 个时间（{what}）；只能设置一个");
            return null;
        }

        if (expressions.Count == 1)
        {
            var expression = expressions[0];
            var kind = expression.Name.LocalName switch
            {
                "timeDate" => TimerKind.Date,
                "timeDuration" => TimerKind.Duration,
                _ => TimerKind.Cycle,
            };
            var text = expression.Value.Trim();
            if (text.Length > MaxExpressionLength)
            {
                Add(eventId, $"timer {label}: the {expression.Name.LocalName} is longer than {BpmnNames.Count(MaxExpressionLength)} characters",
                    $"定时器{labelZh}：{expression.Name.LocalName} 超过 {BpmnNames.Count(MaxExpressionLength)} 个字符");
                return null;
            }
            var schedule = TimerSchedule.TryParse(kind, text, out var error);
            if (schedule is null)
            {
                Add(eventId, $"timer {label}: {error?.Message ?? $"the {expression.Name.LocalName} '{text}' is not valid"}",
                    $"定时器{labelZh}：{error?.MessageZh ?? $"{expression.Name.LocalName}“{text}”无效"}");
                return null;
            }
            return new TimerTrigger(schedule, null);
        }

        var binding = ReadBinding(bindings[0].Attribute, bindings[0].Value, eventId, $"timer {label}", $"定时器{labelZh}");
        var point = ReadClockPoint(definition, eventElement, binding, eventId, label, labelZh);
        return binding is null || point is null ? null : new TimerTrigger(null, binding with { Point = point.Value });
    }

    /// <summary>
    /// <c>cpf:clockPoint</c>: which instant of a bound clock the timer waits for — the due date (default), half or three
    /// quarters of the limit used, or one working day before due (the reminders of DESIGN §4).
    /// </summary>
    private ClockPoint? ReadClockPoint(XElement definition, XElement eventElement, DueDateBinding? binding, string eventId, string label, string labelZh)
    {
        var text = ((string?)definition.Attribute(Cpf + "clockPoint") ?? (string?)eventElement.Attribute(Cpf + "clockPoint"))?.Trim();
        if (text is null)
            return ClockPoint.Due;
        if (binding?.ClockName is null)
        {
            Add(eventId, $"timer {label}: cpf:clockPoint needs cpf:clock (it names an instant of that clock)",
                $"定时器{labelZh}：cpf:clockPoint 须与 cpf:clock 一起使用");
            return null;
        }
        ClockPoint? point = text switch
        {
            "due" => ClockPoint.Due,
            "half" => ClockPoint.HalfUsed,
            "threeQuarters" => ClockPoint.ThreeQuartersUsed,
            "dayBefore" => ClockPoint.DayBeforeDue,
            _ => null,
        };
        if (point is null)
            Add(eventId, $"timer {label}: cpf:clockPoint '{text}' is not one of due, half, threeQuarters, dayBefore",
                $"定时器{labelZh}：cpf:clockPoint“{text}”须为 due、half、threeQuarters 或 dayBefore 之一");
        return point;
    }

    /// <summary>A cpf:timeLimit (rule id) or cpf:clock (clock name) value; null with a problem when it is not usable.</summary>
    private DueDateBinding? ReadBinding(string attribute, string value, string ownerId, string label, string labelZh)
    {
        if (value.Length == 0)
        {
            Add(ownerId, $"{label}: cpf:{attribute} is empty", $"{labelZh}：cpf:{attribute} 为空");
            return null;
        }
        if (attribute == "timeLimit")
        {
            if (options.IsKnownTimeLimitRule is { } known && !known(value))
            {
                Add(ownerId, $"{label}: cpf:timeLimit names the time-limit rule '{value}', which does not exist",
                    $"{labelZh}：cpf:timeLimit 引用的时限规则“{value}”不存在");
                return null;
            }
            return DueDateBinding.Rule(value);
        }
        if (!ClockName().IsMatch(value))
        {
            Add(ownerId, $"{label}: cpf:clock '{value}' is not a valid clock name (letters, digits, '_', '.', '-'; starting with a letter)",
                $"{labelZh}：cpf:clock“{value}”不是有效的计时名称（字母开头，可含字母、数字、“_”“.”“-”）");
            return null;
        }
        return DueDateBinding.Clock(value);
    }

    private MessageTrigger? ReadMessage(XElement definition, XElement eventElement, string eventId, string eventKind)
    {
        var label = $"{eventKind} '{eventId}'";
        var labelZh = $"{Zh(eventKind)}“{eventId}”";
        foreach (var child in definition.Elements().Where(e => e.Name.Namespace == BpmnNs))
        {
            if (child.Name.LocalName is not ("documentation" or "extensionElements"))
                RefuseChild(child, eventId);
        }

        string? messageName = null;
        var messageRef = LocalRef((string?)definition.Attribute("messageRef"));
        if (messageRef is null)
        {
            Add(eventId, $"{label} names no message: choose the message it waits for (messageRef)",
                $"{labelZh}未指定消息：请选择等待的消息（messageRef）");
        }
        else if (!_messageNames.TryGetValue(messageRef, out messageName))
        {
            Add(eventId, $"{label} refers to message '{messageRef}', which is not defined in the file",
                $"{labelZh}引用的消息“{messageRef}”未在文件中定义");
        }
        else if (string.IsNullOrWhiteSpace(messageName))
        {
            Add(eventId, $"{label} refers to message '{messageRef}', which has no name; the name is what senders correlate by",
                $"{labelZh}引用的消息“{messageRef}”没有名称；发送方按名称关联消息");
            messageName = null;
        }

        string? correlationKey = null;
        var keyOk = true;
        if (eventElement.Attribute(Cpf + "correlationKey") is { } keyAttribute)
        {
            correlationKey = keyAttribute.Value.Trim();
            keyOk = CheckExpression(correlationKey, eventId, $"{label}: cpf:correlationKey", $"{labelZh}：cpf:correlationKey");
        }

        return messageName is null || !keyOk ? null : new MessageTrigger(messageName) { CorrelationKeyExpression = correlationKey };
    }

    /// <summary>Compiles an expression (correlation key) and reports why it does not compile.</summary>
    private bool CheckExpression(string text, string ownerId, string label, string labelZh)
    {
        if (text.Length == 0)
        {
            Add(ownerId, $"{label} is empty", $"{labelZh}为空");
            return false;
        }
        if (CheckExpressionSize(text) is { } tooBig)
        {
            Add(ownerId, $"{label}: {tooBig.En}", $"{labelZh}：{tooBig.Zh}");
            return false;
        }
        if (ConditionExpression.TryCompile(text, out var error) is null)
        {
            Add(ownerId, $"{label}: {error?.Message ?? "the expression does not compile"}", $"{labelZh}：{error?.MessageZh ?? "表达式无法编译"}");
            return false;
        }
        return true;
    }

    /// <summary>Activity attributes with execution meaning outside the subset.</summary>
    private void ReadActivityAttributes(XElement element, string id, string kind)
    {
        var labelZh = $"{Zh(kind)}“{id}”";
        if (IsTrue((string?)element.Attribute("isForCompensation")))
        {
            Add(id, $"{kind} '{id}' is a compensation activity (isForCompensation), which is not supported",
                $"{labelZh}是补偿活动（isForCompensation），不支持");
        }
        foreach (var quantity in new[] { "startQuantity", "completionQuantity" })
        {
            if (((string?)element.Attribute(quantity))?.Trim() is { } value && value != "1")
            {
                Add(id, $"{kind} '{id}': {quantity}=\"{value}\" is not supported (only 1)", $"{labelZh}：不支持 {quantity}=\"{value}\"（只能为 1）");
            }
        }
        if (element.Attribute("default") is not null)
        {
            Add(id, $"{kind} '{id}' has a default flow; conditional flows leave gateways only: put an exclusive gateway after it",
                $"{labelZh}设置了默认顺序流；条件顺序流只能从网关引出，请在其后加排他网关");
        }
    }

    private UserTask ReadUserTask(XElement element, string id, string? name)
    {
        var label = $"userTask '{id}'";
        var labelZh = $"用户任务“{id}”";

        var groups = SplitList((string?)element.Attribute(Cpf + "candidateGroups"));
        if (groups.Count == 0)
        {
            Add(id, $"{label} has no cpf:candidateGroups: nobody could see it", $"{labelZh}未设置 cpf:candidateGroups，无人可见");
        }
        else if (options.KnownCandidateGroups is { } known)
        {
            var unknown = groups.Where(g => !known.Contains(g)).ToList();
            if (unknown.Count > 0)
            {
                Add(id, $"{label}: cpf:candidateGroups names unknown group(s) {string.Join(", ", unknown.Select(g => $"'{g}'"))}; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}",
                    $"{labelZh}：cpf:candidateGroups 含未知角色 {string.Join("、", unknown.Select(g => $"“{g}”"))}；可用角色：{string.Join("、", known.Order(StringComparer.Ordinal))}");
            }
        }

        string? organisationVariable = null;
        if (element.Attribute(Cpf + "organisationVariable") is { } orgAttribute)
        {
            organisationVariable = orgAttribute.Value.Trim();
            if (!Identifier().IsMatch(organisationVariable))
            {
                Add(id, $"{label}: cpf:organisationVariable '{organisationVariable}' is not a variable name (letters, digits and '_', not starting with a digit)",
                    $"{labelZh}：cpf:organisationVariable“{organisationVariable}”不是有效的变量名（字母、数字、下划线，不以数字开头）");
            }
        }

        var outcomes = SplitList((string?)element.Attribute(Cpf + "outcomes"));
        if (element.Attribute(Cpf + "outcomes") is not null && outcomes.Count == 0)
            Add(id, $"{label}: cpf:outcomes is empty", $"{labelZh}：cpf:outcomes 为空");
        ReportDuplicates(outcomes, id, $"{label}: cpf:outcomes", $"{labelZh}：cpf:outcomes");

        DueDateBinding? due = null;
        var timeLimit = element.Attribute(Cpf + "timeLimit");
        var clock = element.Attribute(Cpf + "clock");
        if (timeLimit is not null && clock is not null)
        {
            Add(id, $"{label} has both cpf:timeLimit and cpf:clock; its due date comes from one of them",
                $"{labelZh}同时设置了 cpf:timeLimit 和 cpf:clock；办理时限只能来自其中之一");
        }
        else if (timeLimit is not null)
        {
            due = ReadBinding("timeLimit", timeLimit.Value.Trim(), id, label, labelZh);
        }
        else if (clock is not null)
        {
            due = ReadBinding("clock", clock.Value.Trim(), id, label, labelZh);
        }

        var forms = element.Elements(BpmnNs + "extensionElements").Elements(Cpf + "form").ToList();
        if (forms.Count > 1)
            Add(id, $"{label} has {forms.Count} cpf:form elements; declare one form", $"{labelZh}包含 {forms.Count} 个 cpf:form；只能声明一个表单");
        var form = forms.Count > 0 ? ReadForm(forms[0], id, label, labelZh) : FormDefinition.Empty;

        return new UserTask(id, name)
        {
            CandidateGroups = groups.Distinct(StringComparer.Ordinal).ToArray(),
            OrganisationVariable = organisationVariable,
            Outcomes = outcomes.ToArray(),
            Due = due,
            Form = form,
        };
    }

    private FormDefinition ReadForm(XElement form, string id, string label, string labelZh)
    {
        CheckOwnAttributes(form, [], id, $"{label}: cpf:form", $"{labelZh}：cpf:form");
        var fields = new List<FormField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in form.Elements())
        {
            if (child.Name == Cpf + "field")
            {
                if (ReadField(child, id, label, labelZh) is { } field)
                {
                    if (names.Add(field.Name))
                        fields.Add(field);
                    else
                        Add(id, $"{label}: the form declares the field '{field.Name}' twice", $"{labelZh}：表单重复声明字段“{field.Name}”");
                }
            }
            else if (child.Name.Namespace == Cpf)
            {
                Add(id, $"{label}: unknown element cpf:{child.Name.LocalName} in cpf:form (only cpf:field)",
                    $"{labelZh}：cpf:form 中的元素 cpf:{child.Name.LocalName} 未知（只允许 cpf:field）");
            }
            else if (EngineName(child.Name.Namespace) is { } engine)
            {
                var hint = EngineHint(child.Name.LocalName);
                Add(id, $"{label}: {engine}:{child.Name.LocalName} is not supported: {hint.En}", $"{labelZh}：不支持 {engine}:{child.Name.LocalName}，{hint.Zh}");
            }
        }
        return new FormDefinition(fields);
    }

    private FormField? ReadField(XElement element, string id, string label, string labelZh)
    {
        var name = ((string?)element.Attribute("name"))?.Trim() ?? "";
        var fieldLabel = $"{label}: form field '{name}'";
        var fieldLabelZh = $"{labelZh}：表单字段“{name}”";
        CheckOwnAttributes(element, ["name", "type", "label", "required", "options"], id, fieldLabel, fieldLabelZh);
        var ok = true;
        if (!Identifier().IsMatch(name))
        {
            Add(id, name.Length == 0 ? $"{label}: a form field has no name" : $"{fieldLabel}: the name is not an identifier (letters, digits and '_', not starting with a digit)",
                name.Length == 0 ? $"{labelZh}：表单字段缺少 name" : $"{fieldLabelZh}：名称须为标识符（字母、数字、下划线，不以数字开头）");
            ok = false;
        }

        var typeText = ((string?)element.Attribute("type"))?.Trim() ?? "string";
        var type = FormFieldType.String;
        var match = FieldTypes.Where(t => t.Name == typeText).ToList();
        if (match.Count == 1)
        {
            type = match[0].Type;
        }
        else
        {
            var allowed = string.Join(", ", FieldTypes.Select(t => t.Name));
            Add(id, $"{fieldLabel}: unknown type '{typeText}' (one of {allowed})", $"{fieldLabelZh}：类型“{typeText}”未知（可用：{allowed}）");
            ok = false;
        }

        var required = false;
        if (((string?)element.Attribute("required"))?.Trim() is { } requiredText)
        {
            if (IsTrue(requiredText))
            {
                required = true;
            }
            else if (!IsFalse(requiredText))
            {
                Add(id, $"{fieldLabel}: required must be true or false, not '{requiredText}'", $"{fieldLabelZh}：required 须为 true 或 false，而非“{requiredText}”");
                ok = false;
            }
        }

        var optionsAttribute = element.Attribute("options");
        var fieldOptions = SplitList((string?)optionsAttribute);
        if (type == FormFieldType.Enum && fieldOptions.Count == 0)
        {
            Add(id, $"{fieldLabel}: an enum field needs options=\"a,b,…\"", $"{fieldLabelZh}：枚举字段须设置 options=\"a,b,…\"");
            ok = false;
        }
        else if (type != FormFieldType.Enum && optionsAttribute is not null && match.Count == 1)
        {
            Add(id, $"{fieldLabel}: options apply only to type enum", $"{fieldLabelZh}：options 只适用于 enum 类型");
            ok = false;
        }
        if (ReportDuplicates(fieldOptions, id, $"{fieldLabel}: options", $"{fieldLabelZh}：options"))
            ok = false;

        return ok
            ? new FormField(name, type) { Label = (string?)element.Attribute("label"), Required = required, Options = fieldOptions.ToArray() }
            : null;
    }

    /// <summary>Attributes of a cpf element: only the listed ones without namespace; cpf-namespaced ones are unknown.</summary>
    private void CheckOwnAttributes(XElement element, string[] allowed, string ownerId, string label, string labelZh)
    {
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
                continue;
            var ns = attribute.Name.Namespace;
            var local = attribute.Name.LocalName;
            if ((ns == XNamespace.None && !allowed.Contains(local)) || ns == Cpf)
            {
                var shown = ns == Cpf ? $"cpf:{local}" : local;
                Add(ownerId, $"{label}: unknown attribute {shown}", $"{labelZh}：未知属性 {shown}");
            }
        }
    }

    private ServiceTask ReadServiceTask(XElement element, string id, string? name)
    {
        var label = $"serviceTask '{id}'";
        var labelZh = $"服务任务“{id}”";
        var implementation = ((string?)element.Attribute("implementation"))?.Trim();
        if (!string.IsNullOrEmpty(implementation) && implementation is not ("##unspecified" or "##WebService"))
        {
            Add(id, $"{label}: implementation '{implementation}' is not supported: name a registered handler with cpf:handler",
                $"{labelZh}：不支持 implementation“{implementation}”，请用 cpf:handler 指定已登记的处理程序");
        }
        if (element.Attribute("operationRef") is not null)
        {
            Add(id, $"{label}: operationRef (a web-service operation) is not supported: name a registered handler with cpf:handler",
                $"{labelZh}：不支持 operationRef（Web 服务操作），请用 cpf:handler 指定已登记的处理程序");
        }

        var handler = ((string?)element.Attribute(Cpf + "handler"))?.Trim() ?? "";
        if (handler.Length == 0)
        {
            Add(id, $"{label} has no cpf:handler: name the registered handler that does its work",
                $"{labelZh}未设置 cpf:handler：请指定执行该任务的已登记处理程序");
        }
        else if (options.IsKnownHandler is { } known && !known(handler))
        {
            Add(id, $"{label}: cpf:handler names '{handler}', which is not a registered handler",
                $"{labelZh}：cpf:handler 指定的“{handler}”不是已登记的处理程序");
        }
        return new ServiceTask(id, name, handler) { Inputs = ReadInputs(element, id, label, labelZh) };
    }

    /// <summary>
    /// A service task's fixed inputs for its handler: <c>&lt;cpf:input name="clock" value="eia.decision"/&gt;</c> in its
    /// extensionElements (e.g. which clock a clock handler acts on, and with which time-limit rule).
    /// </summary>
    private Dictionary<string, string> ReadInputs(XElement element, string id, string label, string labelZh)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in element.Elements(BpmnNs + "extensionElements").Elements(Cpf + "input"))
        {
            var inputName = ((string?)input.Attribute("name"))?.Trim() ?? "";
            var value = (string?)input.Attribute("value") ?? input.Value;
            if (!System.Text.RegularExpressions.Regex.IsMatch(inputName, "^[A-Za-z_][A-Za-z0-9_.-]{0,99}$"))
                Add(id, $"{label}: a cpf:input needs a name of letters, digits, '_', '.' or '-' (got '{inputName}')",
                    $"{labelZh}：cpf:input 的 name 须由字母、数字、“_”“.”“-”组成（现为“{inputName}”）");
            else if (!inputs.TryAdd(inputName, value.Trim()))
                Add(id, $"{label}: cpf:input '{inputName}' is given more than once", $"{labelZh}：cpf:input“{inputName}”重复");
        }
        return inputs;
    }

    /// <summary>A comma-separated list, trimmed, without empty entries.</summary>
    private static List<string> SplitList(string? value) =>
        value is null ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private bool ReportDuplicates(List<string> values, string ownerId, string label, string labelZh)
    {
        var duplicates = values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count == 0)
            return false;
        Add(ownerId, $"{label} lists {string.Join(", ", duplicates.Select(d => $"'{d}'"))} more than once",
            $"{labelZh}重复列出 {string.Join("、", duplicates.Select(d => $"“{d}”"))}");
        return true;
    }
}
