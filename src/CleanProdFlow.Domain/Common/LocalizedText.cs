using System.Globalization;

namespace CleanProdFlow.Domain.Common;

/// <summary>A message in both of the product's languages; the caller picks one by the user's culture.</summary>
public sealed record LocalizedText(string Zh, string En)
{
    /// <summary>English for an English culture, Chinese (the default language) for everything else.</summary>
    public string In(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "en" ? En : Zh;

    public override string ToString() => $"{Zh} / {En}";
}

/// <summary>One reason why one field of an input was refused.</summary>
public sealed record FieldError(string Field, LocalizedText Message);
