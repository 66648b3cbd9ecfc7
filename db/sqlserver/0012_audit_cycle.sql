-- Clean-production audit cycle (issue 9, parts 1–3; notice measures 6 and 7; timing research §2, C1–C6).
-- audit_cycles: one mandatory (or re-audit) cycle of one enterprise from the list publication (名单公布) to acceptance
-- (验收); the workflow keeps status, milestone dates and the result current; the instance's journal is the full history.
CREATE TABLE audit_cycles (
    id                        uniqueidentifier NOT NULL PRIMARY KEY,
    credit_code               varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city                      nvarchar(200) NOT NULL,
    kind                      nvarchar(200) NOT NULL, -- mandatory | re-audit
    list_reference            nvarchar(200) NOT NULL, -- 名单文号 (re-audit: the obligation's reference)
    listed_on                 date NOT NULL,
    obligation_id             uniqueidentifier NULL,     -- re-audit: the obligation that opened it
    instance_id               uniqueidentifier NULL,     -- no foreign key: the start step links it before the instance row is written
    status                    nvarchar(200) NOT NULL, -- starting | first-year | evaluating | accepting | accepted | failed
    status_changed_at         datetimeoffset(7) NOT NULL,
    cycle_rule                nvarchar(200) NOT NULL, -- audit.cycle | audit.cycle.extended (measure 7)
    information_published_on  date NULL,
    information_evidence      nvarchar(max) NULL,
    audit_started_on          date NULL,
    audit_started_evidence    nvarchar(max) NULL,
    report_submitted_on       date NULL,
    report_number             nvarchar(max) NULL,
    evaluation_outcome        nvarchar(200) NULL,     -- pass | fail
    evaluated_on              date NULL,
    evaluation_opinion        nvarchar(max) NULL,
    acceptance_outcome        nvarchar(200) NULL,     -- qualified | unqualified
    accepted_on               date NULL,
    level                     int NULL CHECK (level IN (1, 2, 3)),
    document_number           nvarchar(200) NULL,
    acceptance_opinion        nvarchar(max) NULL,
    closed_reason             nvarchar(max) NULL,
    intake_key                nvarchar(200) NULL,     -- Idempotency-Key of the list intake (per user)
    created_at                datetimeoffset(7) NOT NULL,
    created_by                nvarchar(200) NOT NULL
);
CREATE INDEX ix_audit_cycles_credit_code ON audit_cycles (credit_code, created_at);
CREATE INDEX ix_audit_cycles_list ON audit_cycles (list_reference, credit_code);
CREATE INDEX ix_audit_cycles_intake ON audit_cycles (created_by, intake_key);

-- Requests to extend a cycle to two years (measure 7) with their review and decision; the due dates before and after.
CREATE TABLE audit_extension_requests (
    id                        uniqueidentifier NOT NULL PRIMARY KEY,
    cycle_id                  uniqueidentifier NOT NULL REFERENCES audit_cycles (id),
    ground                    nvarchar(200) NOT NULL, -- eia-approval | renovation | penalty-rectification
    evidence                  nvarchar(max) NOT NULL,
    penalty_decision_number   nvarchar(200) NULL,
    status                    nvarchar(200) NOT NULL, -- pending | approved | refused
    requested_at              datetimeoffset(7) NOT NULL,
    requested_by              nvarchar(200) NOT NULL,
    review_outcome            nvarchar(200) NULL,     -- support | oppose
    review_opinion            nvarchar(max) NULL,
    decision_reasons          nvarchar(max) NULL,
    decided_at                datetimeoffset(7) NULL,
    due_before                date NULL,
    due_after                 date NULL
);
CREATE INDEX ix_audit_extension_requests_cycle ON audit_extension_requests (cycle_id, requested_at);

-- Re-audit obligations (measure 6): one per Level Ⅰ audit result, created by the daily sweep ahead of its re-audit date
-- (accepted_on + audit.interval); closed by a Level Ⅰ certification ("as if audited") or by the re-audit cycle.
CREATE TABLE audit_obligations (
    id                        uniqueidentifier NOT NULL PRIMARY KEY,
    credit_code               varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city                      nvarchar(200) NOT NULL,
    audit_result_id           bigint NOT NULL UNIQUE REFERENCES audit_results (id),
    previous_document_number  nvarchar(200) NOT NULL,
    previous_accepted_on      date NOT NULL,
    due_on                    date NOT NULL,
    instance_id               uniqueidentifier NULL,
    status                    nvarchar(200) NOT NULL, -- starting | waiting | choosing | certifying | certified | auditing | closed
    status_changed_at         datetimeoffset(7) NOT NULL,
    choice                    nvarchar(200) NULL,     -- certification | audit
    certification_body        nvarchar(200) NULL,
    certificate_number        nvarchar(200) NULL,
    certified_on              date NULL,
    certification_level       int NULL CHECK (certification_level IN (1, 2, 3)),
    cycle_id                  uniqueidentifier NULL,
    outcome                   nvarchar(200) NULL,     -- certified | audited | audit-failed
    closed_at                 datetimeoffset(7) NULL,
    created_at                datetimeoffset(7) NOT NULL
);

-- Where an audit result came from: NULL/audit = an acceptance (API, import or the audit cycle), certification = a
-- voluntary certification at Level Ⅰ that counts as the audit (measure 6).
ALTER TABLE audit_results ADD source nvarchar(32) NULL;
