-- Total-emission quota (总量指标, measures 8 and 9): a double-entry ledger. An account is a holder (an enterprise,
-- a city reserve 市级储备库, the provincial reserve 省级储备库, or the system accounts issuance / retirement) and a
-- pollutant. Amounts are integer milli-tonnes per year (1 t/a = 1000): exact on every provider, 3 decimal places.
-- Every movement is one entry whose postings sum to zero; the postings are append-only (the trigger refuses UPDATE
-- and DELETE). `reserved` is what open offers and deposit applications hold; the CHECK makes a negative or
-- over-reserved balance impossible even for a buggy caller (only the system accounts may go negative).
CREATE TABLE quota_accounts (
    holder_kind  varchar(16)  NOT NULL, -- enterprise | city-reserve | province-reserve | system
    holder_id    nvarchar(64)  NOT NULL, -- credit code, city code, 'province', 'issuance' | 'retirement'
    pollutant    varchar(16)  NOT NULL,
    city         nvarchar(64)  NOT NULL, -- whose staff act on it ('province' for the provincial and system accounts)
    balance      bigint       NOT NULL,
    reserved     bigint       NOT NULL,
    created_at   datetimeoffset(7)  NOT NULL,
    PRIMARY KEY (holder_kind, holder_id, pollutant),
    CONSTRAINT ck_quota_accounts_balance CHECK (reserved >= 0 AND (holder_kind = 'system' OR balance >= reserved))
);
CREATE INDEX ix_quota_accounts_city ON quota_accounts (city, holder_kind, holder_id);

-- One movement: its idempotency key is unique, so a replay finds the first entry and posts nothing.
CREATE TABLE quota_entries (
    id               uniqueidentifier  NOT NULL PRIMARY KEY,
    idempotency_key  nvarchar(200) NOT NULL CONSTRAINT uq_quota_entries_key UNIQUE,
    kind             varchar(16)  NOT NULL, -- issuance | trade | deposit | allocation | retirement
    pollutant        varchar(16)  NOT NULL,
    amount           bigint       NOT NULL,
    reference        nvarchar(200) NOT NULL, -- audit reference, offer id, deposit id, EIA case number
    memo             nvarchar(max)         NULL,
    created_at       datetimeoffset(7)  NOT NULL,
    created_by       nvarchar(64)  NOT NULL
);

CREATE TABLE quota_postings (
    sequence      bigint IDENTITY(1, 1) PRIMARY KEY,
    entry_id      uniqueidentifier  NOT NULL REFERENCES quota_entries (id),
    holder_kind   varchar(16)  NOT NULL,
    holder_id     varchar(64)  NOT NULL,
    pollutant     varchar(16)  NOT NULL,
    amount        bigint       NOT NULL, -- + credit, − debit
    balance_after bigint       NOT NULL,
    FOREIGN KEY (holder_kind, holder_id, pollutant) REFERENCES quota_accounts (holder_kind, holder_id, pollutant)
);
CREATE INDEX ix_quota_postings_account ON quota_postings (holder_kind, holder_id, pollutant, sequence);
CREATE INDEX ix_quota_postings_entry ON quota_postings (entry_id);

-- A buyer's standing request (求购): matched against offers by priority, then age.
CREATE TABLE quota_bids (
    id               uniqueidentifier  NOT NULL PRIMARY KEY,
    credit_code      varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    city             varchar(64)  NOT NULL,
    pollutant        varchar(16)  NOT NULL,
    remaining        bigint       NOT NULL,
    max_price_cents  bigint       NOT NULL, -- yuan per tonne × 100
    status           varchar(16)  NOT NULL, -- open | filled | withdrawn
    created_at       datetimeoffset(7)  NOT NULL,
    created_by       nvarchar(64)  NOT NULL,
    CONSTRAINT ck_quota_bids_remaining CHECK (remaining >= 0)
);
CREATE INDEX ix_quota_bids_open ON quota_bids (pollutant, status, created_at);

