namespace CleanProdFlow.Domain.Enterprises;

/// <summary>The rating of an accepted clean-production audit: Ⅰ 国际领先, Ⅱ 国内先进, Ⅲ 国内一般.</summary>
public enum AuditLevel
{
    I = 1,
    II = 2,
    III = 3,
}

public static class AuditLevels
{
    /// <summary>Reads the ways the bureaus write a level: I, Ⅰ, 1, 一级, Ⅰ级 (and Ⅱ, Ⅲ alike).</summary>
    public static AuditLevel? Parse(string? text) => text?.Trim().Replace("级", "").ToUpperInvariant() switch
    {
        "I" or "Ⅰ" or "1" or "一" => AuditLevel.I,
        "II" or "Ⅱ" or "2" or "二" => AuditLevel.II,
        "III" or "Ⅲ" or "3" or "三" => AuditLevel.III,
        _ => null,
    };
}
