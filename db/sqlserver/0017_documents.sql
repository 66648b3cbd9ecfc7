-- Official documents (公文, issue 13): numbers, templates and the documents issued from them.
-- Document numbers (文号) come from one counter row per (organisation:series, year), taken in the transaction that
-- stores the document, so a rolled-back issue leaves no gap. A number is never reused: a voided document keeps its
-- row and number, and the void (who, when, why) is recorded on it.
CREATE TABLE document_number_sequences (
    scope        nvarchar(100) NOT NULL, -- organisation:series, e.g. province:审
    year         int           NOT NULL,
    last_number  int           NOT NULL,
    CONSTRAINT pk_document_number_sequences PRIMARY KEY (scope, year)
);

-- Template versions: version 1 is the file shipped in workflows/documents/, later versions are administrators' edits.
CREATE TABLE document_templates (
    kind        varchar(64)       NOT NULL,
    version     int               NOT NULL,
    body        nvarchar(max)     NOT NULL,
    reason      nvarchar(max)     NOT NULL,
    created_at  datetimeoffset(7) NOT NULL,
    created_by  nvarchar(64)      NOT NULL,
    CONSTRAINT pk_document_templates PRIMARY KEY (kind, version)
);

-- Issued documents keep their bytes (PDF and DOCX) so that a re-download is byte-identical and a backup of the
-- database is a backup of every document; the SHA-256 of the PDF is the fingerprint quoted to the enterprise.
CREATE TABLE issued_documents (
    id                uniqueidentifier  NOT NULL PRIMARY KEY,
    number            nvarchar(100)     NOT NULL,
    kind              varchar(64)       NOT NULL,
    organisation      varchar(64)       NOT NULL, -- the issuing organisation (its number series)
    series            nvarchar(32)      NOT NULL,
    year              int               NOT NULL,
    sequence          int               NOT NULL,
    city              varchar(64)       NOT NULL, -- whose case it is: who may see it
    instance_id       uniqueidentifier  NULL,
    case_reference    nvarchar(200)     NULL,     -- the instance's business key (EIA case number, revocation case id) or the certificate number
    credit_code       varchar(18)       NULL,
    title             nvarchar(max)     NOT NULL,
    author            nvarchar(64)      NOT NULL,
    issued_at         datetimeoffset(7) NOT NULL,
    template_kind     varchar(64)       NOT NULL,
    template_version  int               NOT NULL,
    fields            nvarchar(max)     NOT NULL, -- JSON: the values the template was filled with
    pdf_sha256        char(64)          NOT NULL,
    pdf               varbinary(max)    NOT NULL,
    docx_sha256       char(64)          NOT NULL,
    docx              varbinary(max)    NOT NULL,
    voided_at         datetimeoffset(7) NULL,
    voided_by         nvarchar(64)      NULL,
    void_reason       nvarchar(max)     NULL,
    CONSTRAINT uq_issued_documents_number UNIQUE (number),
    CONSTRAINT uq_issued_documents_sequence UNIQUE (organisation, series, year, sequence)
);
CREATE INDEX ix_issued_documents_instance ON issued_documents (instance_id, issued_at);
CREATE INDEX ix_issued_documents_credit_code ON issued_documents (credit_code, issued_at);
