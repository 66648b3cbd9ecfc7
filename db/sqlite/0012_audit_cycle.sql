-- Clean-production audit cycle (issue 9, parts 1–3; notice measures 6 and 7; timing research §2, C1–C6).
-- audit_cycles: one mandatory (or re-audit) cycle of one enterprise from the list publication (名单公布) to acceptance
-- (验收); the workflow keeps status, milestone dates and the result current; the instance's journal is the full history.
CREATE TABLE audit_cycles (
    id                        TEXT NOT NULL PRIMARY KEY,
    credit_code               TEXT NOT NULL REFERENCES enterprises (credit_code),
    city                      TEXT NOT NULL,
    kind                      TEXT NOT NULL, -- mandatory | re-audit
    list_reference            TEXT NOT NULL, -- 名单文号 (re-audit: the obligation's reference)
    listed_on                 TEXT NOT NULL,
    obligation_id             TEXT NULL,     -- re-audit: the obligation that opened it
    instance_id               TEXT NULL,     -- no foreign key: the start step links it before the instance row is written
    status                    TEXT NOT NULL, -- starting | first-year | evaluating | accepting | accepted | failed
    status_changed_at         TEXT NOT NULL,
    cycle_rule                TEXT NOT NULL, -- audit.cycle | audit.cycle.extended (measure 7)
    information_published_on  TEXT NULL,
    information_evidence      TEXT NULL,
    audit_started_on          TEXT NULL,
    audit_started_evidence    TEXT NULL,
    report_submitted_on       TEXT NULL,
    report_number             TEXT NULL,
    evaluation_outcome        TEXT NULL,     -- pass | fail
    evaluated_on              TEXT NULL,
    evaluation_opinion        TEXT NULL,
    acceptance_outcome        TEXT NULL,     -- qualified | unqualified
    accepted_on               TEXT NULL,
    level                     INTEGER NULL CHECK (level IN (1, 2, 3)),
    document_number           TEXT NULL,
    acceptance_opinion        TEXT NULL,
    closed_reason             TEXT NULL,
    intake_key                TEXT NULL,     -- Idempotency-Key of the list intake (per user)
    created_at                TEXT NOT NULL,
    created_by                TEXT NOT NULL
);
CREATE INDEX ix_audit_cycles_credit_code ON audit_cycles (credit_code, created_at);
CREATE INDEX ix_audit_cycles_list ON audit_cycles (list_reference, credit_code);
CREATE INDEX ix_audit_cycles_intake ON audit_cycles (created_by, intake_key);

-- Requests to extend a cycle to two years (measure 7) with their review and decision; the due dates before and after.
CREATE TABLE audit_extension_requests (
    id                        TEXT NOT NULL PRIMARY KEY,
    cycle_id                  TEXT NOT NULL REFERENCES audit_cycles (id),
    ground                    TEXT NOT NULL, -- eia-approval | renovation | penalty-rectification
    evidence                  TEXT NOT NULL,
    penalty_decision_number   TEXT NULL,
    status                    TEXT NOT NULL, -- pending | approved | refused
    requested_at              TEXT NOT NULL,
    requested_by              TEXT NOT NULL,
    review_outcome            TEXT NULL,     -- support | oppose
    review_opinion            TEXT NULL,
    decision_reasons          TEXT NULL,
    decided_at                TEXT NULL,
    due_before                TEXT NULL,
    due_after                 TEXT NULL
);
CREATE INDEX ix_audit_extension_requests_cycle ON audit_extension_requests (cycle_id, requested_at);

-- Re-audit obligations (measure 6): one per Level Ⅰ audit result, created by the daily sweep ahead of its re-audit date
-- (accepted_on + audit.interval); closed by a Level Ⅰ certification ("as if audited") or by the re-audit cycle.
CREATE TABLE audit_obligations (
    id                        TEXT NOT NULL PRIMARY KEY,
    credit_code               TEXT NOT NULL REFERENCES enterprises (credit_code),
    city                      TEXT NOT NULL,
    audit_result_id           INTEGER NOT NULL UNIQUE REFERENCES audit_results (id),
    previous_document_number  TEXT NOT NULL,
    previous_accepted_on      TEXT NOT NULL,
    due_on                    TEXT NOT NULL,
    instance_id               TEXT NULL,
    status                    TEXT NOT NULL, -- starting | waiting | choosing | certifying | certified | auditing | closed
    status_changed_at         TEXT NOT NULL,
    choice                    TEXT NULL,     -- certification | audit
    certification_body        TEXT NULL,
    certificate_number        TEXT NULL,
    certified_on              TEXT NULL,
    certification_level       INTEGER NULL CHECK (certification_level IN (1, 2, 3)),
    cycle_id                  TEXT NULL,
    outcome                   TEXT NULL,     -- certified | audited | audit-failed
    closed_at                 TEXT NULL,
    created_at                TEXT NOT NULL
);

-- Where an audit result came from: NULL/audit = an acceptance (API, import or the audit cycle), certification = a
-- voluntary certification at Level Ⅰ that counts as the audit (measure 6).
ALTER TABLE audit_results ADD COLUMN source TEXT NULL;
