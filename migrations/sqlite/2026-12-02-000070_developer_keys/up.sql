-- Developer API keys (the Plaid-compatible API's client_id / secret): a random public client id
-- and the SHA-256 of the secret (the secret is 32 random bytes, so a fast hash is enough; it is
-- shown once and never stored). A revoked key stays listed with its revoked_at.
CREATE TABLE developer_keys (
    client_id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash BLOB NOT NULL,
    name TEXT,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE INDEX developer_keys_user_id_idx ON developer_keys (user_id, created_at);
