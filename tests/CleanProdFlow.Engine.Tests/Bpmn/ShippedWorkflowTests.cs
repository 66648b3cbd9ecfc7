using CleanProdFlow.Engine.Bpmn;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>Every definition shipped in workflows/ is accepted by the reader, with the real roles and time-limit rules.</summary>
public sealed class ShippedWorkflowTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(BpmnTestFiles.RepositoryRoot(), "workflows"), "*.bpmn").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Shipped_definition_is_accepted(string file)
    {
        var xml = BpmnTestFiles.Read(Path.Combine(BpmnTestFiles.RepositoryRoot(), "workflows", file));

        BpmnAssert.Accepted(xml, new BpmnReadOptions
        {
            KnownCandidateGroups = BpmnTestFiles.Roles,
            IsKnownTimeLimitRule = BpmnTestFiles.TimeLimitRuleIds().Contains,
        });
    }
}
