-- Scenarios users saved: the document as canonical JSON (validated before it is stored), and
-- its name for the listing.
CREATE TABLE scenarios (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX scenarios_user_id_idx ON scenarios (user_id, created_at);

-- The scenario a connection was made from, as canonical JSON (a copy: the connection keeps
-- working after the saved scenario is deleted). Read only when the bank is asked.
CREATE TABLE connection_scenarios (
    connection_id TEXT PRIMARY KEY NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    document TEXT NOT NULL
);
