using CleanProdFlow.Engine.Bpmn;
using CleanProdFlow.Engine.Model;
using CleanProdFlow.Web.Admin;

namespace CleanProdFlow.Web.Tests.Admin;

/// <summary>The diff summary between two versions of a definition, computed from the models BpmnReader builds.</summary>
public sealed class DefinitionDiffTests
{
    private const string Header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                          xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
                          xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
                          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                          xmlns:cpf="https://cleanprodflow.example/schema/1.0"
                          id="defs" targetNamespace="https://cleanprodflow.example/tests">
        """;

    /// <summary>start → review (a form, outcomes) → decide? → done / rejected; the parts each test changes are parameters.</summary>
    private static string Xml(string processName = "审查流程", string reviewName = "审查", string reviewGroups = "review", string reviewTag = "userTask",
        string reviewExtras = "", string condition = "${outcome == 'approve'}", string extraNodes = "", string extraFlows = "", string reviewX = "200",
        string doneId = "done") => Header + $"""
          <bpmn:process id="diff-test" name="{processName}" isExecutable="true">
            <bpmn:startEvent id="start"/>
            <bpmn:{reviewTag} id="review" name="{reviewName}" {(reviewTag == "userTask" ? $"cpf:candidateGroups=\"{reviewGroups}\" cpf:outcomes=\"approve,reject\"" : "cpf:handler=\"clock.stop\"")}{reviewExtras}>
              {(reviewTag == "userTask" ? "<bpmn:extensionElements><cpf:form><cpf:field name=\"opinion\" type=\"text\" label=\"审查意见\" required=\"true\"/></cpf:form></bpmn:extensionElements>" : "")}
            </bpmn:{reviewTag}>
            <bpmn:exclusiveGateway id="decide" name="是否批准？" default="f-rejected"/>
            <bpmn:endEvent id="{doneId}" name="已批准"/>
            <bpmn:endEvent id="rejected" name="不予批准"/>
            {extraNodes}
            <bpmn:sequenceFlow id="f-start" sourceRef="start" targetRef="review"/>
            <bpmn:sequenceFlow id="f-review" sourceRef="review" targetRef="decide"/>
            <bpmn:sequenceFlow id="f-approved" sourceRef="decide" targetRef="{doneId}">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{System.Security.SecurityElement.Escape(condition)}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="f-rejected" sourceRef="decide" targetRef="rejected"/>
            {extraFlows}
          </bpmn:process>
          <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="diff-test">
            <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="{reviewX}" y="80" width="100" height="80"/></bpmndi:BPMNShape>
          </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    private static ProcessDefinition Read(string xml)
    {
        var read = BpmnReader.Read(xml);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => $"{p.ElementId}: {p.Message}")));
        return read.Definition!;
    }

    private static DefinitionDiff Diff(string before, string after) => DefinitionDiff.Between(Read(before), Read(after));

    [Fact]
    public void The_same_process_with_only_its_layout_moved_has_no_change()
    {
        var diff = Diff(Xml(), Xml(reviewX: "420"));

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void A_renamed_task_is_a_changed_element_with_both_names()
    {
        var diff = Diff(Xml(), Xml(reviewName: "技术审查"));

        var change = Assert.Single(diff.Changed);
        Assert.Equal("review", change.After.Id);
        Assert.Equal(new DiffAttribute("name", "审查", "技术审查"), Assert.Single(change.Changes));
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Empty(diff.FlowsAdded);
    }

    [Fact]
    public void A_changed_cpf_attribute_names_the_attribute_and_its_values()
    {
        var diff = Diff(Xml(), Xml(reviewGroups: "review,approver", reviewExtras: " cpf:timeLimit=\"eia.decision.form\""));

        var change = Assert.Single(diff.Changed);
        Assert.Equal(
            [new DiffAttribute("cpf:candidateGroups", "review", "review,approver"), new DiffAttribute("cpf:timeLimit", null, "eia.decision.form")],
            change.Changes);
    }

    [Fact]
    public void A_changed_form_field_is_a_change_of_cpf_form()
    {
        var before = Xml();
        var after = before.Replace("required=\"true\"", "required=\"false\"");

        var change = Assert.Single(Diff(before, after).Changed);
        var form = Assert.Single(change.Changes);
        Assert.Equal("cpf:form", form.Attribute);
        Assert.Equal("opinion: text*「审查意见」", form.Before);
        Assert.Equal("opinion: text「审查意见」", form.After);
    }

    [Fact]
    public void An_element_of_another_type_under_the_same_id_is_a_type_change()
    {
        var diff = Diff(Xml(), Xml(reviewTag: "serviceTask"));

        var change = Assert.Single(diff.Changed);
        Assert.Equal("userTask", change.Before.Type);
        Assert.Equal("serviceTask", change.After.Type);
        Assert.Contains(new DiffAttribute("type", "userTask", "serviceTask"), change.Changes);
        Assert.Contains(new DiffAttribute("cpf:candidateGroups", "review", null), change.Changes);
        Assert.Contains(new DiffAttribute("cpf:handler", null, "clock.stop"), change.Changes);
    }

    [Fact]
    public void Added_and_removed_elements_and_flows_are_listed_by_id_in_order()
    {
        var before = Xml();
        var after = Xml(
            extraNodes: """
                <bpmn:userTask id="archive" name="归档" cpf:candidateGroups="acceptance"/>
                <bpmn:endEvent id="archived"/>
                """,
            extraFlows: """
                <bpmn:sequenceFlow id="f-to-archive" sourceRef="decide" targetRef="archive">
                  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${outcome == 'archive'}</bpmn:conditionExpression>
                </bpmn:sequenceFlow>
                <bpmn:sequenceFlow id="f-archive" sourceRef="archive" targetRef="archived"/>
                """,
            doneId: "approved");

        var diff = Diff(before, after);

        Assert.Equal(["approved", "archive", "archived"], diff.Added.Select(e => e.Id));
        Assert.Equal("userTask", diff.Added[1].Type);
        Assert.Equal("归档（archive）", diff.Added[1].Label);
        Assert.Equal(["done"], diff.Removed.Select(e => e.Id));
        Assert.Equal(["f-archive", "f-to-archive"], diff.FlowsAdded.Select(f => f.Id));
        Assert.Empty(diff.FlowsRemoved);
        // The flow to the renamed end event was rewired: the same id, another target.
        var rewired = Assert.Single(diff.FlowsChanged);
        Assert.Equal("f-approved", rewired.After.Id);
        Assert.Equal(new DiffAttribute("targetRef", "done", "approved"), Assert.Single(rewired.Changes));
    }

    [Fact]
    public void A_removed_flow_and_a_changed_condition_are_flow_changes()
    {
        var before = Xml(extraFlows: """
            <bpmn:sequenceFlow id="f-shortcut" sourceRef="decide" targetRef="done">
              <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${fastTrack}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            """);
        var after = Xml(condition: "${outcome == 'approve' && fastTrack}");

        var diff = Diff(before, after);

        Assert.Equal(["f-shortcut"], diff.FlowsRemoved.Select(f => f.Id));
        var condition = Assert.Single(diff.FlowsChanged);
        Assert.Equal(new DiffAttribute("conditionExpression", "${outcome == 'approve'}", "${outcome == 'approve' && fastTrack}"),
            Assert.Single(condition.Changes));
        Assert.Empty(diff.Changed);
    }

    [Fact]
    public void A_renamed_process_is_a_process_change()
    {
        var diff = Diff(Xml(), Xml(processName: "审查流程（修订）"));

        Assert.Equal([new DiffAttribute("name", "审查流程", "审查流程（修订）")], diff.ProcessChanges);
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void The_shipped_workflows_compared_with_themselves_have_no_change()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "workflows");
        var files = Directory.GetFiles(directory, "*.bpmn");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = File.ReadAllText(file);
            Assert.True(Diff(xml, xml).IsEmpty, file);
        }
    }
}
