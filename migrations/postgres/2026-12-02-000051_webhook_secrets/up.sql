-- Each user's webhook signing secret, sealed at rest (AES-256-GCM under a key derived from the
-- server secret). After a rotation the previous secret keeps signing until previous_expires_at.
CREATE TABLE webhook_secrets (
    user_id UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    current_sealed BYTEA NOT NULL,
    previous_sealed BYTEA,
    previous_expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP
);
