using System.Text;
using CleanProdFlow.Engine.Bpmn;
using CsCheck;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>
/// Issue 12 item 4: random mutations of valid BPMN files (characters flipped, the file cut short, lines duplicated
/// or removed, attribute values replaced by garbage, elements nested deeper) are either read or refused with
/// problems — never an exception, never a definition with problems, never the reader's internal-failure refusal
/// (which only a bug of ours produces).
/// </summary>
public sealed class BpmnReaderPropertyTests
{
    private static readonly string[] Valid =
    [
        BpmnTestFiles.Fixture("eia-review.bpmn"),
        new BpmnXml().Start().UserTask("A").Exclusive("X", "Flow_X_End").UserTask("B").End()
            .Flow("Start", "A").Flow("A", "X").Flow("X", "B", "${outcome == 'rework'}").Flow("X", "End").Flow("B", "A").Build(),
    ];

    private const string Hostile = "<>&\"'/=!?[]{}$#;\0\uFFFE\uD800é审";

    private static readonly Gen<string> Garbage = Gen.OneOf(
        Gen.Char.Array[0, 30].Select(chars => new string(chars)),
        Gen.Int[0, Hostile.Length - 1].Array[1, 20].Select(picks => new string(picks.Select(i => Hostile[i]).ToArray())),
        Gen.OneOf<string>("${", "&lol;", "<!DOCTYPE x>", "]]>", "<![CDATA[", "&#0;", "&#xD800;", "-1", "99999999999999999999", "P-1D", "R-1/PT1H"));

    /// <summary>One mutation of a file: what it did (shown when the property fails) and the mutated text.</summary>
    private static string Mutate(string xml, int kind, double where, string garbage, int count)
    {
        var at = (int)(where * xml.Length);
        var lines = xml.Split('\n').ToList();
        var line = (int)(where * lines.Count);
        switch (kind)
        {
            case 0: // characters flipped
                var flipped = new StringBuilder(xml);
                for (var i = 0; i < count; i++)
                    flipped[(at + i * 997) % xml.Length] = garbage.Length > 0 ? garbage[i % garbage.Length] : '<';
                return flipped.ToString();
            case 1: // cut short
                return xml[..at];
            case 2: // lines (elements, attributes on their own lines) duplicated
                for (var i = 0; i < count; i++)
                    lines.Insert(line, lines[Math.Min(line + i, lines.Count - 1)]);
                return string.Join('\n', lines);
            case 3: // lines removed
                lines.RemoveRange(line, Math.Min(count, lines.Count - line));
                return string.Join('\n', lines);
            case 4: // an attribute value replaced by garbage
                var quote = xml.IndexOf("=\"", at, StringComparison.Ordinal);
                if (quote < 0)
                    return xml + garbage;
                var end = xml.IndexOf('"', quote + 2);
                return end < 0 ? xml : xml[..(quote + 2)] + garbage.Replace("\"", "&quot;") + xml[end..];
            case 5: // garbage inserted anywhere
                return xml.Insert(at, garbage);
            default: // an element wrapped in many more levels
                var open = xml.IndexOf('<', at);
                if (open < 0)
                    return xml;
                var wrapped = string.Concat(Enumerable.Repeat("<a>", count * 20));
                return xml[..open] + wrapped + xml[open..];
        }
    }

    private static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Int[0, 6], Gen.Double[0, 0.999], Garbage, Gen.Int[1, 8])
            .Select((file, kind, where, garbage, count) => Mutate(Valid[file], kind, where, garbage, count));

    [Fact]
    public void The_unmutated_files_are_accepted()
    {
        foreach (var xml in Valid)
            BpmnAssert.Accepted(xml);
    }

    [Fact]
    public void Every_mutation_is_read_or_refused_clearly()
    {
        Mutated.Sample(xml =>
        {
            var result = BpmnReader.Read(xml);

            Assert.Equal(result.IsValid, result.Problems.Count == 0);
            Assert.Equal(result.IsValid, result.Definition is not null);
            Assert.All(result.Problems, p =>
            {
                Assert.False(string.IsNullOrWhiteSpace(p.Message));
                Assert.False(string.IsNullOrWhiteSpace(p.MessageZh));
                Assert.DoesNotContain("please report this file", p.Message, StringComparison.Ordinal);
            });
        }, iter: 3_000, threads: 1);
    }

    [Fact]
    public void Every_mutation_is_read_the_same_way_twice()
    {
        Mutated.Sample(xml =>
        {
            var first = BpmnReader.Read(xml);
            var second = BpmnReader.Read(xml);

            Assert.Equal(first.IsValid, second.IsValid);
            Assert.Equal(first.Problems.Select(p => p.ElementId + p.Message), second.Problems.Select(p => p.ElementId + p.Message));
        }, iter: 300, threads: 1);
    }
}
