-- Issue 10: an audit-formed reduction stands on an accepted audit (an audit_results row of the enterprise). One row
-- per audit and pollutant: the primary key makes a second issuance for the same audit and pollutant impossible; the
-- entry it credited is linked, so the ledger's issuance can be traced to the acceptance it came from.
CREATE TABLE quota_reductions (
    audit_result_id  bigint      NOT NULL REFERENCES audit_results (id),
    pollutant        varchar(16)  NOT NULL,
    credit_code      varchar(18)  NOT NULL,
    amount           bigint      NOT NULL, -- milli-tonnes per year, as the entry
    entry_id         uuid         NOT NULL REFERENCES quota_entries (id),
    registered_at    timestamptz  NOT NULL,
    registered_by    varchar(64)  NOT NULL,
    PRIMARY KEY (audit_result_id, pollutant)
);
CREATE INDEX ix_quota_reductions_credit_code ON quota_reductions (credit_code);

-- Issuances registered before this migration named the acceptance document as typed: those whose reference is an
-- audit of the credited enterprise are linked; any other stays in the ledger unlinked (it was registered as typed).
INSERT INTO quota_reductions (audit_result_id, pollutant, credit_code, amount, entry_id, registered_at, registered_by)
SELECT r.id, e.pollutant, p.holder_id, e.amount, e.id, e.created_at, e.created_by
FROM quota_entries e
JOIN quota_postings p ON p.entry_id = e.id AND p.holder_kind = 'enterprise'
JOIN audit_results r ON r.credit_code = p.holder_id AND r.document_number = e.reference
WHERE e.kind = 'issuance';
