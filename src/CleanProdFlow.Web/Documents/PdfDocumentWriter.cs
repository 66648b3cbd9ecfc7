using System.Globalization;
using System.Text;
using CleanProdFlow.Domain.Documents;
using SkiaSharp;

namespace CleanProdFlow.Web.Documents;

/// <summary>
/// Writes a filled template as PDF through Skia's PDF backend, with the CJK font embedded (subset) so that any
/// reader shows the Chinese text and text extraction finds it. Page and margins follow GB/T 9704 (党政机关公文格式):
/// A4, margins 37 / 26 / 35 / 28 mm, body 16 pt (三号), title 22 pt (二号), page numbers — 1 — at the foot.
/// A certificate is one page with a red double border and its QR code.
/// </summary>
public sealed class PdfDocumentWriter(DocumentFonts fonts)
{
    private const float PageWidth = 595.28f;
    private const float PageHeight = 841.89f;
    private const float Mm = 72f / 25.4f;
    private const float Top = 37 * Mm;
    private const float Bottom = 35 * Mm;
    private const float Left = 28 * Mm;
    private const float Right = 26 * Mm;
    private const float TextWidth = PageWidth - Left - Right;
    private const string ClosingPunctuation = "，。、；：？！）》」』”’…,.;:?!)";

    public byte[] Write(DocumentLayout layout, bool certificate, string author, DateTimeOffset issuedAt)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = layout.Title,
            Author = author,
            Creator = "CleanProdFlow",
            Producer = "CleanProdFlow",
            Creation = issuedAt.UtcDateTime,
            Modified = issuedAt.UtcDateTime,
            RasterDpi = 300,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            var page = new PageCursor(document, certificate, fonts.Regular);
            var scale = certificate ? 1.25f : 1f;
            foreach (var block in layout.Blocks)
            {
                switch (block.Kind)
                {
                    case BlockKind.Blank:
                        page.Advance(14 * scale);
                        break;
                    case BlockKind.Qr:
                        page.Qr(block.Text);
                        break;
                    default:
                        page.Paragraph(block, Font(block.Kind, scale), LineHeight(block.Kind, scale), certificate && block.Kind == BlockKind.Title);
                        break;
                }
            }
            page.Finish();
            document.Close();
        }
        return stream.ToArray();
    }

    private SKFont Font(BlockKind kind, float scale) => kind == BlockKind.Title
        ? new SKFont(fonts.Bold, 22 * scale * (scale > 1 ? 1.6f : 1f)) { Embolden = ReferenceEquals(fonts.Bold, fonts.Regular), Subpixel = true }
        : new SKFont(fonts.Regular, 16 * scale) { Subpixel = true };

    private static float LineHeight(BlockKind kind, float scale) => (kind == BlockKind.Title ? 36 : 29) * scale;

    /// <summary>Lines of one paragraph: CJK breaks anywhere, a run of Latin letters and digits stays whole, closing punctuation never starts a line.</summary>
    internal static List<string> Wrap(string text, SKFont font, float firstWidth, float width)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        var available = firstWidth;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            if (current.Length > 0 && font.MeasureText(current + element) > available && !ClosingPunctuation.Contains(element, StringComparison.Ordinal))
            {
                var carried = "";
                if (IsWordChar(element))
                {
                    var start = current.Length;
                    while (start > 0 && IsWordChar(current[start - 1].ToString()))
                        start--;
                    if (start > 0)
                    {
                        carried = current.ToString(start, current.Length - start);
                        current.Length = start;
                    }
                }
                lines.Add(current.ToString());
                current.Clear().Append(carried);
                available = width;
            }
            current.Append(element);
        }
        if (current.Length > 0 || lines.Count == 0)
            lines.Add(current.ToString());
        return lines;
    }

    /// <summary>
    /// Draws one line as a text blob that carries the line's text and clusters: Skia's PDF backend then writes
    /// /ActualText where the font's glyph-to-Unicode map would give another character. Noto CJK shares one glyph
    /// between 目 and the Kangxi radical ⽬ (U+2F6C), and without the text a copy or search of the PDF finds the radical.
    /// </summary>
    private static void DrawLine(SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        if (text.Length == 0)
            return;
        var glyphs = font.GetGlyphs(text);
        var positions = font.GetGlyphPositions(text, new SKPoint(0, 0));
        var width = font.MeasureText(text);
        var start = align switch
        {
            SKTextAlign.Center => x - width / 2,
            SKTextAlign.Right => x - width,
            _ => x,
        };
        var utf8 = Encoding.UTF8.GetBytes(text);
        var clusters = new uint[glyphs.Length];
        var offset = 0;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (index < clusters.Length)
                clusters[index++] = (uint)offset;
            offset += rune.Utf8SequenceLength;
        }
        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocateHorizontalTextRun(font, glyphs.Length, y, utf8.Length, null);
        run.SetGlyphs(glyphs);
        run.SetPositions(positions.Select(p => start + p.X).ToArray());
        run.SetText(utf8);
        run.SetClusters(clusters);
        using var blob = builder.Build();
        if (blob is not null)
            canvas.DrawText(blob, 0, 0, paint);
    }

    private static bool IsWordChar(string element) => element.Length == 1 && char.IsAsciiLetterOrDigit(element[0]);

    /// <summary>Where the next line goes; opens a new page when the current one is full.</summary>
    private sealed class PageCursor(SKDocument document, bool certificate, SKTypeface numbers)
    {
        private SKCanvas? _canvas;
        private int _pages;
        private float _y;

        private SKCanvas Canvas => _canvas ?? Open();

        private SKCanvas Open()
        {
            _canvas = document.BeginPage(PageWidth, PageHeight);
            _pages++;
            _y = certificate ? Top + 20 * Mm : Top;
            if (certificate)
            {
                using var red = new SKPaint { Color = new SKColor(0xC0, 0x10, 0x10), Style = SKPaintStyle.Stroke, StrokeWidth = 3, IsAntialias = true };
                _canvas.DrawRect(15 * Mm, 15 * Mm, PageWidth - 30 * Mm, PageHeight - 30 * Mm, red);
                red.StrokeWidth = 1;
                _canvas.DrawRect(18 * Mm, 18 * Mm, PageWidth - 36 * Mm, PageHeight - 36 * Mm, red);
            }
            return _canvas;
        }

        public void Advance(float height)
        {
            _ = Canvas;
            _y += height;
        }

        private void Room(float height)
        {
            if (_canvas is not null && _y + height > PageHeight - Bottom)
            {
                Close();
                Open();
            }
        }

        public void Paragraph(DocumentBlock block, SKFont font, float lineHeight, bool red)
        {
            using (font)
            using (var paint = new SKPaint { Color = red || block.Kind == BlockKind.Title && certificate ? new SKColor(0xC0, 0x10, 0x10) : SKColors.Black, IsAntialias = true })
            {
                var indent = block.Kind is BlockKind.Body or BlockKind.Item ? font.Size * 2 : 0;
                var lines = Wrap(block.Text, font, TextWidth - indent, block.Kind == BlockKind.Item ? TextWidth - indent : TextWidth);
                for (var i = 0; i < lines.Count; i++)
                {
                    _ = Canvas;
                    Room(lineHeight);
                    _y += lineHeight;
                    var (x, align) = block.Kind switch
                    {
                        BlockKind.Title or BlockKind.Centered => (PageWidth / 2, SKTextAlign.Center),
                        BlockKind.Right => (PageWidth - Right - font.Size * 2, SKTextAlign.Right),
                        BlockKind.Item => (Left + indent, SKTextAlign.Left),
                        BlockKind.Body when i == 0 => (Left + indent, SKTextAlign.Left),
                        _ => (Left, SKTextAlign.Left),
                    };
                    DrawLine(Canvas, lines[i], x, _y - lineHeight * 0.25f, align, font, paint);
                }
            }
        }

        public void Qr(string url)
        {
            const float size = 110;
            _ = Canvas;
            Room(size + 10);
            using var image = SKImage.FromEncodedData(QrCodes.Png(url));
            Canvas.DrawImage(image, SKRect.Create((PageWidth - size) / 2, _y + 10, size, size), new SKSamplingOptions(SKFilterMode.Nearest));
            _y += size + 10;
        }

        private void Close()
        {
            if (_canvas is null)
                return;
            if (!certificate)
            {
                using var font = new SKFont(numbers, 14);
                using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
                _canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"- {_pages} -"), PageWidth / 2, PageHeight - Bottom + 12 * Mm, SKTextAlign.Center,
                    font, paint);
            }
            document.EndPage();
            _canvas = null;
        }

        public void Finish()
        {
            _ = Canvas;
            Close();
        }
    }
}
