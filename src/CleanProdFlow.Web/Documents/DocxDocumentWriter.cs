using CleanProdFlow.Domain.Documents;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace CleanProdFlow.Web.Documents;

/// <summary>
/// Writes a filled template as DOCX for staff who edit or print it in WPS or Word: one paragraph per block, the
/// GB/T 9704 page (A4, margins 37 / 26 / 35 / 28 mm), 仿宋 16 pt body with a two-character first-line indent, the
/// title in 方正小标宋 (falling back to 宋体 where it is not installed), the certificate's QR code as an inline picture.
/// </summary>
public static class DocxDocumentWriter
{
    private const string BodyFont = "仿宋";
    private const string TitleFont = "方正小标宋简体";

    public static byte[] Write(DocumentLayout layout)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            main.Document = new Document(body);
            uint pictures = 0;
            foreach (var block in layout.Blocks)
                body.Append(block.Kind == BlockKind.Qr ? Picture(main, block.Text, ++pictures) : Paragraph(block));
            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U }));
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private static Paragraph Paragraph(DocumentBlock block)
    {
        var title = block.Kind == BlockKind.Title;
        var properties = new ParagraphProperties(new SpacingBetweenLines { Line = "560", LineRule = LineSpacingRuleValues.Exact });
        switch (block.Kind)
        {
            case BlockKind.Title or BlockKind.Centered:
                properties.Append(new Justification { Val = JustificationValues.Center });
                break;
            case BlockKind.Right:
                properties.Append(new Indentation { Right = "640" }, new Justification { Val = JustificationValues.Right });
                break;
            case BlockKind.Body or BlockKind.Item:
                properties.Append(new Indentation { FirstLineChars = 200 }, new Justification { Val = JustificationValues.Both });
                break;
        }
        var runProperties = new RunProperties(
            new RunFonts { EastAsia = title ? TitleFont : BodyFont, Ascii = title ? TitleFont : BodyFont, HighAnsi = title ? TitleFont : BodyFont },
            new FontSize { Val = title ? "44" : "32" }, new FontSizeComplexScript { Val = title ? "44" : "32" });
        if (title)
            runProperties.Append(new Bold());
        return new Paragraph(properties, new Run(runProperties, new Text(block.Text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    /// <summary>A centred paragraph with the QR code of <paramref name="url"/> as a 3 cm inline picture.</summary>
    private static Paragraph Picture(MainDocumentPart main, string url, uint id)
    {
        var part = main.AddImagePart(ImagePartType.Png);
        using (var png = new MemoryStream(QrCodes.Png(url)))
            part.FeedData(png);
        var relationship = main.GetIdOfPart(part);
        const long size = 1080000L; // 3 cm in EMU
        var name = $"qr{id}.png";
        var drawing = new Drawing(new DW.Inline(
            new DW.Extent { Cx = size, Cy = size },
            new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new DW.DocProperties { Id = id, Name = name, Description = url },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(new PIC.NonVisualDrawingProperties { Id = id, Name = name }, new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = relationship }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = size, Cy = size }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        { DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U });
        return new Paragraph(new ParagraphProperties(new Justification { Val = JustificationValues.Center }), new Run(drawing));
    }

    /// <summary>The text of every paragraph of a DOCX, in order (what the golden tests compare).</summary>
    public static IReadOnlyList<string> Paragraphs(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var document = WordprocessingDocument.Open(stream, false);
        return document.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().Select(p => p.InnerText).ToList();
    }
}
