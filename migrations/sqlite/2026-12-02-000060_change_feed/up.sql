-- The change feed. Every write that changes a user's transactions takes the user's next
-- change_seq (an UPDATE of the user's row, which also serialises those writers, so sequence
-- values commit in order) and stamps what it changes with it: a row's change_seq is the seq of
-- its latest change, created_seq that of its insert; a removed row leaves a removal behind.
-- Rows that exist already count as changed at seq 1.
ALTER TABLE users ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 1;
-- Removals up to this seq have been purged (older than the retention): a cursor before it is
-- expired.
ALTER TABLE users ADD COLUMN feed_horizon_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE financial_transactions ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 1;
ALTER TABLE financial_transactions ADD COLUMN created_seq BIGINT NOT NULL DEFAULT 1;
-- The change that took the row out of pending (posted it); null while it is pending.
ALTER TABLE financial_transactions ADD COLUMN posted_seq BIGINT;
UPDATE financial_transactions SET posted_seq = 1 WHERE status <> 'pending';
CREATE INDEX financial_transactions_user_change_idx ON financial_transactions (user_id, change_seq, id);
CREATE INDEX financial_transactions_connection_change_idx ON financial_transactions (connection_id, change_seq, id);

-- What a removed transaction leaves for the feed. account_id has no foreign key: a purge
-- deletes the account with its transactions.
CREATE TABLE transaction_removals (
    transaction_id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    created_seq BIGINT NOT NULL,
    posted_seq BIGINT,
    removed_seq BIGINT NOT NULL,
    removed_at TEXT NOT NULL
);
CREATE INDEX transaction_removals_user_seq_idx ON transaction_removals (user_id, removed_seq, transaction_id);
CREATE INDEX transaction_removals_connection_seq_idx ON transaction_removals (connection_id, removed_seq, transaction_id);
CREATE INDEX transaction_removals_user_removed_at_idx ON transaction_removals (user_id, removed_at);
