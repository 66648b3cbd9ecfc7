-- The register of clean-production advanced enterprises (清洁生产先进企业名单) with honour certificate numbers
-- (measure 2), and the lists the register feeds (measures 1, 4, 11, 12) with their membership history.
CREATE TABLE advanced_enterprises (
    credit_code          varchar(18)  NOT NULL PRIMARY KEY REFERENCES enterprises (credit_code),
    certificate_number   varchar(64)  NOT NULL UNIQUE,
    certificate_year     integer      NOT NULL,
    certificate_sequence integer      NOT NULL,
    status               varchar(16)  NOT NULL, -- active | revoked
    confirmed_on         date         NOT NULL,
    confirmed_at         timestamptz  NOT NULL,
    confirmed_by         varchar(64)  NOT NULL,
    revoked_on           date         NULL,
    revoked_reason       text         NULL,
    revoked_by           varchar(64)  NULL,
    UNIQUE (certificate_year, certificate_sequence)
);

-- The last certificate number issued per year: numbers are gap-free and never reused.
CREATE TABLE certificate_sequences (
    year        integer NOT NULL PRIMARY KEY,
    last_number integer NOT NULL
);

CREATE TABLE list_memberships (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_code      varchar(64)  NOT NULL,
    credit_code    varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    reason         text         NOT NULL,
    added_at       timestamptz  NOT NULL,
    added_by       varchar(64)  NOT NULL,
    removed_at     timestamptz  NULL,
    removed_by     varchar(64)  NULL,
    removal_reason text         NULL
);
CREATE UNIQUE INDEX ux_list_memberships_current ON list_memberships (list_code, credit_code) WHERE removed_at IS NULL;
