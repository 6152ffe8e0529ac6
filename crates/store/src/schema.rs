//! The diesel schema, written to match `migrations/` (both backends share it).
#![allow(missing_docs)]

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    users (id) {
        id -> DbUuid,
        email -> Text,
        name -> Nullable<Text>,
        password_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        change_seq -> BigInt,
        feed_horizon_seq -> BigInt,
        accounts_version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    sessions (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    financial_providers (id) {
        id -> DbUuid,
        slug -> Text,
        name -> Text,
        logo_url -> Text,
        supported_account_types -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    provider_connections (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        provider_id -> DbUuid,
        status -> Text,
        seed -> BigInt,
        access_token_sealed -> Nullable<Binary>,
        access_token_expires_at -> Nullable<Timestamp>,
        clock_offset_days -> Integer,
        synced_through -> Nullable<Date>,
        sandbox_fault -> Nullable<Text>,
        error_code -> Nullable<Text>,
        error_message -> Nullable<Text>,
        last_synced_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sync_lease_id -> Nullable<DbUuid>,
        sync_lease_until -> Nullable<Timestamp>,
        webhook_url -> Nullable<Text>,
        webhook_format -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    financial_accounts (id) {
        id -> DbUuid,
        connection_id -> DbUuid,
        user_id -> DbUuid,
        provider_id -> DbUuid,
        external_id -> Text,
        name -> Text,
        official_name -> Text,
        account_type -> Text,
        subtype -> Text,
        mask -> Text,
        currency -> Text,
        current_balance_minor -> BigInt,
        available_balance_minor -> BigInt,
        credit_limit_minor -> Nullable<BigInt>,
        minimum_payment_minor -> Nullable<BigInt>,
        statement_date -> Nullable<Date>,
        payment_due_date -> Nullable<Date>,
        status -> Text,
        reconciliation -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        statement_balance_minor -> Nullable<BigInt>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    financial_transactions (id) {
        id -> DbUuid,
        account_id -> DbUuid,
        connection_id -> DbUuid,
        user_id -> DbUuid,
        external_id -> Text,
        amount_minor -> BigInt,
        currency -> Text,
        transaction_type -> Text,
        status -> Text,
        date -> Date,
        authorized_at -> Nullable<Timestamp>,
        posted_at -> Nullable<Timestamp>,
        merchant_name -> Text,
        description -> Text,
        category -> Text,
        location_city -> Nullable<Text>,
        location_region -> Nullable<Text>,
        location_country -> Nullable<Text>,
        payment_channel -> Text,
        refund_of_external_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        change_seq -> BigInt,
        created_seq -> BigInt,
        posted_seq -> Nullable<BigInt>,
        counterpart_external_id -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    transaction_removals (transaction_id) {
        transaction_id -> DbUuid,
        user_id -> DbUuid,
        connection_id -> DbUuid,
        account_id -> DbUuid,
        created_seq -> BigInt,
        posted_seq -> Nullable<BigInt>,
        removed_seq -> BigInt,
        removed_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    balance_snapshots (id) {
        id -> DbUuid,
        account_id -> DbUuid,
        date -> Date,
        currency -> Text,
        current_balance_minor -> BigInt,
        available_balance_minor -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    jobs (id) {
        id -> DbUuid,
        kind -> Text,
        payload -> Text,
        status -> Text,
        user_id -> Nullable<DbUuid>,
        connection_id -> Nullable<DbUuid>,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_limit_windows (bucket, window_start) {
        bucket -> Text,
        window_start -> Timestamp,
        hits -> Integer,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    webhook_secrets (user_id) {
        user_id -> DbUuid,
        current_sealed -> Binary,
        previous_sealed -> Nullable<Binary>,
        previous_expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    webhook_events (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        connection_id -> DbUuid,
        event_type -> Text,
        body -> Text,
        created_at -> Timestamp,
        format -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    webhook_deliveries (id) {
        id -> DbUuid,
        event_id -> DbUuid,
        user_id -> DbUuid,
        connection_id -> DbUuid,
        url -> Text,
        status -> Text,
        attempts -> Integer,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        next_attempt_at -> Nullable<Timestamp>,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    developer_keys (client_id) {
        client_id -> Text,
        user_id -> DbUuid,
        secret_hash -> Binary,
        name -> Nullable<Text>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    link_tokens (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        client_id -> Text,
        client_name -> Text,
        language -> Text,
        country_codes -> Text,
        products -> Text,
        webhook_url -> Nullable<Text>,
        redirect_uri -> Nullable<Text>,
        completion_redirect_uri -> Nullable<Text>,
        hosted -> Bool,
        update_connection_id -> Nullable<DbUuid>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        session_id -> Nullable<DbUuid>,
        session_started_at -> Nullable<Timestamp>,
        connection_id -> Nullable<DbUuid>,
        finished_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        public_token -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    public_tokens (id) {
        id -> DbUuid,
        connection_id -> DbUuid,
        expires_at -> Timestamp,
        exchanged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    scenarios (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        name -> Text,
        document -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbUuid;

    connection_scenarios (connection_id) {
        connection_id -> DbUuid,
        document -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(developer_keys -> users (user_id));
diesel::joinable!(webhook_secrets -> users (user_id));
diesel::joinable!(provider_connections -> users (user_id));
diesel::joinable!(provider_connections -> financial_providers (provider_id));
diesel::joinable!(financial_accounts -> provider_connections (connection_id));
diesel::joinable!(financial_transactions -> financial_accounts (account_id));
diesel::joinable!(balance_snapshots -> financial_accounts (account_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    financial_providers,
    provider_connections,
    financial_accounts,
    financial_transactions,
    balance_snapshots,
    jobs,
    rate_limit_windows,
    webhook_secrets,
    transaction_removals,
    webhook_events,
    webhook_deliveries,
    developer_keys,
    link_tokens,
    public_tokens,
    scenarios,
    connection_scenarios,
);
