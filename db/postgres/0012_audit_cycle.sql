-- Clean-production audit cycle (issue 9, parts 1–3; notice measures 6 and 7; timing research §2, C1–C6).
-- audit_cycles: one mandatory (or re-audit) cycle of one enterprise from the list publication (名单公布) to acceptance
-- (验收); the workflow keeps status, milestone dates and the result current; the instance's journal is the full history.
CREATE TABLE audit_cycles (
    id                        uuid NOT NULL PRIMARY KEY,
    credit_code               varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city                      varchar(200) NOT NULL,
    kind                      varchar(200) NOT NULL, -- mandatory | re-audit
    list_reference            varchar(200) NOT NULL, -- 名单文号 (re-audit: the obligation's reference)
    listed_on                 date NOT NULL,
    obligation_id             uuid NULL,     -- re-audit: the obligation that opened it
    instance_id               uuid NULL,     -- no foreign key: the start step links it before the instance row is written
    status                    varchar(200) NOT NULL, -- starting | first-year | evaluating | accepting | accepted | failed
    status_changed_at         timestamptz NOT NULL,
    cycle_rule                varchar(200) NOT NULL, -- audit.cycle | audit.cycle.extended (measure 7)
    information_published_on  date NULL,
    information_evidence      text NULL,
    audit_started_on          date NULL,
    audit_started_evidence    text NULL,
    report_submitted_on       date NULL,
    report_number             text NULL,
    evaluation_outcome        varchar(200) NULL,     -- pass | fail
    evaluated_on              date NULL,
    evaluation_opinion        text NULL,
    acceptance_outcome        varchar(200) NULL,     -- qualified | unqualified
    accepted_on               date NULL,
    level                     integer NULL CHECK (level IN (1, 2, 3)),
    document_number           varchar(200) NULL,
    acceptance_opinion        text NULL,
    closed_reason             text NULL,
    intake_key                varchar(200) NULL,     -- Idempotency-Key of the list intake (per user)
    created_at                timestamptz NOT NULL,
    created_by                varchar(200) NOT NULL
);
CREATE INDEX ix_audit_cycles_credit_code ON audit_cycles (credit_code, created_at);
CREATE INDEX ix_audit_cycles_list ON audit_cycles (list_reference, credit_code);
CREATE INDEX ix_audit_cycles_intake ON audit_cycles (created_by, intake_key);

-- Requests to extend a cycle to two years (measure 7) with their review and decision; the due dates before and after.
CREATE TABLE audit_extension_requests (
    id                        uuid NOT NULL PRIMARY KEY,
    cycle_id                  uuid NOT NULL REFERENCES audit_cycles (id),
    ground                    varchar(200) NOT NULL, -- eia-approval | renovation | penalty-rectification
    evidence                  text NOT NULL,
    penalty_decision_number   varchar(200) NULL,
    status                    varchar(200) NOT NULL, -- pending | approved | refused
    requested_at              timestamptz NOT NULL,
    requested_by              varchar(200) NOT NULL,
    review_outcome            varchar(200) NULL,     -- support | oppose
    review_opinion            text NULL,
    decision_reasons          text NULL,
    decided_at                timestamptz NULL,
    due_before                date NULL,
    due_after                 date NULL
);
CREATE INDEX ix_audit_extension_requests_cycle ON audit_extension_requests (cycle_id, requested_at);

-- Re-audit obligations (measure 6): one per Level Ⅰ audit result, created by the daily sweep ahead of its re-audit date
-- (accepted_on + audit.interval); closed by a Level Ⅰ certification ("as if audited") or by the re-audit cycle.
CREATE TABLE audit_obligations (
    id                        uuid NOT NULL PRIMARY KEY,
    credit_code               varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city                      varchar(200) NOT NULL,
    audit_result_id           bigint NOT NULL UNIQUE REFERENCES audit_results (id),
    previous_document_number  varchar(200) NOT NULL,
    previous_accepted_on      date NOT NULL,
    due_on                    date NOT NULL,
    instance_id               uuid NULL,
    status                    varchar(200) NOT NULL, -- starting | waiting | choosing | certifying | certified | auditing | closed
    status_changed_at         timestamptz NOT NULL,
    choice                    varchar(200) NULL,     -- certification | audit
    certification_body        varchar(200) NULL,
    certificate_number        varchar(200) NULL,
    certified_on              date NULL,
    certification_level       integer NULL CHECK (certification_level IN (1, 2, 3)),
    cycle_id                  uuid NULL,
    outcome                   varchar(200) NULL,     -- certified | audited | audit-failed
    closed_at                 timestamptz NULL,
    created_at                timestamptz NOT NULL
);

-- Where an audit result came from: NULL/audit = an acceptance (API, import or the audit cycle), certification = a
-- voluntary certification at Level Ⅰ that counts as the audit (measure 6).
ALTER TABLE audit_results ADD COLUMN source varchar(32) NULL;
