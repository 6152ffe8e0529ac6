ALTER TABLE users DROP COLUMN accounts_version;
