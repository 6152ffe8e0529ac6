-- Link tokens of the Plaid-compatible API (`link-sandbox-<id>`): what `/link/token/create` was
-- asked for, and the one Link session the hosted page runs on it: when it started, the
-- connection (item) it made, how it ended and the public token it ended with.
CREATE TABLE link_tokens (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    client_name TEXT NOT NULL,
    language TEXT NOT NULL,
    country_codes TEXT NOT NULL,
    products TEXT NOT NULL,
    webhook_url TEXT,
    redirect_uri TEXT,
    completion_redirect_uri TEXT,
    hosted BOOLEAN NOT NULL,
    update_connection_id UUID REFERENCES provider_connections (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    session_id UUID,
    session_started_at TIMESTAMP,
    connection_id UUID REFERENCES provider_connections (id) ON DELETE SET NULL,
    finished_at TIMESTAMP,
    outcome TEXT,
    public_token TEXT
);
CREATE INDEX link_tokens_user_id_idx ON link_tokens (user_id);
CREATE INDEX link_tokens_connection_id_idx ON link_tokens (connection_id);
CREATE INDEX link_tokens_update_connection_id_idx ON link_tokens (update_connection_id);

-- Public tokens handed out (by Link or `/sandbox/public_token/create`); each may be exchanged
-- once, before it expires.
CREATE TABLE public_tokens (
    id UUID PRIMARY KEY,
    connection_id UUID NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL,
    exchanged_at TIMESTAMP
);
CREATE INDEX public_tokens_connection_id_idx ON public_tokens (connection_id);
-- Each new public token deletes the expired ones.
CREATE INDEX public_tokens_expires_at_idx ON public_tokens (expires_at);
