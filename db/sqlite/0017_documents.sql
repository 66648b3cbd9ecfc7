-- Official documents (公文, issue 13): numbers, templates and the documents issued from them.
-- Document numbers (文号) come from one counter row per (organisation:series, year), taken in the transaction that
-- stores the document, so a rolled-back issue leaves no gap. A number is never reused: a voided document keeps its
-- row and number, and the void (who, when, why) is recorded on it.
CREATE TABLE document_number_sequences (
    scope        TEXT    NOT NULL, -- organisation:series, e.g. province:审
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (scope, year)
);

-- Template versions: version 1 is the file shipped in workflows/documents/, later versions are administrators' edits.
CREATE TABLE document_templates (
    kind        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    created_by  TEXT    NOT NULL,
    PRIMARY KEY (kind, version)
);

-- Issued documents keep their bytes (PDF and DOCX) so that a re-download is byte-identical and a backup of the
-- database is a backup of every document; the SHA-256 of the PDF is the fingerprint quoted to the enterprise.
CREATE TABLE issued_documents (
    id                TEXT    NOT NULL PRIMARY KEY,
    number            TEXT    NOT NULL UNIQUE,
    kind              TEXT    NOT NULL,
    organisation      TEXT    NOT NULL, -- the issuing organisation (its number series)
    series            TEXT    NOT NULL,
    year              INTEGER NOT NULL,
    sequence          INTEGER NOT NULL,
    city              TEXT    NOT NULL, -- whose case it is: who may see it
    instance_id       TEXT    NULL,
    case_reference    TEXT    NULL,     -- the instance's business key (EIA case number, revocation case id) or the certificate number
    credit_code       TEXT    NULL,
    title             TEXT    NOT NULL,
    author            TEXT    NOT NULL,
    issued_at         TEXT    NOT NULL,
    template_kind     TEXT    NOT NULL,
    template_version  INTEGER NOT NULL,
    fields            TEXT    NOT NULL, -- JSON: the values the template was filled with
    pdf_sha256        TEXT    NOT NULL,
    pdf               BLOB    NOT NULL,
    docx_sha256       TEXT    NOT NULL,
    docx              BLOB    NOT NULL,
    voided_at         TEXT    NULL,
    voided_by         TEXT    NULL,
    void_reason       TEXT    NULL,
    UNIQUE (organisation, series, year, sequence)
);
CREATE INDEX ix_issued_documents_instance ON issued_documents (instance_id, issued_at);
CREATE INDEX ix_issued_documents_credit_code ON issued_documents (credit_code, issued_at);
