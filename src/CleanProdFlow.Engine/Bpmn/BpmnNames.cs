using System.Globalization;
using System.Xml.Linq;

namespace CleanProdFlow.Engine.Bpmn;

/// <summary>The namespaces the reader knows and the names it uses for elements in messages.</summary>
internal static class BpmnNames
{
    public static readonly XNamespace BpmnNs = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public static readonly XNamespace Cpf = "https://cleanprodflow.example/schema/1.0";

    public static readonly XNamespace Camunda = "http://camunda.org/schema/1.0/bpmn";
    public static readonly XNamespace Zeebe = "http://camunda.org/schema/zeebe/1.0";
    public static readonly XNamespace Flowable = "http://flowable.org/bpmn";
    public static readonly XNamespace Activiti = "http://activiti.org/bpmn";

    /// <summary>Other engines' extension namespaces: what they say about execution is refused, never ignored.</summary>
    public static string? EngineName(XNamespace ns) =>
        ns == Camunda ? "camunda" : ns == Zeebe ? "zeebe" : ns == Flowable ? "flowable" : ns == Activiti ? "activiti" : null;

    /// <summary>
    /// Attributes of the engine namespaces that only editors and deployment tools read; they change nothing in how
    /// an instance runs, so files drawn in Camunda Modeler are not refused for them.
    /// </summary>
    public static bool IsCosmeticEngineAttribute(string localName) => localName is
        "modelerTemplate" or "modelerTemplateVersion" or "modelerTemplateIcon" or "historyTimeToLive" or "versionTag"
        or "isStartableInTasklist" or "diagramRelationId";

    /// <summary>Engine-namespace elements without execution meaning (free key/value properties for tools).</summary>
    public static bool IsCosmeticEngineElement(string localName) => localName is "properties" or "property";

    /// <summary>What to use instead of another engine's extension attribute or element.</summary>
    public static (string En, string Zh) EngineHint(string localName) => localName switch
    {
        "candidateGroups" => ("use cpf:candidateGroups", "请改用 cpf:candidateGroups"),
        "assignee" or "candidateUsers" or "assignmentDefinition" or "potentialOwner" =>
            ("tasks are offered to roles: use cpf:candidateGroups", "任务按角色分派，请改用 cpf:candidateGroups"),
        "formKey" or "formRef" or "formData" or "formField" or "formProperty" or "formDefinition" or "userTaskForm" or "formHandlerClass" =>
            ("declare the form with cpf:form", "请用 cpf:form 声明表单"),
        "class" or "expression" or "delegateExpression" or "type" or "topic" or "taskDefinition" or "connector" or "resultVariable" or "field" =>
            ("name a registered handler with cpf:handler", "请用 cpf:handler 指定已登记的处理程序"),
        "dueDate" or "followUpDate" =>
            ("bind the due date with cpf:timeLimit or cpf:clock", "请用 cpf:timeLimit 或 cpf:clock 绑定办理时限"),
        "asyncBefore" or "asyncAfter" or "async" or "exclusive" or "jobPriority" or "taskPriority" or "failedJobRetryTimeCycle" =>
            ("CleanProdFlow commits every step itself; remove it", "CleanProdFlow 自行提交每一步，请删除"),
        _ => ("CleanProdFlow reads only cpf: extensions; remove it", "CleanProdFlow 只读取 cpf: 扩展，请删除"),
    };

