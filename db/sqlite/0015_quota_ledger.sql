-- Total-emission quota (总量指标, measures 8 and 9): a double-entry ledger. An account is a holder (an enterprise,
-- a city reserve 市级储备库, the provincial reserve 省级储备库, or the system accounts issuance / retirement) and a
-- pollutant. Amounts are INTEGER milli-tonnes per year (1 t/a = 1000): exact on every provider, 3 decimal places.
-- Every movement is one entry whose postings sum to zero; the postings are append-only (the trigger refuses UPDATE
-- and DELETE). `reserved` is what open offers and deposit applications hold; the CHECK makes a negative or
-- over-reserved balance impossible even for a buggy caller (only the system accounts may go negative).
CREATE TABLE quota_accounts (
    holder_kind  TEXT  NOT NULL, -- enterprise | city-reserve | province-reserve | system
    holder_id    TEXT  NOT NULL, -- credit code, city code, 'province', 'issuance' | 'retirement'
    pollutant    TEXT  NOT NULL,
    city         TEXT  NOT NULL, -- whose staff act on it ('province' for the provincial and system accounts)
    balance      INTEGER       NOT NULL,
    reserved     INTEGER       NOT NULL,
    created_at   TEXT         NOT NULL,
    PRIMARY KEY (holder_kind, holder_id, pollutant),
    CONSTRAINT ck_quota_accounts_balance CHECK (reserved >= 0 AND (holder_kind = 'system' OR balance >= reserved))
);
CREATE INDEX ix_quota_accounts_city ON quota_accounts (city, holder_kind, holder_id);

-- One movement: its idempotency key is unique, so a replay finds the first entry and posts nothing.
CREATE TABLE quota_entries (
    id               TEXT         NOT NULL PRIMARY KEY,
    idempotency_key  TEXT NOT NULL UNIQUE,
    kind             TEXT  NOT NULL, -- issuance | trade | deposit | allocation | retirement
    pollutant        TEXT  NOT NULL,
    amount           INTEGER       NOT NULL,
    reference        TEXT NOT NULL, -- audit reference, offer id, deposit id, EIA case number
    memo             TEXT         NULL,
    created_at       TEXT         NOT NULL,
    created_by       TEXT  NOT NULL
);

CREATE TABLE quota_postings (
    sequence      INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id      TEXT         NOT NULL REFERENCES quota_entries (id),
    holder_kind   TEXT  NOT NULL,
    holder_id     TEXT  NOT NULL,
    pollutant     TEXT  NOT NULL,
    amount        INTEGER       NOT NULL, -- + credit, − debit
    balance_after INTEGER       NOT NULL,
    FOREIGN KEY (holder_kind, holder_id, pollutant) REFERENCES quota_accounts (holder_kind, holder_id, pollutant)
);
CREATE INDEX ix_quota_postings_account ON quota_postings (holder_kind, holder_id, pollutant, sequence);
CREATE INDEX ix_quota_postings_entry ON quota_postings (entry_id);

CREATE TRIGGER tr_quota_postings_no_update BEFORE UPDATE ON quota_postings
BEGIN
    SELECT RAISE(ABORT, 'quota_postings is append-only: UPDATE is refused');
END;

CREATE TRIGGER tr_quota_postings_no_delete BEFORE DELETE ON quota_postings
BEGIN
    SELECT RAISE(ABORT, 'quota_postings is append-only: DELETE is refused');
END;

CREATE TRIGGER tr_quota_entries_no_update BEFORE UPDATE ON quota_entries
BEGIN
    SELECT RAISE(ABORT, 'quota_entries is append-only: UPDATE is refused');
END;

CREATE TRIGGER tr_quota_entries_no_delete BEFORE DELETE ON quota_entries
BEGIN
    SELECT RAISE(ABORT, 'quota_entries is append-only: DELETE is refused');
END;

