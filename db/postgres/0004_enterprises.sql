-- The enterprise register (notice section 一; measures 1, 2, 4, 11, 12). Facts are append-only: a correction is a
-- new row or a recorded change of status, so every eligibility decision can be traced to the facts behind it.
CREATE TABLE enterprises (
    credit_code       varchar(18)    NOT NULL PRIMARY KEY, -- 统一社会信用代码, 18 characters, check character validated
    name              varchar(200)    NOT NULL,
    city              varchar(32)    NOT NULL,
    county            varchar(200)    NULL,
    industry          varchar(200)    NULL,
    address           text    NULL,
    online_monitoring boolean NOT NULL,
    created_at        timestamptz    NOT NULL,
    created_by        varchar(200)    NOT NULL,
    updated_at        timestamptz    NOT NULL,
    updated_by        varchar(200)    NOT NULL
);
CREATE INDEX ix_enterprises_city ON enterprises (city, credit_code);

CREATE TABLE audit_results (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code     varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    accepted_on     date    NOT NULL,
    level           integer NOT NULL CHECK (level IN (1, 2, 3)),
    authority       varchar(200)    NOT NULL,
    document_number varchar(200)    NOT NULL,
    recorded_at     timestamptz    NOT NULL,
    recorded_by     varchar(200)    NOT NULL,
    UNIQUE (credit_code, document_number)
);

CREATE TABLE penalties (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code      varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    decision_number  varchar(200)    NOT NULL,
    decided_on       date    NOT NULL,
    authority        varchar(200)    NOT NULL,
    eco_environmental boolean NOT NULL,
    annulled         boolean NOT NULL DEFAULT false,
    recorded_at      timestamptz    NOT NULL,
    recorded_by      varchar(200)    NOT NULL,
    UNIQUE (credit_code, decision_number)
);

CREATE TABLE accidents (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    occurred_on date    NOT NULL,
    grade       varchar(32)    NOT NULL, -- general | larger | major | especially-major (一般/较大/重大/特别重大)
    description text    NULL,
    recorded_at timestamptz    NOT NULL,
    recorded_by varchar(200)    NOT NULL
);

CREATE TABLE complaints (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    received_on date    NOT NULL,
    summary     text    NOT NULL,
    status      varchar(32)    NOT NULL, -- pending | true | false
    verified_at timestamptz    NULL,
    verified_by varchar(200)    NULL,
    recorded_at timestamptz    NOT NULL,
    recorded_by varchar(200)    NOT NULL
);

-- Every evaluation, with the rules and dates it used, and what caused it.
CREATE TABLE eligibility_decisions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code varchar(18)    NOT NULL REFERENCES enterprises (credit_code),
    as_of       date    NOT NULL,
    eligible    boolean NOT NULL,
    rules       text    NOT NULL,
    cause       varchar(200)    NOT NULL,
    evaluated_at timestamptz   NOT NULL,
    evaluated_by varchar(200)   NOT NULL
);
CREATE INDEX ix_eligibility_decisions_enterprise ON eligibility_decisions (credit_code, id);
