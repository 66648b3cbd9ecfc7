using System.Text;
using CleanProdFlow.Domain.Common;

namespace CleanProdFlow.Domain.Imports;

/// <summary>
/// CSV as the bureaus save it: UTF-8 with or without a byte-order mark (“CSV UTF-8”), or GB18030/GBK (Excel's
/// plain “CSV (逗号分隔)” on a Chinese Windows). Bytes that are valid UTF-8 are read as UTF-8, anything else as
/// GB18030 — a GBK file of Chinese text is practically never valid UTF-8, while ASCII is the same in both.
/// Fields follow RFC 4180 (quotes, doubled quotes, line breaks inside quotes); the separator is a comma, or a
/// tab or semicolon when the first line has no comma but one of those.
/// </summary>
internal static class CsvTableReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Lazy<Encoding> Gb18030 = new(() =>
    {
        // The code-page encodings ship with .NET but are only available once their provider is registered.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    public static ImportRead Read(byte[] bytes)
    {
        var (text, problem) = Decode(bytes);
        if (text is null)
            return ImportRead.Refused(problem!);
        if (text.Contains('\0'))
            return ImportRead.Refused(new("文件不是文本格式的 CSV（可能是改了扩展名的 Excel 文件；请另存为 CSV 或 .xlsx）",
                "the file is not a text CSV (perhaps a renamed Excel file; save it as CSV or .xlsx)"));
        return Parse(text);
    }

    internal static (string? Text, LocalizedText? Problem) Decode(byte[] bytes)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            try
            {
                return (StrictUtf8.GetString(bytes, 3, bytes.Length - 3), null);
            }
            catch (DecoderFallbackException)
            {
                return (null, new("文件标明为 UTF-8 编码，但含有无效的 UTF-8 字节", "the file is marked as UTF-8 but has bytes that are not valid UTF-8"));
            }
        }
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
            return (null, new("不支持 UTF-16（“Unicode 文本”）编码的文件，请另存为“CSV UTF-8（逗号分隔）”或 .xlsx",
                "UTF-16 (“Unicode text”) files are not supported; save as “CSV UTF-8 (comma delimited)” or .xlsx"));
        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: the other encoding Excel in China writes.
        }
        try
        {
            return (Gb18030.Value.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, new("无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK", "the file's encoding is neither UTF-8 nor GB18030/GBK"));
        }
    }

    internal static ImportRead Parse(string text)
    {
        var separator = SeparatorOf(text);
        var rows = new List<ImportRow>();
        var cells = new List<string?>();
        var field = new StringBuilder();
        var number = 1;
        var recordStart = 1;
        var quoted = false;
        var i = 0;

        void EndField()
        {
            cells.Add(field.ToString());
            field.Clear();
        }

        bool EndRecord()
        {
            EndField();
            if (!ImportFile.IsBlank(cells))
                rows.Add(new ImportRow(recordStart, cells.ToArray()));
            cells.Clear();
            recordStart = ++number;
            return rows.Count <= ImportFile.RowsToRead;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }
                if (c == '"')
                    quoted = false;
                else
                    field.Append(c);
                i++;
                continue;
            }
            if (c == '"' && field.Length == 0)
                quoted = true;
            else if (c == separator)
                EndField();
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                if (!EndRecord())
                    return ImportRead.Refused(ImportFile.TooManyRows);
            }
            else
                field.Append(c); // a quote inside an unquoted field is kept as it is, as Excel does
            i++;
        }
        if (quoted)
            return ImportRead.Refused(new($"第 {recordStart} 行的引号没有闭合", $"a quote opened in row {recordStart} is never closed"));
        if (field.Length > 0 || cells.Count > 0)
            EndRecord();
        return rows.Count > ImportFile.RowsToRead ? ImportRead.Refused(ImportFile.TooManyRows) : new ImportRead(rows, null);
    }

    private static char SeparatorOf(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var first = end < 0 ? text : text[..end];
        if (first.Contains(','))
            return ',';
        if (first.Contains('\t'))
            return '\t';
        return first.Contains(';') ? ';' : ',';
    }
}
