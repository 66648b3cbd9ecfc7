using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CleanProdFlow.Engine.Tests.Bpmn;

/// <summary>Files the BPMN tests read at run time: fixtures and the MIWG corpus (copied to the output folder), and the repository's time-limit rules.</summary>
internal static partial class BpmnTestFiles
{
    public static string Folder(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Bpmn", .. parts]);

    public static string Fixture(string name) => Read(Folder("Fixtures", name));

    /// <summary>Reads a BPMN file as text, decoding it as its XML declaration says (several MIWG files are ISO-8859-1).</summary>
    public static string Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        var declared = DeclaredEncoding().Match(head);
        var encoding = declared.Success && declared.Groups[1].Value.Equals("ISO-8859-1", StringComparison.OrdinalIgnoreCase)
            ? Encoding.Latin1
            : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var text = encoding.GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>The ids of the time-limit rules shipped in workflows/time-limits.json.</summary>
    public static IReadOnlySet<string> TimeLimitRuleIds()
    {
        var path = Path.Combine(RepositoryRoot(), "workflows", "time-limits.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The folder that holds CleanProdFlow.sln, found by walking up from the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CleanProdFlow.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"CleanProdFlow.sln not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The roles of DESIGN §6, as candidate groups.</summary>
    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal)
    {
        "acceptance", "publicity", "assessment", "review", "approver", "audit-officer", "quota-officer", "enforcement", "admin", "auditor",
    };

    [GeneratedRegex("""encoding\s*=\s*["']([^"']+)["']""", RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredEncoding();
}
