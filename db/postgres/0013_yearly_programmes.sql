-- The yearly programmes (issue 9 parts 4 and 5).
-- Green finance (measure 5, 环保贷/环保担): one batch per register year (the primary key decides "once a year"),
-- built on 2 January of the next year from the enterprises on the register during that year and still active; each
-- candidate keeps its status and reason as evidence (candidate | excluded | dropped-revoked | recommended).
CREATE TABLE green_finance_batches (
    year               integer NOT NULL PRIMARY KEY, -- the register year; the batch is selected in year + 1
    instance_id        uuid    NOT NULL,             -- no foreign key: the build step writes it before the instance row
    status             varchar(64) NOT NULL,             -- reviewing | recommended
    clock_start_at     timestamptz NOT NULL,
    built_at           timestamptz NOT NULL,
    built_by           varchar(64) NOT NULL,
    recommended_at     timestamptz NULL
);

CREATE TABLE green_finance_candidates (
    year               integer NOT NULL REFERENCES green_finance_batches (year),
    credit_code        varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city               varchar(64) NOT NULL,
    enterprise_name    text    NOT NULL,
    certificate_number varchar(64) NOT NULL,
    status             varchar(64) NOT NULL,
    reason             text    NULL,
    changed_at         timestamptz NOT NULL,
    changed_by         varchar(64) NOT NULL,
    PRIMARY KEY (year, credit_code)
);
CREATE INDEX ix_green_finance_candidates_city ON green_finance_candidates (city, year);

-- Top-10 typical cases (measure 3, 清洁生产审核十大典型案例): one campaign per year, nominations by the city bureaus
-- (one per enterprise and year) with the technologies they apply, expert scores, the province's selection (at most
-- ten) and publication; a published case's technologies are recommended to the national catalogue.
CREATE TABLE typical_case_campaigns (
    year               integer NOT NULL PRIMARY KEY,
    instance_id        uuid    NULL,                 -- linked by the workflow's first step
    status             varchar(64) NOT NULL,             -- starting | nominating | reviewing | selecting | published
    status_changed_at  timestamptz NOT NULL,
    published_at       timestamptz NULL,
    created_at         timestamptz NOT NULL,
    created_by         varchar(64) NOT NULL
);

CREATE TABLE typical_case_nominations (
    id                 uuid    NOT NULL PRIMARY KEY,
    year               integer NOT NULL REFERENCES typical_case_campaigns (year),
    credit_code        varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city               varchar(64) NOT NULL,
    title              varchar(200) NOT NULL,
    summary            text    NOT NULL,
    status             varchar(64) NOT NULL,             -- nominated | selected | not-selected
    score              integer NULL,
    opinion            text    NULL,
    reviewed_at        timestamptz NULL,
    reviewed_by        varchar(64) NULL,
    nominated_at       timestamptz NOT NULL,
    nominated_by       varchar(64) NOT NULL,
    UNIQUE (year, credit_code)
);

CREATE TABLE typical_case_technologies (
    nomination_id      uuid    NOT NULL REFERENCES typical_case_nominations (id),
    ordinal            integer NOT NULL,
    name               varchar(200) NOT NULL,
    description        text    NOT NULL,
    catalogue_recommended_at timestamptz NULL,              -- set when the case is published: recommended to 国家清洁生产先进技术目录
    PRIMARY KEY (nomination_id, ordinal)
);