    /// <summary>A count with thousands separators, the same in every culture (messages are compared in tests and logs).</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The Chinese name of an element kind, for messages; the BPMN name itself when there is none.</summary>
    public static string Zh(string kind) => kind switch
    {
        "process" => "流程",
        "definitions" => "定义",
        "collaboration" => "协作",
        "participant" => "参与者（泳池）",
        "startEvent" => "开始事件",
        "endEvent" => "结束事件",
        "userTask" => "用户任务",
        "serviceTask" => "服务任务",
        "subProcess" => "子流程",
        "callActivity" => "调用活动",
        "exclusiveGateway" => "排他网关",
        "parallelGateway" => "并行网关",
        "inclusiveGateway" => "包容网关",
        "intermediateCatchEvent" => "中间捕获事件",
        "boundaryEvent" => "边界事件",
        "sequenceFlow" => "顺序流",
        "timerEventDefinition" => "定时器事件定义",
        "messageEventDefinition" => "消息事件定义",
        "message" => "消息",
        "task" => "无类型任务",
        "sendTask" => "发送任务",
        "receiveTask" => "接收任务",
        "scriptTask" => "脚本任务",
        "businessRuleTask" => "业务规则任务",
        "manualTask" => "手工任务",
        "eventBasedGateway" => "事件网关",
        "complexGateway" => "复杂网关",
        "intermediateThrowEvent" => "中间抛出事件",
        "adHocSubProcess" => "自由子流程",
        "transaction" => "事务子流程",
        "event sub-process" => "事件子流程",
        "messageFlow" => "消息流",
        "dataObject" => "数据对象",
        "dataObjectReference" => "数据对象引用",
        "dataStore" => "数据存储",
        "dataStoreReference" => "数据存储引用",
        "dataInputAssociation" => "数据输入关联",
        "dataOutputAssociation" => "数据输出关联",
        "ioSpecification" => "输入输出规约",
        "property" => "属性",
        "multiInstanceLoopCharacteristics" => "多实例",
        "standardLoopCharacteristics" => "循环",
        "signalEventDefinition" => "信号事件",
        "errorEventDefinition" => "错误事件",
        "escalationEventDefinition" => "升级事件",
        "compensateEventDefinition" => "补偿事件",
        "conditionalEventDefinition" => "条件事件",
        "linkEventDefinition" => "链接事件",
        "cancelEventDefinition" => "取消事件",
        "signal" => "信号",
        "error" => "错误",
        "escalation" => "升级",
        "itemDefinition" => "数据项定义",
        "import" => "导入",
        _ => kind,
    };

    /// <summary>The kind with its Chinese name, e.g. "sendTask（发送任务）".</summary>
    public static string KindZh(string kind)
    {
        var zh = Zh(kind);
        return zh == kind ? kind : $"{kind}（{zh}）";
    }

    /// <summary>Flow nodes of BPMN outside the subset: refused, but kept in the graph so their neighbours are not also reported.</summary>
    public static bool IsUnsupportedFlowNode(string localName) => localName is
        "task" or "sendTask" or "receiveTask" or "scriptTask" or "businessRuleTask" or "manualTask"
        or "eventBasedGateway" or "complexGateway" or "intermediateThrowEvent" or "adHocSubProcess" or "transaction"
        or "subChoreography" or "choreographyTask" or "callChoreography";

    /// <summary>Activity kinds that may carry boundary events, among them those outside the subset.</summary>
    public static bool IsActivityKind(string kind) => kind is
        "userTask" or "serviceTask" or "subProcess" or "callActivity"
        or "task" or "sendTask" or "receiveTask" or "scriptTask" or "businessRuleTask" or "manualTask" or "adHocSubProcess" or "transaction";

    /// <summary>What to use instead of an element outside the subset, when there is an obvious answer.</summary>
    public static (string En, string Zh)? UnsupportedHint(string kind) => kind switch
    {
        "task" => ("give it a type: userTask or serviceTask", "请指定任务类型：用户任务或服务任务"),
        "manualTask" => ("use a userTask", "请改用用户任务"),
        "scriptTask" or "businessRuleTask" or "sendTask" => ("use a serviceTask with cpf:handler", "请改用带 cpf:handler 的服务任务"),
        "receiveTask" => ("use a message intermediateCatchEvent", "请改用消息中间捕获事件"),
        "eventBasedGateway" => ("use timer or message boundary events on a task", "请改用任务上的定时器或消息边界事件"),
        "multiInstanceLoopCharacteristics" or "standardLoopCharacteristics" =>
            ("model the repetition with an exclusive gateway and a flow back", "请用排他网关和回退顺序流表达重复"),
        _ => null,
    };
}
