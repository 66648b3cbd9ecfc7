using CleanProdFlow.Engine.Bpmn;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>
/// Every file of the BPMN MIWG interchange corpus (reference models and their bpmn.io exports; CC BY 3.0, see
/// Bpmn/Miwg/README.md) is answered: accepted, or refused with problems that name elements of the file. Never an
/// exception, never a hang.
/// </summary>
/// <remarks>
/// Accepted files: none. Every model of the suite uses something outside the subset or is not executable:
/// untyped tasks (A.1.0, A.2.x: "task"), isExecutable="false" (most reference models), pools with message flows
/// (A.4.x, B.x, C.1.0, C.2.0, C.4.0), data objects and stores (B.x, C.1.1, C.5.0–C.8.x), escalation, error,
/// signal, compensation and conditional events (A.3.0, B.2.0, C.2.0, C.6.0, C.8.x, C.9.x), send/receive/
/// business-rule tasks, event-based gateways and multi-instance activities (C.x), user tasks without
/// cpf:candidateGroups (C.3.0), Zeebe extensions (C.9.x). <see cref="Executable_variant_of_a_simple_model_is_accepted_with_its_diagram"/>
/// shows that a drawn model within the subset is accepted with its diagram kept.
/// </remarks>
public sealed class MiwgCorpusTests
{
    private static readonly string[] ExpectedAccepted = [];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in AllFiles())
            data.Add(file);
        return data;
    }

    private static List<string> AllFiles()
    {
        var root = BpmnTestFiles.Folder("Miwg");
        if (!Directory.Exists(root))
            return [];
        return Directory.EnumerateFiles(root, "*.bpmn", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void Corpus_is_present_with_all_42_files()
    {
        var root = BpmnTestFiles.Folder("Miwg");
        Assert.True(Directory.Exists(root),
            $"The MIWG corpus is missing at {root}; it is copied from tests/CleanProdFlow.Engine.Tests/Bpmn/Miwg (reference/ and bpmn-io-export/) by the project file.");
        var files = AllFiles();
        Assert.True(files.Count == 42, $"Expected the 42 MIWG files (21 reference + 21 bpmn.io exports), found {files.Count}: {string.Join(", ", files)}");
        Assert.Equal(21, files.Count(f => f.StartsWith("reference/", StringComparison.Ordinal)));
        Assert.Equal(21, files.Count(f => f.StartsWith("bpmn-io-export/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_file_is_accepted_or_refused_naming_its_elements(string file)
    {
        var xml = BpmnTestFiles.Read(BpmnTestFiles.Folder("Miwg", file));

        var result = BpmnReader.Read(xml);

        if (result.IsValid)
        {
            Assert.Empty(result.Problems);
            Assert.Same(xml, result.Definition!.Xml);
            Assert.Contains(file, ExpectedAccepted);
            return;
        }

        Assert.Null(result.Definition);
        Assert.DoesNotContain(file, ExpectedAccepted);
        Assert.Contains(result.Problems, p => p.ElementId.Length > 0);
        foreach (var problem in result.Problems)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Message));
            Assert.False(string.IsNullOrWhiteSpace(problem.MessageZh));
            if (problem.ElementId.Length > 0)
                Assert.True(xml.Contains($"id=\"{problem.ElementId}\"", StringComparison.Ordinal), $"{file}: problem names '{problem.ElementId}', which is not an id of the file: {problem.Message}");
        }
    }

    [Fact]
    public void Refusals_name_the_typical_reasons()
    {
        var reasons = AllFiles().SelectMany(f => BpmnReader.Read(BpmnTestFiles.Read(BpmnTestFiles.Folder("Miwg", f))).Problems.Select(p => p.Message)).ToList();

        Assert.Contains(reasons, r => r.Contains("is not executable", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("task '", StringComparison.Ordinal) && r.Contains("not supported", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("messageFlow '", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("dataObject", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("zeebe:", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("participants (pools)", StringComparison.Ordinal));
    }

    [Fact]
    public void Executable_variant_of_a_simple_model_is_accepted_with_its_diagram()
    {
        // A.1.0 as bpmn.io exports it, with its three untyped tasks made user tasks and the process executable.
        var xml = BpmnTestFiles.Read(BpmnTestFiles.Folder("Miwg", "bpmn-io-export", "A.1.0-export.bpmn"))
            .Replace("xmlns:xsi=", $"xmlns:cpf=\"{BpmnXml.CpfNs}\" xmlns:xsi=")
            .Replace("isExecutable=\"false\"", "isExecutable=\"true\"")
            .Replace("<task ", "<userTask cpf:candidateGroups=\"review\" ")
            .Replace("</task>", "</userTask>");

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal(5, definition.Nodes.Count());
        Assert.Contains("<bpmndi:BPMNShape id=\"Activity_10i3hk7_di\" bpmnElement=\"Activity_10i3hk7\">", definition.Xml);
        Assert.Equal("Task 1", definition.Node("Activity_10i3hk7").Name);
    }
}
