using System.Data.Common;
using CleanProdFlow.Data.Database;
using Dapper;

namespace CleanProdFlow.Data.Documents;

/// <summary>An issued document without its bytes: what lists and the case page show.</summary>
public sealed record IssuedDocument(
    Guid Id, string Number, string Kind, string Organisation, string Series, int Year, int Sequence, string City, Guid? InstanceId,
    string? CaseReference, string? CreditCode, string Title, string Author, DateTimeOffset IssuedAt, string TemplateKind, int TemplateVersion,
    string Fields, string PdfSha256, string DocxSha256, DateTimeOffset? VoidedAt, string? VoidedBy, string? VoidReason);

/// <summary>A document to store: its number (already taken), where it belongs, and the rendered bytes.</summary>
public sealed record NewIssuedDocument(
    Guid Id, string Number, string Kind, string Organisation, string Series, int Year, int Sequence, string City, Guid? InstanceId,
    string? CaseReference, string? CreditCode, string Title, string Author, DateTimeOffset IssuedAt, string TemplateKind, int TemplateVersion,
    string Fields, string PdfSha256, byte[] Pdf, string DocxSha256, byte[] Docx);

/// <summary>
/// Issued official documents and their number sequences. The number and the document are written in one transaction
/// (the caller's: a workflow step's, or its own for issues outside a workflow), so a rolled-back issue leaves no gap.
/// Documents are never deleted or changed except for the void, which keeps the number.
/// </summary>
public sealed class DocumentStore(CpfDatabase database)
{
    private sealed class DocumentRow
    {
        public Guid Id { get; init; }
        public string Number { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Organisation { get; init; } = "";
        public string Series { get; init; } = "";
        public int Year { get; init; }
        public int Sequence { get; init; }
        public string City { get; init; } = "";
        public Guid? InstanceId { get; init; }
        public string? CaseReference { get; init; }
        public string? CreditCode { get; init; }
        public string Title { get; init; } = "";
        public string Author { get; init; } = "";
        public DateTimeOffset IssuedAt { get; init; }
        public string TemplateKind { get; init; } = "";
        public int TemplateVersion { get; init; }
        public string Fields { get; init; } = "";
        public string PdfSha256 { get; init; } = "";
        public string DocxSha256 { get; init; } = "";
        public DateTimeOffset? VoidedAt { get; init; }
        public string? VoidedBy { get; init; }
        public string? VoidReason { get; init; }

        public IssuedDocument ToDocument() => new(Id, Number, Kind, Organisation, Series, Year, Sequence, City, InstanceId, CaseReference, CreditCode,
            Title, Author, IssuedAt, TemplateKind, TemplateVersion, Fields, PdfSha256.Trim(), DocxSha256.Trim(), VoidedAt, VoidedBy, VoidReason);
    }

    private const string SelectDocument =
        "SELECT id AS Id, number AS Number, kind AS Kind, organisation AS Organisation, series AS Series, year AS Year, sequence AS Sequence, " +
        "city AS City, instance_id AS InstanceId, case_reference AS CaseReference, credit_code AS CreditCode, title AS Title, author AS Author, " +
        "issued_at AS IssuedAt, template_kind AS TemplateKind, template_version AS TemplateVersion, fields AS Fields, pdf_sha256 AS PdfSha256, " +
        "docx_sha256 AS DocxSha256, voided_at AS VoidedAt, voided_by AS VoidedBy, void_reason AS VoidReason FROM issued_documents";

    public DatabaseProvider Provider => database.Provider;

