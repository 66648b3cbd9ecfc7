using CleanProdFlow.Engine.Model;

namespace CleanProdFlow.Engine.Tests.Bpmn;

public sealed class ServiceTaskInputTests
{
    private static string WithInputs(string inputs) => new BpmnXml().Start()
        .ServiceTask("Pause", "cpf:handler=\"clock.pause\"", $"<extensionElements>{inputs}</extensionElements>").End()
        .Flow("Start", "Pause").Flow("Pause", "End").Build();

    [Fact]
    public void Inputs_of_a_service_task_are_read_by_name()
    {
        var xml = WithInputs("""<cpf:input name="clock" value="eia.decision"/><cpf:input name="legalBasis">《行政许可法》第四十五条</cpf:input>""");

        var task = Assert.IsType<ServiceTask>(BpmnAssert.Accepted(xml).Node("Pause"));

        Assert.Equal("eia.decision", task.Inputs["clock"]);
        Assert.Equal("《行政许可法》第四十五条", task.Inputs["legalBasis"]);
    }

    [Theory]
    [InlineData("""<cpf:input name="clock" value="a"/><cpf:input name="clock" value="b"/>""", "more than once")]
    [InlineData("""<cpf:input name="no spaces" value="a"/>""", "name")]
    [InlineData("""<cpf:input value="a"/>""", "name")]
    public void A_bad_input_is_refused_on_its_task(string inputs, string fragment) =>
        BpmnAssert.Refused(WithInputs(inputs), "Pause", fragment);

    [Fact]
    public void An_input_on_a_user_task_is_refused()
    {
        var xml = new BpmnXml().Start()
            .UserTask("Task", inner: """<extensionElements><cpf:input name="x" value="y"/></extensionElements>""").End()
            .Flow("Start", "Task").Flow("Task", "End").Build();

        BpmnAssert.Refused(xml, "Task", "cpf:input");
    }
}
