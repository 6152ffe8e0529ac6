-- `q` on the transaction listing: a case-insensitive substring of the merchant name or the
-- description, as `ILIKE '%…%'`, which trigram GIN indexes (pg_trgm) serve for a text of three
-- characters or more. The extension lives in `public` whatever the search path (one per
-- database, shared by every schema); the lock keeps two migrations of one database from
-- creating it at once.
SELECT pg_advisory_xact_lock(7215470365127014912);
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX financial_transactions_merchant_trgm_idx
    ON financial_transactions USING gin (merchant_name public.gin_trgm_ops);
CREATE INDEX financial_transactions_description_trgm_idx
    ON financial_transactions USING gin (description public.gin_trgm_ops);
