-- One sync (or authorize) of a connection at a time: a lease taken in its own short
-- transaction, renewed as each chunk of the backlog is applied, released at the end.
ALTER TABLE provider_connections ADD COLUMN sync_lease_id TEXT;
ALTER TABLE provider_connections ADD COLUMN sync_lease_until TEXT;