    /// <summary>
    /// The next number of a series and year, in <paramref name="transaction"/>. One statement creates the year's
    /// counter row or increments it and returns the value, holding the row lock until the transaction ends: concurrent
    /// issuers of the same series wait for each other, so numbers are gap-free and unique. (NumberedIntake's
    /// update-then-insert would need a retry of the whole transaction when two issuers create the year's first row,
    /// which a workflow step, whose transaction belongs to the engine, cannot do.)
    /// </summary>
    public async Task<int> NextNumberAsync(DbTransaction transaction, string scope, int year, CancellationToken cancellationToken = default)
    {
        var sql = database.Provider == DatabaseProvider.SqlServer
            ? "MERGE document_number_sequences WITH (HOLDLOCK) AS s USING (SELECT @scope AS scope, @year AS year) AS n " +
              "ON s.scope = n.scope AND s.year = n.year " +
              "WHEN MATCHED THEN UPDATE SET last_number = s.last_number + 1 " +
              "WHEN NOT MATCHED THEN INSERT (scope, year, last_number) VALUES (n.scope, n.year, 1) OUTPUT inserted.last_number;"
            : "INSERT INTO document_number_sequences (scope, year, last_number) VALUES (@scope, @year, 1) " +
              "ON CONFLICT (scope, year) DO UPDATE SET last_number = document_number_sequences.last_number + 1 RETURNING last_number";
        return await transaction.Connection!.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { scope, year }, transaction,
            cancellationToken: cancellationToken));
    }

    public async Task InsertAsync(DbTransaction transaction, NewIssuedDocument d, CancellationToken cancellationToken = default) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO issued_documents (id, number, kind, organisation, series, year, sequence, city, instance_id, case_reference, credit_code, title, " +
            "author, issued_at, template_kind, template_version, fields, pdf_sha256, pdf, docx_sha256, docx) VALUES (@Id, @Number, @Kind, @Organisation, " +
            "@Series, @Year, @Sequence, @City, @InstanceId, @CaseReference, @CreditCode, @Title, @Author, @issuedAt, @TemplateKind, @TemplateVersion, " +
            "@Fields, @PdfSha256, @Pdf, @DocxSha256, @Docx)",
            new
            {
                d.Id, d.Number, d.Kind, d.Organisation, d.Series, d.Year, d.Sequence, d.City, d.InstanceId, d.CaseReference, d.CreditCode, d.Title,
                d.Author, issuedAt = Instants.ForStorage(d.IssuedAt), d.TemplateKind, d.TemplateVersion, d.Fields, d.PdfSha256, d.Pdf, d.DocxSha256, d.Docx,
            }, transaction, cancellationToken: cancellationToken));

    public async Task<IssuedDocument?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<DocumentRow>(new CommandDefinition($"{SelectDocument} WHERE id = @id", new { id },
            cancellationToken: cancellationToken)))?.ToDocument();
    }

    /// <summary>The documents of a workflow instance (a case), in the order they were issued.</summary>
    public async Task<IReadOnlyList<IssuedDocument>> OfInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            $"{SelectDocument} WHERE instance_id = @instanceId ORDER BY issued_at, number", new { instanceId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToDocument()).ToList();
    }

    /// <summary>The documents issued about an enterprise (certificates are not tied to an instance).</summary>
    public async Task<IReadOnlyList<IssuedDocument>> OfEnterpriseAsync(string creditCode, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DocumentRow>(new CommandDefinition(
            $"{SelectDocument} WHERE credit_code = @creditCode ORDER BY issued_at, number", new { creditCode }, cancellationToken: cancellationToken)))
            .Select(r => r.ToDocument()).ToList();
    }

    /// <summary>The numbers of one series and year, ascending (for the gap check of the tests and audits).</summary>
    public async Task<IReadOnlyList<int>> SequencesAsync(string organisation, string series, int year, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT sequence FROM issued_documents WHERE organisation = @organisation AND series = @series AND year = @year ORDER BY sequence",
            new { organisation, series, year }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The stored bytes of the PDF (<paramref name="pdf"/>) or the DOCX, exactly as issued.</summary>
    public async Task<byte[]?> BytesAsync(Guid id, bool pdf, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            pdf ? "SELECT pdf FROM issued_documents WHERE id = @id" : "SELECT docx FROM issued_documents WHERE id = @id", new { id },
            cancellationToken: cancellationToken));
    }

    /// <summary>Records the void of a document; its number stays taken. False when it was voided already.</summary>
    public async Task<bool> VoidAsync(Guid id, string by, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE issued_documents SET voided_at = @now, voided_by = @by, void_reason = @reason WHERE id = @id AND voided_at IS NULL",
            new { id, by, reason, now = Instants.ForStorage(now) }, cancellationToken: cancellationToken)) == 1;
    }
}
