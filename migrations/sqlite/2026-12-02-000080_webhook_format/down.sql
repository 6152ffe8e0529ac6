ALTER TABLE webhook_events DROP COLUMN format;
ALTER TABLE provider_connections DROP COLUMN webhook_format;
