using CleanProdFlow.Data.Database;
using CleanProdFlow.Domain.Access;

namespace CleanProdFlow.Web.Documents;

/// <summary>
/// Settings of official documents (section <c>Documents</c>): the CJK fonts the PDFs embed, the public address the
/// certificates' QR codes point to, and each organisation's document-number prefix (文号机关代字). The province's
/// prefix 苏环 gives 苏环审〔2026〕123号; every city has its own so that no two organisations can issue the same number.
/// </summary>
public sealed record DocumentSettings(string FontPath, string BoldFontPath, string PublicBaseUrl, IReadOnlyDictionary<string, string> Prefixes)
{
    public const string Section = "Documents";
    public const string FontPathKey = "Documents:FontPath";
    public const string BoldFontPathKey = "Documents:BoldFontPath";
    public const string PublicBaseUrlKey = "Documents:PublicBaseUrl";
    public const string PrefixesKey = "Documents:Prefixes";

    /// <summary>Debian's fonts-noto-cjk: Noto Serif CJK, whose SC face is a Song (宋体) style suitable for official documents.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
    public const string DefaultBoldFontPath = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc";
    public const string DefaultPublicBaseUrl = "http://127.0.0.1:5080";

    public static IReadOnlyDictionary<string, string> DefaultPrefixes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Organisation.ProvinceCode] = "苏环",
        ["nanjing"] = "宁环",
        ["wuxi"] = "锡环",
        ["xuzhou"] = "徐环",
        ["changzhou"] = "常环",
        ["suzhou"] = "苏市环",
        ["nantong"] = "通环",
        ["lianyungang"] = "连环",
        ["huaian"] = "淮环",
        ["yancheng"] = "盐环",
        ["yangzhou"] = "扬环",
        ["zhenjiang"] = "镇环",
        ["taizhou"] = "泰环",
        ["suqian"] = "宿环",
    };

    public static DocumentSettings Read(IConfiguration configuration)
    {
        var prefixes = new Dictionary<string, string>(DefaultPrefixes, StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(PrefixesKey).GetChildren())
        {
            if (Organisation.Find(child.Key) is null)
                throw new StartupException($"{PrefixesKey}:{child.Key}", $"'{child.Key}' is not an organisation code.",
                    $"use one of {string.Join(", ", Organisation.All.Select(o => o.Code))}.");
            if (string.IsNullOrWhiteSpace(child.Value) || child.Value.Trim().Length > 10)
                throw new StartupException($"{PrefixesKey}:{child.Key}", "a document-number prefix must have 1 to 10 characters.",
                    $"set {PrefixesKey}:{child.Key} to the organisation's prefix, e.g. 苏环, or remove it for the default.");
            prefixes[child.Key] = child.Value.Trim();
        }
        var duplicate = prefixes.GroupBy(p => p.Value, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new StartupException(PrefixesKey, $"the organisations {string.Join(", ", duplicate.Select(d => d.Key))} share the prefix '{duplicate.Key}'.",
                "give every organisation its own prefix: two organisations with one prefix would issue the same document number.");
        var baseUrl = configuration[PublicBaseUrlKey] is { Length: > 0 } url ? url.Trim().TrimEnd('/') : DefaultPublicBaseUrl;
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new StartupException(PublicBaseUrlKey, $"'{baseUrl}' is not an absolute http(s) address.",
                "set it to the address the public reaches this system at, e.g. https://cpf.example.gov.cn.");
        return new DocumentSettings(configuration[FontPathKey] is { Length: > 0 } font ? font.Trim() : DefaultFontPath,
            configuration[BoldFontPathKey] is { Length: > 0 } bold ? bold.Trim() : DefaultBoldFontPath, baseUrl, prefixes);
    }

    public string PrefixOf(string organisation) =>
        Prefixes.TryGetValue(organisation, out var prefix) ? prefix : throw new InvalidOperationException($"no document-number prefix for '{organisation}'");

    /// <summary>The public list's entry of a certificate (the QR code on the certificate points here).</summary>
    public string VerifyUrl(string certificateNumber) => $"{PublicBaseUrl}/public/advanced-enterprises?certificate={Uri.EscapeDataString(certificateNumber)}";
}
