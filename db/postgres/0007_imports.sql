-- Bulk imports of enterprises and audit results (issue 5): which file (name and SHA-256), who imported it, when,
-- and what it did; and every field an import changed on a stored enterprise, with its old and new value, so a
-- value in the register can be traced to the file and the person it came from.
CREATE TABLE imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        varchar(32)  NOT NULL, -- enterprises | audit-results
    file_name   text         NOT NULL,
    file_sha256 varchar(64)  NOT NULL,
    row_count   integer      NOT NULL,
    inserted    integer      NOT NULL,
    updated     integer      NOT NULL,
    unchanged   integer      NOT NULL,
    imported_at timestamptz  NOT NULL,
    imported_by varchar(200) NOT NULL
);

CREATE TABLE enterprise_changes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    field       varchar(32)  NOT NULL, -- name | city | county | industry | address | onlineMonitoring
    old_value   text         NULL,
    new_value   text         NULL,
    import_id   bigint       NULL REFERENCES imports (id),
    changed_at  timestamptz  NOT NULL,
    changed_by  varchar(200) NOT NULL
);
CREATE INDEX ix_enterprise_changes_enterprise ON enterprise_changes (credit_code, id);
