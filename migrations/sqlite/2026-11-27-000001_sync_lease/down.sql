ALTER TABLE provider_connections DROP COLUMN sync_lease_until;
ALTER TABLE provider_connections DROP COLUMN sync_lease_id;
