-- Developer API keys (the Plaid-compatible API's client_id / secret): a random public client id
-- and the SHA-256 of the secret (the secret is 32 random bytes, so a fast hash is enough; it is
-- shown once and never stored). A revoked key stays listed with its revoked_at.
CREATE TABLE developer_keys (
    client_id TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash BYTEA NOT NULL,
    name TEXT,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE INDEX developer_keys_user_id_idx ON developer_keys (user_id, created_at);
