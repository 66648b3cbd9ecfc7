using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// The outcome of reading a BPMN file: a definition when the file is accepted (and then no problems), otherwise
/// every problem found and no definition — never a partial one.
/// </summary>
public sealed class BpmnReadResult
{
    internal BpmnReadResult(ProcessDefinition? definition, IReadOnlyList<BpmnProblem> problems)
    {
        Definition = definition;
        Problems = problems;
    }

    public ProcessDefinition? Definition { get; }

    public IReadOnlyList<BpmnProblem> Problems { get; }

    public bool IsValid => Definition is not null;
}