-- A buyer's standing request (求购): matched against offers by priority, then age.
CREATE TABLE quota_bids (
    id               TEXT         NOT NULL PRIMARY KEY,
    credit_code      TEXT  NOT NULL REFERENCES enterprises (credit_code),
    city             TEXT  NOT NULL,
    pollutant        TEXT  NOT NULL,
    remaining        INTEGER       NOT NULL,
    max_price_cents  INTEGER       NOT NULL, -- yuan per tonne × 100
    status           TEXT  NOT NULL, -- open | filled | withdrawn
    created_at       TEXT         NOT NULL,
    created_by       TEXT  NOT NULL,
    CONSTRAINT ck_quota_bids_remaining CHECK (remaining >= 0)
);
CREATE INDEX ix_quota_bids_open ON quota_bids (pollutant, status, created_at);

-- A seller's offer (出让) run by quota-trade: the amount is held on the seller's account from the offer until it is
-- settled, rejected or cancelled.
CREATE TABLE quota_offers (
    id                TEXT         NOT NULL PRIMARY KEY,
    credit_code       TEXT  NOT NULL REFERENCES enterprises (credit_code),
    city              TEXT  NOT NULL,
    pollutant         TEXT  NOT NULL,
    amount            INTEGER       NOT NULL,
    price_cents       INTEGER       NOT NULL,
    status            TEXT  NOT NULL, -- review | listed | settled | rejected | cancelled
    buyer_code        TEXT  NULL,
    buyer_city        TEXT  NULL,
    buyer_rank        INTEGER      NULL,     -- 0 advanced with an EIA case running, 1 advanced, 2 other (at match time)
    bid_id            TEXT         NULL,
    entry_id          TEXT         NULL,
    instance_id       TEXT         NULL,
    status_changed_at TEXT         NOT NULL,
    created_at        TEXT         NOT NULL,
    created_by        TEXT  NOT NULL,
    request_key       TEXT NULL
);
CREATE INDEX ix_quota_offers_city ON quota_offers (city, created_at);
CREATE UNIQUE INDEX ux_quota_offers_request_key ON quota_offers (created_by, request_key) WHERE request_key IS NOT NULL;

-- An application to deposit into the city reserve (收储), run by quota-reserve; the amount is held meanwhile.
CREATE TABLE quota_deposits (
    id                TEXT         NOT NULL PRIMARY KEY,
    credit_code       TEXT  NOT NULL REFERENCES enterprises (credit_code),
    city              TEXT  NOT NULL,
    pollutant         TEXT  NOT NULL,
    amount            INTEGER       NOT NULL,
    price_cents       INTEGER       NOT NULL,
    status            TEXT  NOT NULL, -- review | deposited | rejected
    entry_id          TEXT         NULL,
    instance_id       TEXT         NULL,
    status_changed_at TEXT         NOT NULL,
    created_at        TEXT         NOT NULL,
    created_by        TEXT  NOT NULL
);
CREATE INDEX ix_quota_deposits_city ON quota_deposits (city, created_at);

-- The quota an EIA case needs, per pollutant, and where it came from (priority allocation, measure 8).
CREATE TABLE quota_allocations (
    id                    TEXT         NOT NULL PRIMARY KEY,
    case_number           TEXT  NOT NULL,
    credit_code           TEXT  NOT NULL,
    city                  TEXT  NOT NULL,
    pollutant             TEXT  NOT NULL,
    amount                INTEGER       NOT NULL,
    priority              INTEGER      NOT NULL, -- 1 advanced-enterprise priority (优先保障), 0 none or withdrawn
    status                TEXT  NOT NULL, -- waiting | escalated | allocated | outside
    source_kind           TEXT  NULL,
    source_id             TEXT  NULL,
    entry_id              TEXT         NULL,
    instance_id           TEXT         NOT NULL,
    priority_withdrawn_at TEXT         NULL,
    created_at            TEXT         NOT NULL,
    changed_at            TEXT         NOT NULL,
    CONSTRAINT uq_quota_allocations_case UNIQUE (case_number, pollutant)
);
CREATE INDEX ix_quota_allocations_credit_code ON quota_allocations (credit_code, status);
