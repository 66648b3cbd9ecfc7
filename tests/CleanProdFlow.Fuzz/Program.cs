using System.Text;
using CleanProdFlow.Domain.Imports;
using CleanProdFlow.Engine.Bpmn;
using SharpFuzz;

namespace CleanProdFlow.Fuzz;

/// <summary>
/// One fuzzing target per run: <c>bpmn</c> (the BPMN reader), <c>csv</c> or <c>xlsx</c> (the import parsers).
/// The contract checked: any input gives a definition or a refusal with problems; any other exception is a crash
/// that AFL++ records (and a hang is one too, through afl-fuzz's -t).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var target = args.Length > 0 ? args[0] : "bpmn";
        Action<byte[]> run = target switch
        {
            "bpmn" => Bpmn,
            "csv" => bytes => Import(ImportFile.Read(bytes, ImportFormat.Csv)),
            "xlsx" => bytes => Import(ImportFile.Read(bytes, ImportFormat.Xlsx)),
            _ => throw new ArgumentException($"unknown target '{target}' (bpmn, csv or xlsx)"),
        };

        // "--once FILE": run one input without AFL (to reproduce a finding).
        if (args.Length > 2 && args[1] == "--once")
        {
            run(File.ReadAllBytes(args[2]));
            Console.WriteLine("ok");
            return;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            run(buffer.ToArray());
        });
    }

    private static void Bpmn(byte[] bytes)
    {
        // The upload endpoint refuses bytes that are not UTF-8 before the reader sees them; the reader gets text.
        var xml = Encoding.UTF8.GetString(bytes);
        var result = BpmnReader.Read(xml);
        if (result.IsValid != (result.Problems.Count == 0) || result.IsValid != result.Definition is not null)
            throw new InvalidOperationException("the reader answered with both a definition and problems, or with neither");
        // The reader's catch-all turns a bug into a refusal; for fuzzing that refusal is the finding.
        if (result.Problems.Any(p => p.Message.Contains("please report this file", StringComparison.Ordinal)))
            throw new InvalidOperationException("the reader failed internally: " + result.Problems[0].Message);
    }

    private static void Import(ImportRead read)
    {
        if (read.Problem is null && read.Rows is null)
            throw new InvalidOperationException("an import read neither rows nor a problem");
    }
}
