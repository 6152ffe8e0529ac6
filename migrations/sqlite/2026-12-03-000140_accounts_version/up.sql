-- The version of a user's accounts: taken by every write to them (figures, status,
-- reconciliation, new and deleted accounts), in the same transaction. A rendered accounts list
-- is served again only at the version it was rendered at.
ALTER TABLE users ADD COLUMN accounts_version BIGINT NOT NULL DEFAULT 0;
