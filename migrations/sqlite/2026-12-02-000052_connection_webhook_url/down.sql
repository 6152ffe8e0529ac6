ALTER TABLE provider_connections DROP COLUMN webhook_url;
