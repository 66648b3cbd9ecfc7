-- The yearly programmes (issue 9 parts 4 and 5).
-- Green finance (measure 5, 环保贷/环保担): one batch per register year (the primary key decides "once a year"),
-- built on 2 January of the next year from the enterprises on the register during that year and still active; each
-- candidate keeps its status and reason as evidence (candidate | excluded | dropped-revoked | recommended).
CREATE TABLE green_finance_batches (
    year               INTEGER NOT NULL PRIMARY KEY, -- the register year; the batch is selected in year + 1
    instance_id        TEXT    NOT NULL,             -- no foreign key: the build step writes it before the instance row
    status             TEXT    NOT NULL,             -- reviewing | recommended
    clock_start_at     TEXT    NOT NULL,
    built_at           TEXT    NOT NULL,
    built_by           TEXT    NOT NULL,
    recommended_at     TEXT    NULL
);

CREATE TABLE green_finance_candidates (
    year               INTEGER NOT NULL REFERENCES green_finance_batches (year),
    credit_code        TEXT    NOT NULL REFERENCES enterprises (credit_code),
    city               TEXT    NOT NULL,
    enterprise_name    TEXT    NOT NULL,
    certificate_number TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    reason             TEXT    NULL,
    changed_at         TEXT    NOT NULL,
    changed_by         TEXT    NOT NULL,
    PRIMARY KEY (year, credit_code)
);
CREATE INDEX ix_green_finance_candidates_city ON green_finance_candidates (city, year);

-- Top-10 typical cases (measure 3, 清洁生产审核十大典型案例): one campaign per year, nominations by the city bureaus
-- (one per enterprise and year) with the technologies they apply, expert scores, the province's selection (at most
-- ten) and publication; a published case's technologies are recommended to the national catalogue.
CREATE TABLE typical_case_campaigns (
    year               INTEGER NOT NULL PRIMARY KEY,
    instance_id        TEXT    NULL,                 -- linked by the workflow's first step
    status             TEXT    NOT NULL,             -- starting | nominating | reviewing | selecting | published
    status_changed_at  TEXT    NOT NULL,
    published_at       TEXT    NULL,
    created_at         TEXT    NOT NULL,
    created_by         TEXT    NOT NULL
);

CREATE TABLE typical_case_nominations (
    id                 TEXT    NOT NULL PRIMARY KEY,
    year               INTEGER NOT NULL REFERENCES typical_case_campaigns (year),
    credit_code        TEXT    NOT NULL REFERENCES enterprises (credit_code),
    city               TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    summary            TEXT    NOT NULL,
    status             TEXT    NOT NULL,             -- nominated | selected | not-selected
    score              INTEGER NULL,
    opinion            TEXT    NULL,
    reviewed_at        TEXT    NULL,
    reviewed_by        TEXT    NULL,
    nominated_at       TEXT    NOT NULL,
    nominated_by       TEXT    NOT NULL,
    UNIQUE (year, credit_code)
);

CREATE TABLE typical_case_technologies (
    nomination_id      TEXT    NOT NULL REFERENCES typical_case_nominations (id),
    ordinal            INTEGER NOT NULL,
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    catalogue_recommended_at TEXT NULL,              -- set when the case is published: recommended to 国家清洁生产先进技术目录
    PRIMARY KEY (nomination_id, ordinal)
);
