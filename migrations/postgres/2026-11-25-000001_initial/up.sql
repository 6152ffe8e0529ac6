-- Sandbank's whole data model. Money is BIGINT minor units; times are UTC TIMESTAMP.

CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE financial_providers (
    id UUID PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    logo_url TEXT NOT NULL,
    supported_account_types TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE provider_connections (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id UUID NOT NULL REFERENCES financial_providers (id),
    status TEXT NOT NULL,
    seed BIGINT NOT NULL,
    access_token_sealed BYTEA,
    access_token_expires_at TIMESTAMP,
    clock_offset_days INTEGER NOT NULL DEFAULT 0,
    synced_through DATE,
    sandbox_fault TEXT,
    error_code TEXT,
    error_message TEXT,
    last_synced_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX provider_connections_user_id_idx ON provider_connections (user_id, created_at);
CREATE INDEX provider_connections_provider_id_idx ON provider_connections (provider_id);
CREATE INDEX provider_connections_status_idx ON provider_connections (status);

CREATE TABLE financial_accounts (
    id UUID PRIMARY KEY,
    connection_id UUID NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id UUID NOT NULL REFERENCES financial_providers (id),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    official_name TEXT NOT NULL,
    account_type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    mask TEXT NOT NULL,
    currency TEXT NOT NULL,
    current_balance_minor BIGINT NOT NULL,
    available_balance_minor BIGINT NOT NULL,
    credit_limit_minor BIGINT,
    minimum_payment_minor BIGINT,
    statement_date DATE,
    payment_due_date DATE,
    status TEXT NOT NULL,
    reconciliation TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (connection_id, external_id)
);
CREATE INDEX financial_accounts_user_id_idx ON financial_accounts (user_id, account_type);
CREATE INDEX financial_accounts_provider_id_idx ON financial_accounts (provider_id);

CREATE TABLE financial_transactions (
    id UUID PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES financial_accounts (id) ON DELETE CASCADE,
    connection_id UUID NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    transaction_type TEXT NOT NULL,
    status TEXT NOT NULL,
    date DATE NOT NULL,
    authorized_at TIMESTAMP,
    posted_at TIMESTAMP,
    merchant_name TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    location_city TEXT,
    location_region TEXT,
    location_country TEXT,
    payment_channel TEXT NOT NULL,
    refund_of_external_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, external_id)
);
CREATE INDEX financial_transactions_user_date_idx ON financial_transactions (user_id, date, id);
CREATE INDEX financial_transactions_user_amount_idx ON financial_transactions (user_id, amount_minor, id);
CREATE INDEX financial_transactions_user_category_date_idx ON financial_transactions (user_id, category, date, id);
CREATE INDEX financial_transactions_account_date_idx ON financial_transactions (account_id, date, id);
CREATE INDEX financial_transactions_account_amount_idx ON financial_transactions (account_id, amount_minor, id);
CREATE INDEX financial_transactions_connection_date_idx ON financial_transactions (connection_id, date, id);

CREATE TABLE balance_snapshots (
    id UUID PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES financial_accounts (id) ON DELETE CASCADE,
    date DATE NOT NULL,
    currency TEXT NOT NULL,
    current_balance_minor BIGINT NOT NULL,
    available_balance_minor BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, date)
);

CREATE TABLE jobs (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    user_id UUID REFERENCES users (id) ON DELETE CASCADE,
    connection_id UUID REFERENCES provider_connections (id) ON DELETE CASCADE,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at TIMESTAMP NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_ready_idx ON jobs (status, run_at);
CREATE INDEX jobs_connection_id_idx ON jobs (connection_id);

CREATE TABLE rate_limit_windows (
    bucket TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
