-- Sandbank's whole data model (SQLite). Money is INTEGER minor units; UUIDs, dates and UTC times are TEXT.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE financial_providers (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    logo_url TEXT NOT NULL,
    supported_account_types TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE provider_connections (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL REFERENCES financial_providers (id),
    status TEXT NOT NULL,
    seed INTEGER NOT NULL,
    access_token_sealed BLOB,
    access_token_expires_at TEXT,
    clock_offset_days INTEGER NOT NULL DEFAULT 0,
    synced_through TEXT,
    sandbox_fault TEXT,
    error_code TEXT,
    error_message TEXT,
    last_synced_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX provider_connections_user_id_idx ON provider_connections (user_id, created_at);
CREATE INDEX provider_connections_provider_id_idx ON provider_connections (provider_id);
CREATE INDEX provider_connections_status_idx ON provider_connections (status);

CREATE TABLE financial_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    connection_id TEXT NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL REFERENCES financial_providers (id),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    official_name TEXT NOT NULL,
    account_type TEXT NOT NULL,
    subtype TEXT NOT NULL,
    mask TEXT NOT NULL,
    currency TEXT NOT NULL,
    current_balance_minor INTEGER NOT NULL,
    available_balance_minor INTEGER NOT NULL,
    credit_limit_minor INTEGER,
    minimum_payment_minor INTEGER,
    statement_date TEXT,
    payment_due_date TEXT,
    status TEXT NOT NULL,
    reconciliation TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (connection_id, external_id)
);
CREATE INDEX financial_accounts_user_id_idx ON financial_accounts (user_id, account_type);
CREATE INDEX financial_accounts_provider_id_idx ON financial_accounts (provider_id);

CREATE TABLE financial_transactions (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES financial_accounts (id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    transaction_type TEXT NOT NULL,
    status TEXT NOT NULL,
    date TEXT NOT NULL,
    authorized_at TEXT,
    posted_at TEXT,
    merchant_name TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    location_city TEXT,
    location_region TEXT,
    location_country TEXT,
    payment_channel TEXT NOT NULL,
    refund_of_external_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (account_id, external_id)
);
CREATE INDEX financial_transactions_user_date_idx ON financial_transactions (user_id, date, id);
CREATE INDEX financial_transactions_user_amount_idx ON financial_transactions (user_id, amount_minor, id);
CREATE INDEX financial_transactions_user_category_date_idx ON financial_transactions (user_id, category, date, id);
CREATE INDEX financial_transactions_account_date_idx ON financial_transactions (account_id, date, id);
CREATE INDEX financial_transactions_account_amount_idx ON financial_transactions (account_id, amount_minor, id);
CREATE INDEX financial_transactions_connection_date_idx ON financial_transactions (connection_id, date, id);

CREATE TABLE balance_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES financial_accounts (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    currency TEXT NOT NULL,
    current_balance_minor INTEGER NOT NULL,
    available_balance_minor INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (account_id, date)
);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    connection_id TEXT REFERENCES provider_connections (id) ON DELETE CASCADE,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at TEXT NOT NULL,
    locked_by TEXT,
    locked_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_ready_idx ON jobs (status, run_at);
CREATE INDEX jobs_connection_id_idx ON jobs (connection_id);

CREATE TABLE rate_limit_windows (
    bucket TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
