-- The enterprise register (notice section 一; measures 1, 2, 4, 11, 12). Facts are append-only: a correction is a
-- new row or a recorded change of status, so every eligibility decision can be traced to the facts behind it.
CREATE TABLE enterprises (
    credit_code       TEXT    NOT NULL PRIMARY KEY, -- 统一社会信用代码, 18 characters, check character validated
    name              TEXT    NOT NULL,
    city              TEXT    NOT NULL,
    county            TEXT    NULL,
    industry          TEXT    NULL,
    address           TEXT    NULL,
    online_monitoring INTEGER NOT NULL CHECK (online_monitoring IN (0, 1)),
    created_at        TEXT    NOT NULL,
    created_by        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    updated_by        TEXT    NOT NULL
);
CREATE INDEX ix_enterprises_city ON enterprises (city, credit_code);

CREATE TABLE audit_results (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code     TEXT    NOT NULL REFERENCES enterprises (credit_code),
    accepted_on     TEXT    NOT NULL,
    level           INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    authority       TEXT    NOT NULL,
    document_number TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    recorded_by     TEXT    NOT NULL,
    UNIQUE (credit_code, document_number)
);

CREATE TABLE penalties (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code      TEXT    NOT NULL REFERENCES enterprises (credit_code),
    decision_number  TEXT    NOT NULL,
    decided_on       TEXT    NOT NULL,
    authority        TEXT    NOT NULL,
    eco_environmental INTEGER NOT NULL CHECK (eco_environmental IN (0, 1)),
    annulled         INTEGER NOT NULL DEFAULT 0 CHECK (annulled IN (0, 1)),
    recorded_at      TEXT    NOT NULL,
    recorded_by      TEXT    NOT NULL,
    UNIQUE (credit_code, decision_number)
);

CREATE TABLE accidents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT    NOT NULL REFERENCES enterprises (credit_code),
    occurred_on TEXT    NOT NULL,
    grade       TEXT    NOT NULL, -- general | larger | major | especially-major (一般/较大/重大/特别重大)
    description TEXT    NULL,
    recorded_at TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL
);

CREATE TABLE complaints (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT    NOT NULL REFERENCES enterprises (credit_code),
    received_on TEXT    NOT NULL,
    summary     TEXT    NOT NULL,
    status      TEXT    NOT NULL, -- pending | true | false
    verified_at TEXT    NULL,
    verified_by TEXT    NULL,
    recorded_at TEXT    NOT NULL,
    recorded_by TEXT    NOT NULL
);

-- Every evaluation, with the rules and dates it used, and what caused it.
CREATE TABLE eligibility_decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    credit_code TEXT    NOT NULL REFERENCES enterprises (credit_code),
    as_of       TEXT    NOT NULL,
    eligible    INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    rules       TEXT    NOT NULL,
    cause       TEXT    NOT NULL,
    evaluated_at TEXT   NOT NULL,
    evaluated_by TEXT   NOT NULL
);
CREATE INDEX ix_eligibility_decisions_enterprise ON eligibility_decisions (credit_code, id);
