-- Bulk imports of enterprises and audit results (issue 5): which file (name and SHA-256), who imported it, when,
-- and what it did; and every field an import changed on a stored enterprise, with its old and new value, so a
-- value in the register can be traced to the file and the person it came from.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL, -- enterprises | audit-results
    file_name   TEXT    NOT NULL,
    file_sha256 TEXT    NOT NULL,
    row_count   INTEGER NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    imported_at TEXT    NOT NULL,
    imported_by TEXT    NOT NULL
);

CREATE TABLE enterprise_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT    NOT NULL REFERENCES enterprises (credit_code),
    field       TEXT    NOT NULL, -- name | city | county | industry | address | onlineMonitoring
    old_value   TEXT    NULL,
    new_value   TEXT    NULL,
    import_id   INTEGER NULL REFERENCES imports (id),
    changed_at  TEXT    NOT NULL,
    changed_by  TEXT    NOT NULL
);
CREATE INDEX ix_enterprise_changes_enterprise ON enterprise_changes (credit_code, id);
