-- Each user's webhook signing secret, sealed at rest (AES-256-GCM under a key derived from the
-- server secret). After a rotation the previous secret keeps signing until previous_expires_at.
CREATE TABLE webhook_secrets (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    current_sealed BLOB NOT NULL,
    previous_sealed BLOB,
    previous_expires_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
