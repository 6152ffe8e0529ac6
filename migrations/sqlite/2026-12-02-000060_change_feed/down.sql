DROP TABLE transaction_removals;
DROP INDEX financial_transactions_connection_change_idx;
DROP INDEX financial_transactions_user_change_idx;
ALTER TABLE financial_transactions DROP COLUMN posted_seq;
ALTER TABLE financial_transactions DROP COLUMN created_seq;
ALTER TABLE financial_transactions DROP COLUMN change_seq;
ALTER TABLE users DROP COLUMN feed_horizon_seq;
ALTER TABLE users DROP COLUMN change_seq;
