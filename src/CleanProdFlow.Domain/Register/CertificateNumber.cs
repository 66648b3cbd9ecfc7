namespace CleanProdFlow.Domain.Register;

/// <summary>
/// The honour certificate number (荣誉证书编号) the provincial department issues with the register entry
/// (measure 2): a yearly sequence, e.g. 苏清洁先进〔2026〕007号.
/// </summary>
public static class CertificateNumber
{
    public static string Format(int year, int sequence) => $"苏清洁先进〔{year}〕{sequence:000}号";
}
