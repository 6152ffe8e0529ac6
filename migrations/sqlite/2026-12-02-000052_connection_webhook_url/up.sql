ALTER TABLE provider_connections ADD COLUMN webhook_url TEXT;
