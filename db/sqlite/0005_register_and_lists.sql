-- The register of clean-production advanced enterprises (清洁生产先进企业名单) with honour certificate numbers
-- (measure 2), and the lists the register feeds (measures 1, 4, 11, 12) with their membership history.
CREATE TABLE advanced_enterprises (
    credit_code          TEXT    NOT NULL PRIMARY KEY REFERENCES enterprises (credit_code),
    certificate_number   TEXT    NOT NULL UNIQUE,
    certificate_year     INTEGER NOT NULL,
    certificate_sequence INTEGER NOT NULL,
    status               TEXT    NOT NULL, -- active | revoked
    confirmed_on         TEXT    NOT NULL,
    confirmed_at         TEXT    NOT NULL,
    confirmed_by         TEXT    NOT NULL,
    revoked_on           TEXT    NULL,
    revoked_reason       TEXT    NULL,
    revoked_by           TEXT    NULL,
    UNIQUE (certificate_year, certificate_sequence)
);

-- The last certificate number issued per year: numbers are gap-free and never reused.
CREATE TABLE certificate_sequences (
    year        INTEGER NOT NULL PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE list_memberships (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    list_code      TEXT    NOT NULL,
    credit_code    TEXT    NOT NULL REFERENCES enterprises (credit_code),
    reason         TEXT    NOT NULL,
    added_at       TEXT    NOT NULL,
    added_by       TEXT    NOT NULL,
    removed_at     TEXT    NULL,
    removed_by     TEXT    NULL,
    removal_reason TEXT    NULL
);
CREATE UNIQUE INDEX ux_list_memberships_current ON list_memberships (list_code, credit_code) WHERE removed_at IS NULL;
