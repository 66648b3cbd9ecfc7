namespace CleanProdFlow.Timing;

/// <summary>The languages explanations are written in: zh-CN first (the users), en second.</summary>
public enum Language
{
    ZhCn,
    En,
}

public static class Languages
{
    /// <summary>Maps a BCP 47 tag ("zh-CN", "zh", "en-GB", …) to a language; anything not English is Chinese.</summary>
    public static Language FromTag(string? tag) =>
        tag is not null && tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.ZhCn;

    public static string Tag(this Language language) => language == Language.En ? "en" : "zh-CN";
}
