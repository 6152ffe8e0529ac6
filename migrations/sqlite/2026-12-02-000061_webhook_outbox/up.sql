-- The webhook outbox: each event with the exact JSON body that is POSTed, written in the same
-- transaction as the change it reports, and one delivery per event that the delivery job works
-- through, oldest first per connection.
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_events_connection_id_idx ON webhook_events (connection_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    event_id TEXT NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error TEXT,
    next_attempt_at TEXT,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The listing: a user's deliveries (of one connection), newest first.
CREATE INDEX webhook_deliveries_user_id_idx ON webhook_deliveries (user_id, id);
CREATE INDEX webhook_deliveries_connection_id_idx ON webhook_deliveries (connection_id, id);
-- The worker: a connection's deliveries not yet finished, oldest first.
CREATE INDEX webhook_deliveries_open_idx ON webhook_deliveries (connection_id, status, id);
CREATE INDEX webhook_deliveries_event_id_idx ON webhook_deliveries (event_id);
