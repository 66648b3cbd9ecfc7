using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using CleanProdFlow.Data.Database;
using CleanProdFlow.Data.Documents;
using CleanProdFlow.Domain.Access;
using CleanProdFlow.Domain.Documents;
using CleanProdFlow.Timing;

namespace CleanProdFlow.Web.Documents;

/// <summary>What to issue: the kind, who issues it, whose case it is, and the values for the template.</summary>
public sealed record DocumentRequest(string Kind, string IssuingOrganisation, string City, Guid? InstanceId, string? CaseReference, string? CreditCode,
    string Author, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// Issues official documents: fills the kind's current template, takes the next number of the issuing
/// organisation's series, renders PDF and DOCX and stores them with the template version and the PDF's SHA-256 —
/// all in the caller's transaction, so the number is used if and only if the document is stored. Everything that
/// can fail without the number (template, missing values, missing font) is checked before the number is taken.
/// </summary>
public sealed class DocumentIssuer(DocumentStore documents, DocumentTemplateStore templates, DocumentFonts fonts, PdfDocumentWriter pdf,
    DocumentSettings settings, CpfDatabase database)
{
    public async Task<IssuedDocument> IssueAsync(DbTransaction transaction, DocumentRequest request, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var kind = DocumentKind.Find(request.Kind)
            ?? throw new InvalidOperationException($"'{request.Kind}' is not a document kind ({string.Join(", ", DocumentKind.All.Select(k => k.Code))})");
        var issuer = Organisation.Find(request.IssuingOrganisation)
            ?? throw new InvalidOperationException($"'{request.IssuingOrganisation}' is not an organisation that issues documents");
        var stored = await templates.CurrentAsync(kind.Code, cancellationToken, transaction)
            ?? throw new InvalidOperationException($"there is no template for {kind.Code}: the shipped templates are stored at start-up");
        var (template, problems) = DocumentTemplate.Parse(kind, stored.Body);
        if (template is null)
            throw new InvalidOperationException($"template {kind.Code} version {stored.Version} cannot be used: {string.Join("; ", problems.Select(p => p.MessageEn))}");

        var issuedOn = BeijingTime.DateOf(now);
        var fields = new Dictionary<string, string>(request.Fields, StringComparer.Ordinal)
        {
            ["issuedOn"] = DocumentTemplate.ChineseDate(issuedOn),
            ["organisationName"] = issuer.NameZh,
            ["documentNumber"] = "…",
        };
        _ = template.Fill(fields); // every value present, before a number is used
        if (fonts.Problem() is { } fontProblem)
            throw new DocumentFontMissingException(fontProblem);

        var sequence = await documents.NextNumberAsync(transaction, DocumentNumber.Scope(issuer.Code, kind.Series), issuedOn.Year, cancellationToken);
        var number = DocumentNumber.Of(issuer.Code, settings.PrefixOf(issuer.Code), kind.Series, issuedOn.Year, sequence);
        fields["documentNumber"] = number.Text;
        var layout = template.Fill(fields);
        var pdfBytes = pdf.Write(layout, kind.Code == DocumentKind.HonourCertificate, issuer.NameZh, now);
        var docxBytes = DocxDocumentWriter.Write(layout);
        var document = new NewIssuedDocument(Guid.CreateVersion7(now), number.Text, kind.Code, issuer.Code, kind.Series, issuedOn.Year, sequence,
            request.City, request.InstanceId, request.CaseReference, request.CreditCode, layout.Title, request.Author, now, kind.Code, stored.Version,
            JsonSerializer.Serialize(fields.OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value)),
            Sha256(pdfBytes), pdfBytes, Sha256(docxBytes), docxBytes);
        await documents.InsertAsync(transaction, document, cancellationToken);
        return new IssuedDocument(document.Id, document.Number, document.Kind, document.Organisation, document.Series, document.Year, document.Sequence,
            document.City, document.InstanceId, document.CaseReference, document.CreditCode, document.Title, document.Author, Instants.ForStorage(now),
            document.TemplateKind, document.TemplateVersion, document.Fields, document.PdfSha256, document.DocxSha256, null, null, null);
    }

    /// <summary>Issues in a transaction of its own (documents not issued by a workflow step, e.g. the certificate).</summary>
    public async Task<IssuedDocument> IssueAsync(DocumentRequest request, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await NumberedIntake.BeginWriteAsync(connection, cancellationToken);
        var issued = await IssueAsync(transaction, request, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return issued;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
