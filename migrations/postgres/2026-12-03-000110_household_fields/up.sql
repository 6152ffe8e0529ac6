-- A card's statement balance: what was owed when its last statement closed (what the minimum
-- payment and the due date refer to). Null for other accounts, like minimum_payment_minor.
ALTER TABLE financial_accounts ADD COLUMN statement_balance_minor BIGINT;

-- For one side of a transfer between two accounts of a household: the provider's external id
-- of the other side. The API resolves it to the other side's id within the user's data, by
-- (user_id, external_id).
ALTER TABLE financial_transactions ADD COLUMN counterpart_external_id TEXT;
CREATE INDEX financial_transactions_user_external_idx ON financial_transactions (user_id, external_id);
