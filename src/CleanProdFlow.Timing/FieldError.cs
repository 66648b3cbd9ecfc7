namespace CleanProdFlow.Timing;

/// <summary>
/// One reason an input was refused, named by the JSON path of the offending field
/// (e.g. <c>pauses[1].to</c>) so the web layer can turn it into problem+json as is.
/// </summary>
public sealed record FieldError(string Field, string Code, string MessageEn, string MessageZh)
{
    public string Message(Language language) => language == Language.ZhCn ? MessageZh : MessageEn;

    public override string ToString() => $"{Field}: {Code} ({MessageEn})";
}
