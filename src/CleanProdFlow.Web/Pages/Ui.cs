using System.Globalization;

namespace CleanProdFlow.Web.Pages;

/// <summary>Text of the pages in the user's language: Chinese first, English when the user chose it.</summary>
public static class Ui
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string zh, string en) => IsEnglish ? en : zh;

    public static string Lang => IsEnglish ? "en" : "zh-CN";
}
