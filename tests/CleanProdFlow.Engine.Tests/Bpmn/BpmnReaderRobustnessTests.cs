using System.Text;
using CleanProdFlow.Engine.Bpmn;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>Any input gets an answer: never an exception, never a hang, never a partial definition.</summary>
public sealed class BpmnReaderRobustnessTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n\t ", "empty")]
    [InlineData("<definitions", "not well-formed")]
    [InlineData("<a><b></a>", "not well-formed")]
    [InlineData("not xml at all", "not well-formed")]
    [InlineData("<?xml version=\"1.0\"?>", "not well-formed")]
    [InlineData("<html><body>BPMN</body></html>", "not a BPMN 2.0 file")]
    [InlineData("<definitions xmlns=\"http://schema.omg.org/spec/BPMN/2.0\"/>", "not a BPMN 2.0 file")]
    [InlineData("<definitions/>", "not a BPMN 2.0 file")]
    [InlineData("<?xml version=\"1.0\" encoding=\"no-such-encoding\"?><definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>", "")]
    public void Malformed_or_foreign_input_is_refused_with_a_document_problem(string xml, string fragment)
    {
        var result = BpmnAssert.RefusedResult(xml);

        Assert.Contains(result.Problems, p => p.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Null_input_is_refused()
    {
        BpmnAssert.RefusedResult(null!);
    }

    [Fact]
    public void Billion_laughs_entity_expansion_is_refused_without_expanding()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
              <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
              <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
              <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
              <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
              <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
            ]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P" name="&lol9;"/></definitions>
            """;

        var problem = Assert.Single(BpmnAssert.RefusedResult(xml).Problems);

        Assert.Equal("", problem.ElementId);
        Assert.Contains("DOCTYPE", problem.Message);
    }

    [Fact]
    public void External_entity_is_refused_without_reading_the_file()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE definitions [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P" name="&secret;"/></definitions>
            """;

        var result = BpmnAssert.RefusedResult(xml);

        Assert.DoesNotContain(result.Problems, p => p.Message.Contains("root:", StringComparison.Ordinal));
        Assert.Contains("DOCTYPE", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void File_larger_than_the_limit_is_refused_before_parsing()
    {
        var xml = BpmnXml.Linear().Build();

        var result = BpmnAssert.RefusedResult(xml, new BpmnReadOptions { MaxBytes = 100 });

        Assert.Contains("larger than 100 bytes", Assert.Single(result.Problems).Message);
        BpmnAssert.Accepted(xml, new BpmnReadOptions { MaxBytes = Encoding.UTF8.GetByteCount(xml) });
    }

    [Fact]
    public void Default_limit_refuses_a_six_megabyte_file()
    {
        var xml = BpmnXml.Linear().Raw("<documentation>" + new string('x', 6 * 1024 * 1024) + "</documentation>").Build();

        Assert.Contains("larger than", Assert.Single(BpmnAssert.RefusedResult(xml).Problems).Message);
    }

    [Fact]
    public void Very_deep_nesting_is_refused_without_overflowing_the_stack()
    {
        const int depth = 200_000;
        var builder = new StringBuilder("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">");
        for (var i = 0; i < depth; i++)
            builder.Append("<a>");
        for (var i = 0; i < depth; i++)
            builder.Append("</a>");
        builder.Append("</definitions>");

        var result = BpmnAssert.RefusedResult(builder.ToString(), new BpmnReadOptions { MaxBytes = 10 * 1024 * 1024 });

        Assert.Contains("nested more than", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void Deeply_nested_sub_processes_within_the_limit_are_read()
    {
        const int levels = 30;
        var inner = new StringBuilder();
        for (var i = 0; i < levels; i++)
            inner.Append($"<subProcess id=\"Sub{i}\"><startEvent id=\"S{i}\"/><endEvent id=\"E{i}\"/><sequenceFlow id=\"In{i}\" sourceRef=\"S{i}\" targetRef=\"Sub{i + 1}\"/><sequenceFlow id=\"Out{i}\" sourceRef=\"Sub{i + 1}\" targetRef=\"E{i}\"/>");
        inner.Append($"<subProcess id=\"Sub{levels}\"><startEvent id=\"S{levels}\"/><endEvent id=\"E{levels}\"/><sequenceFlow id=\"Only\" sourceRef=\"S{levels}\" targetRef=\"E{levels}\"/></subProcess>");
        for (var i = 0; i < levels; i++)
            inner.Append("</subProcess>");
        var xml = new BpmnXml().Start().Raw(inner.ToString()).End().Flow("Start", "Sub0").Flow("Sub0", "End").Build();

        var definition = BpmnAssert.Accepted(xml);

        Assert.Equal($"Sub{levels - 1}", definition.Node($"Sub{levels}").ScopeId);
    }

    [Fact]
    public void Condition_with_absurd_nesting_is_refused_without_overflowing_the_parser()
    {
        var nested = new string('(', 1000) + "a" + new string(')', 1000);
        var huge = string.Join(" || ", Enumerable.Repeat("a > 1", 1000));
        var xml = new BpmnXml().Start().Exclusive("X", "Flow_X_C").UserTask("A").UserTask("B").UserTask("C").End()
            .Flow("Start", "X").Flow("X", "A", nested).Flow("X", "B", huge).Flow("X", "C").Flow("A", "End").Flow("B", "End").Flow("C", "End").Build();

        BpmnAssert.Refused(xml, "Flow_X_A", "nests brackets");
        BpmnAssert.Refused(xml, "Flow_X_B", "longer than 4,000 characters");
    }

    [Fact]
    public void Too_many_flow_elements_are_refused()
    {
        var xml = new BpmnXml().Start();
        for (var i = 0; i < 6_000; i++)
            xml.UserTask($"T{i}").Flow(i == 0 ? "Start" : $"T{i - 1}", $"T{i}");

        var result = BpmnAssert.RefusedResult(xml.Build(), new BpmnReadOptions { MaxBytes = 20 * 1024 * 1024 });

        Assert.Contains(result.Problems, p => p.ElementId == "" && p.Message.Contains("flow elements", StringComparison.Ordinal));
    }

    [Fact]
    public void Truncated_and_corrupted_versions_of_a_valid_file_never_throw()
    {
        var xml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bpmn", "Fixtures", "eia-review.bpmn"));
        var random = new Random(20260301);

        for (var i = 0; i < 300; i++)
        {
            var cut = random.Next(xml.Length);
            var variant = (i % 3) switch
            {
                0 => xml[..cut],
                1 => xml.Remove(cut, Math.Min(random.Next(1, 40), xml.Length - cut)),
                _ => xml.Insert(cut, "<\"&>"[random.Next(4)].ToString()),
            };

            var result = BpmnReader.Read(variant);

            Assert.True(result.IsValid || result.Problems.Count > 0);
            Assert.Equal(result.IsValid, result.Problems.Count == 0);
        }
    }
}
