-- The register of clean-production advanced enterprises (清洁生产先进企业名单) with honour certificate numbers
-- (measure 2), and the lists the register feeds (measures 1, 4, 11, 12) with their membership history.
CREATE TABLE advanced_enterprises (
    credit_code          varchar(18)       NOT NULL PRIMARY KEY REFERENCES enterprises (credit_code),
    certificate_number   nvarchar(64)      NOT NULL CONSTRAINT uq_advanced_certificate UNIQUE,
    certificate_year     int               NOT NULL,
    certificate_sequence int               NOT NULL,
    status               varchar(16)       NOT NULL, -- active | revoked
    confirmed_on         date              NOT NULL,
    confirmed_at         datetimeoffset(7) NOT NULL,
    confirmed_by         nvarchar(64)      NOT NULL,
    revoked_on           date              NULL,
    revoked_reason       nvarchar(max)     NULL,
    revoked_by           nvarchar(64)      NULL,
    CONSTRAINT uq_advanced_year_sequence UNIQUE (certificate_year, certificate_sequence)
);

-- The last certificate number issued per year: numbers are gap-free and never reused.
CREATE TABLE certificate_sequences (
    year        int NOT NULL PRIMARY KEY,
    last_number int NOT NULL
);

CREATE TABLE list_memberships (
    id             bigint IDENTITY(1, 1) PRIMARY KEY,
    list_code      varchar(64)       NOT NULL,
    credit_code    varchar(18)       NOT NULL REFERENCES enterprises (credit_code),
    reason         nvarchar(max)     NOT NULL,
    added_at       datetimeoffset(7) NOT NULL,
    added_by       nvarchar(64)      NOT NULL,
    removed_at     datetimeoffset(7) NULL,
    removed_by     nvarchar(64)      NULL,
    removal_reason nvarchar(max)     NULL
);
CREATE UNIQUE INDEX ux_list_memberships_current ON list_memberships (list_code, credit_code) WHERE removed_at IS NULL;