-- A seller's offer (出让) run by quota-trade: the amount is held on the seller's account from the offer until it is
-- settled, rejected or cancelled.
CREATE TABLE quota_offers (
    id                uniqueidentifier  NOT NULL PRIMARY KEY,
    credit_code       varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    city              varchar(64)  NOT NULL,
    pollutant         varchar(16)  NOT NULL,
    amount            bigint       NOT NULL,
    price_cents       bigint       NOT NULL,
    status            varchar(16)  NOT NULL, -- review | listed | settled | rejected | cancelled
    buyer_code        varchar(18)  NULL,
    buyer_city        varchar(64)  NULL,
    buyer_rank        integer      NULL,     -- 0 advanced with an EIA case running, 1 advanced, 2 other (at match time)
    bid_id            uniqueidentifier  NULL,
    entry_id          uniqueidentifier  NULL,
    instance_id       uniqueidentifier  NULL,
    status_changed_at datetimeoffset(7)  NOT NULL,
    created_at        datetimeoffset(7)  NOT NULL,
    created_by        nvarchar(64)  NOT NULL,
    request_key       nvarchar(200) NULL
);
CREATE INDEX ix_quota_offers_city ON quota_offers (city, created_at);
CREATE UNIQUE INDEX ux_quota_offers_request_key ON quota_offers (created_by, request_key) WHERE request_key IS NOT NULL;

-- An application to deposit into the city reserve (收储), run by quota-reserve; the amount is held meanwhile.
CREATE TABLE quota_deposits (
    id                uniqueidentifier  NOT NULL PRIMARY KEY,
    credit_code       varchar(18)  NOT NULL REFERENCES enterprises (credit_code),
    city              varchar(64)  NOT NULL,
    pollutant         varchar(16)  NOT NULL,
    amount            bigint       NOT NULL,
    price_cents       bigint       NOT NULL,
    status            varchar(16)  NOT NULL, -- review | deposited | rejected
    entry_id          uniqueidentifier  NULL,
    instance_id       uniqueidentifier  NULL,
    status_changed_at datetimeoffset(7)  NOT NULL,
    created_at        datetimeoffset(7)  NOT NULL,
    created_by        nvarchar(64)  NOT NULL
);
CREATE INDEX ix_quota_deposits_city ON quota_deposits (city, created_at);

-- The quota an EIA case needs, per pollutant, and where it came from (priority allocation, measure 8).
CREATE TABLE quota_allocations (
    id                    uniqueidentifier  NOT NULL PRIMARY KEY,
    case_number           varchar(64)  NOT NULL,
    credit_code           varchar(18)  NOT NULL,
    city                  varchar(64)  NOT NULL,
    pollutant             varchar(16)  NOT NULL,
    amount                bigint       NOT NULL,
    priority              integer      NOT NULL, -- 1 advanced-enterprise priority (优先保障), 0 none or withdrawn
    status                varchar(16)  NOT NULL, -- waiting | escalated | allocated | outside
    source_kind           varchar(16)  NULL,
    source_id             varchar(64)  NULL,
    entry_id              uniqueidentifier  NULL,
    instance_id           uniqueidentifier  NOT NULL,
    priority_withdrawn_at datetimeoffset(7)  NULL,
    created_at            datetimeoffset(7)  NOT NULL,
    changed_at            datetimeoffset(7)  NOT NULL,
    CONSTRAINT uq_quota_allocations_case UNIQUE (case_number, pollutant)
);
CREATE INDEX ix_quota_allocations_credit_code ON quota_allocations (credit_code, status);
-- CREATE TRIGGER must start its own batch.
GO
CREATE TRIGGER tr_quota_postings_append_only ON quota_postings INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'quota_postings is append-only: UPDATE and DELETE are refused', 1;
END;
GO
CREATE TRIGGER tr_quota_entries_append_only ON quota_entries INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'quota_entries is append-only: UPDATE and DELETE are refused', 1;
END;
GO
