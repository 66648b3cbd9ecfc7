using CleanProdFlow.Domain.Common;
using CleanProdFlow.Domain.Imports;
using CleanProdFlow.Web.Api.Problems;
using Microsoft.AspNetCore.Http.Features;

namespace CleanProdFlow.Web.Api.Imports;

/// <summary>An uploaded import file: its name, its bytes and the format its extension names.</summary>
public sealed record Upload(string FileName, byte[] Content, ImportFormat Format);

/// <summary>
/// Reads the one file of a multipart/form-data import request (field <c>file</c>, at most 10 MB, .csv or .xlsx).
/// Every refusal is a problem naming <c>file</c>: 415 for another content type or file type, 413 for a file too
/// big, 400 for a missing, empty or unreadable upload.
/// </summary>
public static class ImportUpload
{
    public const string Field = "file";

    /// <summary>Room for the multipart boundaries and part headers around the file itself.</summary>
    private const long Envelope = 64 * 1024;

    /// <summary>What browsers and tools send for CSV and XLSX (Windows says vnd.ms-excel for .csv); other types are refused.</summary>
    private static readonly HashSet<string> AcceptedPartTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "application/octet-stream", "text/csv", "text/plain", "text/comma-separated-values", "application/csv", "text/x-csv",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip",
        "application/x-zip-compressed",
    };

    private static readonly LocalizedText NotMultipart = new("请以 multipart/form-data 上传，文件字段名为 file",
        "upload the file as multipart/form-data in the field 'file'");

    private static readonly LocalizedText TooBig = new($"文件不能超过 {ImportFile.MaxBytes / 1024 / 1024} MB，请分成多个文件导入",
        $"the file may be at most {ImportFile.MaxBytes / 1024 / 1024} MB; split it into several files");

    private static readonly LocalizedText WrongType = new("只接受 .csv（UTF-8 或 GB18030/GBK 编码）和 .xlsx 文件；.xls 请在 Excel 中另存为 .xlsx",
        "only .csv (UTF-8 or GB18030/GBK) and .xlsx files are accepted; save .xls files as .xlsx in Excel");

    private static IResult Refuse(LocalizedText reason, int status = StatusCodes.Status400BadRequest) =>
        Problem.Validation([new FieldError(Field, reason)], status);

    public static async Task<(Upload? Upload, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, Refuse(NotMultipart, StatusCodes.Status415UnsupportedMediaType));
        if (request.ContentLength > ImportFile.MaxBytes + Envelope)
            return (null, Refuse(TooBig, StatusCodes.Status413PayloadTooLarge));
        // Kestrel would otherwise read up to its 30 MB default before the form reader's own limit applies.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = ImportFile.MaxBytes + Envelope;

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = ImportFile.MaxBytes }, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Refuse(TooBig, StatusCodes.Status413PayloadTooLarge));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Refuse(TooBig, StatusCodes.Status413PayloadTooLarge));
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, Refuse(new("上传内容不是完整有效的 multipart/form-data", "the upload is not complete, valid multipart/form-data")));
        }

        var files = form.Files.GetFiles(Field);
        if (files.Count == 0)
            return (null, Refuse(new("缺少上传文件：请在字段 file 中上传 .csv 或 .xlsx 文件", "no file: upload a .csv or .xlsx file in the field 'file'")));
        if (files.Count > 1)
            return (null, Refuse(new("一次只能导入一个文件", "import one file at a time")));
        var file = files[0];
        if (ImportFile.FormatOf(file.FileName) is not { } format)
            return (null, Refuse(WrongType, StatusCodes.Status415UnsupportedMediaType));
        var partType = file.ContentType?.Split(';')[0].Trim() ?? "";
        if (!AcceptedPartTypes.Contains(partType))
            return (null, Refuse(new($"文件类型“{partType}”不是 CSV 或 XLSX", $"the file type '{partType}' is not CSV or XLSX"), StatusCodes.Status415UnsupportedMediaType));
        if (file.Length > ImportFile.MaxBytes)
            return (null, Refuse(TooBig, StatusCodes.Status413PayloadTooLarge));
        if (file.Length == 0)
            return (null, Refuse(new("文件为空", "the file is empty")));

        using var content = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream())
            await stream.CopyToAsync(content, cancellationToken);
        // Old browsers send the client's whole path (C:\fakepath\企业.csv); only the name is kept.
        return (new Upload(file.FileName.Split('/', '\\')[^1], content.ToArray(), format), null);
    }
}
