-- The enterprise register (notice section 一; measures 1, 2, 4, 11, 12). Facts are append-only: a correction is a
-- new row or a recorded change of status, so every eligibility decision can be traced to the facts behind it.
CREATE TABLE enterprises (
    credit_code       varchar(18)    NOT NULL PRIMARY KEY, -- 统一社会信用代码, 18 characters, check character validated
    name              nvarchar(200)    NOT NULL,
    city              varchar(32)    NOT NULL,
    county            nvarchar(200)    NULL,
    industry          nvarchar(200)    NULL,
    address           nvarchar(max)    NULL,
    online_monitoring bit NOT NULL,
    created_at        datetimeoffset(7)    NOT NULL,
    created_by        nvarchar(200)    NOT NULL,
    updated_at        datetimeoffset(7)    NOT NULL,
    updated_by        nvarchar(200)    NOT NULL
);
CREATE INDEX ix_enterprises_city ON enterprises (city, credit_code);

CREATE TABLE audit_results (
    id              bigint IDENTITY(1, 1) PRIMARY KEY,
    credit_code     varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    accepted_on     date    NOT NULL,
    level           int NOT NULL CHECK (level IN (1, 2, 3)),
    authority       nvarchar(200)    NOT NULL,
    document_number nvarchar(200)    NOT NULL,
    recorded_at     datetimeoffset(7)    NOT NULL,
    recorded_by     nvarchar(200)    NOT NULL,
    UNIQUE (credit_code, document_number)
);

CREATE TABLE penalties (
    id               bigint IDENTITY(1, 1) PRIMARY KEY,
    credit_code      varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    decision_number  nvarchar(200)    NOT NULL,
    decided_on       date    NOT NULL,
    authority        nvarchar(200)    NOT NULL,
    eco_environmental bit NOT NULL,
    annulled         bit NOT NULL DEFAULT 0,
    recorded_at      datetimeoffset(7)    NOT NULL,
    recorded_by      nvarchar(200)    NOT NULL,
    UNIQUE (credit_code, decision_number)
);

CREATE TABLE accidents (
    id          bigint IDENTITY(1, 1) PRIMARY KEY,
    credit_code varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    occurred_on date    NOT NULL,
    grade       varchar(32)    NOT NULL, -- general | larger | major | especially-major (一般/较大/重大/特别重大)
    description nvarchar(max)    NULL,
    recorded_at datetimeoffset(7)    NOT NULL,
    recorded_by nvarchar(200)    NOT NULL
);

CREATE TABLE complaints (
    id          bigint IDENTITY(1, 1) PRIMARY KEY,
    credit_code varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    received_on date    NOT NULL,
    summary     nvarchar(max)    NOT NULL,
    status      varchar(32)    NOT NULL, -- pending | true | false
    verified_at datetimeoffset(7)    NULL,
    verified_by nvarchar(200)    NULL,
    recorded_at datetimeoffset(7)    NOT NULL,
    recorded_by nvarchar(200)    NOT NULL
);

-- Every evaluation, with the rules and dates it used, and what caused it.
CREATE TABLE eligibility_decisions (
    id          bigint IDENTITY(1, 1) PRIMARY KEY,
    credit_code varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    as_of       date    NOT NULL,
    eligible    bit NOT NULL,
    rules       nvarchar(max)    NOT NULL,
    cause       nvarchar(200)    NOT NULL,
    evaluated_at datetimeoffset(7)   NOT NULL,
    evaluated_by nvarchar(200)   NOT NULL
);
CREATE INDEX ix_eligibility_decisions_enterprise ON eligibility_decisions (credit_code, id);
