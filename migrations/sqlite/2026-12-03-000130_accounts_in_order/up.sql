-- A user's accounts in the order the API lists them (created_at, id), read from one index with
-- no sort. The (user_id, account_type) index alone lost to a scan of every account once the
-- planner's statistics had been taken while one user held them all (demo data): 2,382 accounts
-- read and sorted for a user's 20.
CREATE INDEX financial_accounts_user_order_idx ON financial_accounts (user_id, created_at, id);
