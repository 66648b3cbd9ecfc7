using QRCoder;

namespace CleanProdFlow.Web.Documents;

/// <summary>QR codes for certificates: PNG, error correction M (survives a little dirt on a framed certificate).</summary>
public static class QrCodes
{
    public static byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }
}
