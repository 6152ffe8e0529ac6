-- The webhook format of a connection: `sandbank` (our {id, type, createdAt, connectionId, data}
-- with Sandbank-Signature) or `plaid` (Plaid's bodies with a Plaid-Verification JWT), set by
-- the Plaid API for its items. Each event keeps the format it was written in, so its delivery is
-- signed as its body was built even if the connection's format changes before it is sent.
ALTER TABLE provider_connections ADD COLUMN webhook_format TEXT NOT NULL DEFAULT 'sandbank';
ALTER TABLE webhook_events ADD COLUMN format TEXT NOT NULL DEFAULT 'sandbank';
