-- Bulk imports of enterprises and audit results (issue 5): which file (name and SHA-256), who imported it, when,
-- and what it did; and every field an import changed on a stored enterprise, with its old and new value, so a
-- value in the register can be traced to the file and the person it came from.
CREATE TABLE imports (
    id          bigint IDENTITY(1, 1) PRIMARY KEY,
    kind        varchar(32)       NOT NULL, -- enterprises | audit-results
    file_name   nvarchar(400)     NOT NULL,
    file_sha256 varchar(64)       NOT NULL,
    row_count   int               NOT NULL,
    inserted    int               NOT NULL,
    updated     int               NOT NULL,
    unchanged   int               NOT NULL,
    imported_at datetimeoffset(7) NOT NULL,
    imported_by nvarchar(200)     NOT NULL
);

CREATE TABLE enterprise_changes (
    id          bigint IDENTITY(1, 1) PRIMARY KEY,
    credit_code varchar(18)       NOT NULL REFERENCES enterprises (credit_code),
    field       varchar(32)       NOT NULL, -- name | city | county | industry | address | onlineMonitoring
    old_value   nvarchar(max)     NULL,
    new_value   nvarchar(max)     NULL,
    import_id   bigint            NULL REFERENCES imports (id),
    changed_at  datetimeoffset(7) NOT NULL,
    changed_by  nvarchar(200)     NOT NULL
);
CREATE INDEX ix_enterprise_changes_enterprise ON enterprise_changes (credit_code, id);
