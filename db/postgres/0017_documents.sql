-- Official documents (公文, issue 13): numbers, templates and the documents issued from them.
-- Document numbers (文号) come from one counter row per (organisation:series, year), taken in the transaction that
-- stores the document, so a rolled-back issue leaves no gap. A number is never reused: a voided document keeps its
-- row and number, and the void (who, when, why) is recorded on it.
CREATE TABLE document_number_sequences (
    scope        varchar(100) NOT NULL, -- organisation:series, e.g. province:审
    year         integer      NOT NULL,
    last_number  integer      NOT NULL,
    PRIMARY KEY (scope, year)
);

-- Template versions: version 1 is the file shipped in workflows/documents/, later versions are administrators' edits.
CREATE TABLE document_templates (
    kind        varchar(64)  NOT NULL,
    version     integer      NOT NULL,
    body        text         NOT NULL,
    reason      text         NOT NULL,
    created_at  timestamptz  NOT NULL,
    created_by  varchar(64)  NOT NULL,
    PRIMARY KEY (kind, version)
);

-- Issued documents keep their bytes (PDF and DOCX) so that a re-download is byte-identical and a backup of the
-- database is a backup of every document; the SHA-256 of the PDF is the fingerprint quoted to the enterprise.
CREATE TABLE issued_documents (
    id                uuid         NOT NULL PRIMARY KEY,
    number            varchar(100) NOT NULL UNIQUE,
    kind              varchar(64)  NOT NULL,
    organisation      varchar(64)  NOT NULL, -- the issuing organisation (its number series)
    series            varchar(32)  NOT NULL,
    year              integer      NOT NULL,
    sequence          integer      NOT NULL,
    city              varchar(64)  NOT NULL, -- whose case it is: who may see it
    instance_id       uuid         NULL,
    case_reference    varchar(200) NULL,     -- the instance's business key (EIA case number, revocation case id) or the certificate number
    credit_code       varchar(18)  NULL,
    title             text         NOT NULL,
    author            varchar(64)  NOT NULL,
    issued_at         timestamptz  NOT NULL,
    template_kind     varchar(64)  NOT NULL,
    template_version  integer      NOT NULL,
    fields            text         NOT NULL, -- JSON: the values the template was filled with
    pdf_sha256        char(64)     NOT NULL,
    pdf               bytea        NOT NULL,
    docx_sha256       char(64)     NOT NULL,
    docx              bytea        NOT NULL,
    voided_at         timestamptz  NULL,
    voided_by         varchar(64)  NULL,
    void_reason       text         NULL,
    UNIQUE (organisation, series, year, sequence)
);
CREATE INDEX ix_issued_documents_instance ON issued_documents (instance_id, issued_at);
CREATE INDEX ix_issued_documents_credit_code ON issued_documents (credit_code, issued_at);
