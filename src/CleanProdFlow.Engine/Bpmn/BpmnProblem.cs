namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// Why a BPMN file was refused: the id of the element concerned (empty for a problem of the whole document, such
/// as malformed XML) and the reason in English and in Chinese (zh-CN), so the editor can highlight the element and
/// show the reason in the administrator's language.
/// </summary>
public sealed record BpmnProblem(string ElementId, string Message, string MessageZh);
