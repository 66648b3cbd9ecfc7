using SkiaSharp;

namespace CleanProdFlow.Web.Documents;

/// <summary>A document cannot be rendered: the CJK font is missing. Says which setting and which package fix it.</summary>
public sealed class DocumentFontMissingException(string message) : InvalidOperationException(message);

/// <summary>
/// The CJK typefaces the PDFs embed, loaded once from the configured font collections. A .ttc holds one face per
/// region (JP, KR, SC, TC, HK); the Simplified Chinese face is picked by name so that 直、骨、复 have their mainland forms.
/// </summary>
public sealed class DocumentFonts(DocumentSettings settings) : IDisposable
{
    private readonly Lazy<(SKTypeface Regular, SKTypeface Bold)> _faces = new(() => Load(settings));

    public SKTypeface Regular => _faces.Value.Regular;

    public SKTypeface Bold => _faces.Value.Bold;

    /// <summary>Null when the fonts can be loaded; otherwise what is wrong and how to fix it (logged at start, raised at issue).</summary>
    public string? Problem()
    {
        try
        {
            _ = _faces.Value;
            return null;
        }
        catch (DocumentFontMissingException e)
        {
            return e.Message;
        }
    }

    private static (SKTypeface, SKTypeface) Load(DocumentSettings settings)
    {
        var regular = Face(settings.FontPath, DocumentSettings.FontPathKey)
            ?? throw new DocumentFontMissingException(
                $"the CJK font for documents is missing: {settings.FontPath} ({DocumentSettings.FontPathKey}). Install Debian's fonts-noto-cjk " +
                $"(apt-get install -y fonts-noto-cjk) or set {DocumentSettings.FontPathKey} to a font with Chinese glyphs (.ttc/.otf/.ttf). " +
                "缺少公文所需的中文字体：请安装 fonts-noto-cjk 或配置 Documents:FontPath。");
        // The bold face is optional: without it titles are emboldened synthetically.
        var bold = File.Exists(settings.BoldFontPath) ? Face(settings.BoldFontPath, DocumentSettings.BoldFontPathKey) ?? regular : regular;
        return (regular, bold);
    }

    private static SKTypeface? Face(string path, string setting)
    {
        if (!File.Exists(path))
            return null;
        SKTypeface? first = null;
        for (var index = 0; index < 16; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null)
                break;
            if (face.FamilyName.EndsWith(" SC", StringComparison.Ordinal))
            {
                first?.Dispose();
                return face;
            }
            if (first is null)
                first = face;
            else
                face.Dispose();
        }
        if (first is null || !HasChinese(first))
            throw new DocumentFontMissingException($"{path} ({setting}) has no Chinese glyphs; install fonts-noto-cjk or point {setting} to a CJK font.");
        return first;
    }

    private static bool HasChinese(SKTypeface face)
    {
        using var font = new SKFont(face);
        return font.ContainsGlyph('中');
    }

    public void Dispose()
    {
        if (!_faces.IsValueCreated)
            return;
        var (regular, bold) = _faces.Value;
        if (!ReferenceEquals(regular, bold))
            bold.Dispose();
        regular.Dispose();
    }
}
