-- The yearly programmes (issue 9 parts 4 and 5).
-- Green finance (measure 5, 环保贷/环保担): one batch per register year (the primary key decides "once a year"),
-- built on 2 January of the next year from the enterprises on the register during that year and still active; each
-- candidate keeps its status and reason as evidence (candidate | excluded | dropped-revoked | recommended).
CREATE TABLE green_finance_batches (
    year               int     NOT NULL PRIMARY KEY, -- the register year; the batch is selected in year + 1
    instance_id        uniqueidentifier NOT NULL,             -- no foreign key: the build step writes it before the instance row
    status             varchar(32) NOT NULL,             -- reviewing | recommended
    clock_start_at     datetimeoffset(7) NOT NULL,
    built_at           datetimeoffset(7) NOT NULL,
    built_by           nvarchar(64) NOT NULL,
    recommended_at     datetimeoffset(7) NULL
);

CREATE TABLE green_finance_candidates (
    year               int     NOT NULL REFERENCES green_finance_batches (year),
    credit_code        varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city               nvarchar(64) NOT NULL,
    enterprise_name    nvarchar(max) NOT NULL,
    certificate_number nvarchar(64) NOT NULL,
    status             varchar(32) NOT NULL,
    reason             nvarchar(max) NULL,
    changed_at         datetimeoffset(7) NOT NULL,
    changed_by         nvarchar(64) NOT NULL,
    CONSTRAINT pk_green_finance_candidates PRIMARY KEY (year, credit_code)
);
CREATE INDEX ix_green_finance_candidates_city ON green_finance_candidates (city, year);

-- Top-10 typical cases (measure 3, 清洁生产审核十大典型案例): one campaign per year, nominations by the city bureaus
-- (one per enterprise and year) with the technologies they apply, expert scores, the province's selection (at most
-- ten) and publication; a published case's technologies are recommended to the national catalogue.
CREATE TABLE typical_case_campaigns (
    year               int     NOT NULL PRIMARY KEY,
    instance_id        uniqueidentifier NULL,                 -- linked by the workflow's first step
    status             varchar(32) NOT NULL,             -- starting | nominating | reviewing | selecting | published
    status_changed_at  datetimeoffset(7) NOT NULL,
    published_at       datetimeoffset(7) NULL,
    created_at         datetimeoffset(7) NOT NULL,
    created_by         nvarchar(64) NOT NULL
);

CREATE TABLE typical_case_nominations (
    id                 uniqueidentifier NOT NULL PRIMARY KEY,
    year               int     NOT NULL REFERENCES typical_case_campaigns (year),
    credit_code        varchar(18) NOT NULL REFERENCES enterprises (credit_code),
    city               nvarchar(64) NOT NULL,
    title              nvarchar(200) NOT NULL,
    summary            nvarchar(max) NOT NULL,
    status             varchar(32) NOT NULL,             -- nominated | selected | not-selected
    score              int     NULL,
    opinion            nvarchar(max) NULL,
    reviewed_at        datetimeoffset(7) NULL,
    reviewed_by        nvarchar(64) NULL,
    nominated_at       datetimeoffset(7) NOT NULL,
    nominated_by       nvarchar(64) NOT NULL,
    CONSTRAINT uq_typical_case_nominations_year_code UNIQUE (year, credit_code)
);

CREATE TABLE typical_case_technologies (
    nomination_id      uniqueidentifier NOT NULL REFERENCES typical_case_nominations (id),
    ordinal            int     NOT NULL,
    name               nvarchar(200) NOT NULL,
    description        nvarchar(max) NOT NULL,
    catalogue_recommended_at datetimeoffset(7) NULL,              -- set when the case is published: recommended to 国家清洁生产先进技术目录
    CONSTRAINT pk_typical_case_technologies PRIMARY KEY (nomination_id, ordinal)
);
