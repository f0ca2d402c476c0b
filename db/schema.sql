-- The database side of ledger's database mode (docs/database.md). Idempotent: running it again on a
-- database that has it changes nothing. Load it with
--   psql "$CONNINFO" -v ON_ERROR_STOP=1 -f db/schema.sql
CREATE SCHEMA IF NOT EXISTS ledger;

-- The accounts: opening balances are read from here and closing balances written back. The primary key's
-- byte order (COLLATE "C") is the order of the accounts in a run, and so of its --output file.
-- Fill factor 50: a run rewrites most balances, and room on each page lets a row's new version stay on its
-- page without a new index entry (a HOT update); with full pages, one million updated balances took twice
-- as long (scripts/bench-db.sh). The price is a table twice the size of its rows.
CREATE TABLE IF NOT EXISTS ledger.accounts (
    account_number text PRIMARY KEY,
    country        text    NOT NULL,
    balance        numeric NOT NULL
) WITH (fillfactor = 50);

-- One row per applied run, written in the transaction that writes its balances: a run id found here has
-- been applied, completely, and is never applied again.
CREATE TABLE IF NOT EXISTS ledger.runs (
    run_id              text PRIMARY KEY,
    run_number          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- short key of the rejected rows
    transactions_files  text[]      NOT NULL,  -- as given on the command line, in order
    transactions_sha256 text[]      NOT NULL,  -- hex SHA-256 of each file, same order
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz NOT NULL,  -- when this row was written, just before the commit
    ranks               integer     NOT NULL,
    accounts            bigint      NOT NULL,
    transfers           bigint      NOT NULL,
    accepted            bigint      NOT NULL,
    rejected            bigint      NOT NULL,
    bad_rows            bigint      NOT NULL,
    amount_moved        numeric,                -- NULL when it did not fit the run's counters
    ledger_version      text        NOT NULL
);

-- The rejected transfers of each run, values as they appeared in the input (trimmed), in replay order;
-- find a run's with a join on run_number. Written in the transaction that writes the run's row, so never
-- without it, and only by that transaction, so (run_number, seq) is unique by construction. A day can
-- have millions of rejected transfers, and every per-row check on them slowed the write-back down
-- (scripts/bench-db.sh): a foreign key to ledger.runs, the 64-character run id in each row, and a
-- primary key's B-tree. The rows arrive in run order, so a BRIN index on run_number (a few pages, next
-- to no work per row) finds one run's rows. Delete a run's rows here when deleting the run.
CREATE TABLE IF NOT EXISTS ledger.rejected_transfers (
    run_number          bigint NOT NULL,
    seq                 bigint NOT NULL,        -- 1, 2, ... in replay order
    date                text   NOT NULL,
    from_account_number text   NOT NULL,
    transfer_amount     text   NOT NULL,
    to_account_number   text   NOT NULL,
    reason              text   NOT NULL
);
CREATE INDEX IF NOT EXISTS rejected_transfers_run_number ON ledger.rejected_transfers
    USING brin (run_number) WITH (autosummarize = on);
