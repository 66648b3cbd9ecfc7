using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// Reads and validates a BPMN 2.0 file of the CleanProdFlow subset (DESIGN §3).
/// The file is accepted only when every element is in the subset and the process can run; otherwise every problem
/// found is returned, each naming the element concerned.
/// </summary>
/// <remarks>
/// Safe for any input: no DTD is processed (so no entity expansion and no external entity), nothing is resolved
/// over the network or the file system, size and nesting depth are bounded before the document is built, and no
/// exception escapes. The analysis is linear in the size of the file apart from the parallel-join check, which is
/// bounded by the number of elements allowed in one file.
/// </remarks>
public static class BpmnReader
{
    /// <summary>Deeper nesting than this is refused before the document is built (real files stay below 15).</summary>
    internal const int MaxDepth = 100;

    public static BpmnReadResult Read(string xml, BpmnReadOptions? options = null)
    {
        options ??= new BpmnReadOptions();
        try
        {
            return ReadCore(xml, options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug of ours must still answer with a refusal, not an exception that becomes a 500.
            return Refused(new BpmnProblem("",
                $"the file could not be read ({ex.GetType().Name}); please report this file to the CleanProdFlow team",
                $"无法读取该文件（{ex.GetType().Name}），请将该文件反馈给 CleanProdFlow 开发组"));
        }
    }

    private static BpmnReadResult ReadCore(string? xml, BpmnReadOptions options)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return Refused(new BpmnProblem("", "the file is empty", "文件为空"));

        var maxBytes = Math.Max(0, options.MaxBytes);
        if (xml.Length > maxBytes || Encoding.UTF8.GetByteCount(xml) > maxBytes)
            return Refused(new BpmnProblem("",
                $"the file is larger than {BpmnNames.Count(maxBytes)} bytes",
                $"文件超过 {BpmnNames.Count(maxBytes)} 字节"));

        // A byte-order mark or blank lines before the XML declaration come from how the file was decoded or
        // pasted, not from the author; the declaration must otherwise be first.
        var text = xml.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var (document, problem) = Load(text);
        if (document is null)
            return Refused(problem!);

        return new DefinitionsReader(xml, options).Read(document);
    }

    private static (XDocument? Document, BpmnProblem? Problem) Load(string text)
    {
        try
        {
            // First pass: bound the nesting depth before anything is built (document building and our own walk
            // would otherwise grow with it).
            using (var reader = XmlReader.Create(new StringReader(text), Settings()))
            {
                while (reader.Read())
                {
                    if (reader.Depth > MaxDepth)
                        return (null, new BpmnProblem("",
                            $"the XML is nested more than {MaxDepth} levels deep (line {LineOf(reader)})",
                            $"XML 嵌套超过 {MaxDepth} 层（第 {LineOf(reader)} 行）"));
                }
            }

            using (var reader = XmlReader.Create(new StringReader(text), Settings()))
                return (XDocument.Load(reader, LoadOptions.SetLineInfo), null);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new BpmnProblem("",
                "the file contains a DOCTYPE declaration; BPMN files must not declare a DTD or entities",
                "文件包含 DOCTYPE 声明；BPMN 文件不得声明 DTD 或实体"));
        }
        catch (XmlException ex)
        {
            return (null, new BpmnProblem("",
                $"the file is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}",
                $"文件不是格式正确的 XML（第 {ex.LineNumber} 行第 {ex.LinePosition} 列）：{ex.Message}"));
        }
    }

    private static XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private static int LineOf(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;

    internal static BpmnReadResult Refused(BpmnProblem problem) => new(null, [problem]);
}
