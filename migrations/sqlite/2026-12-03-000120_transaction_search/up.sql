-- `q` on the transaction listing: a case-insensitive substring of the merchant name or the
-- description. An FTS5 index of trigrams over both columns finds the rows that hold a text of
-- three characters or more without reading the others (a shorter text is matched by a scan of
-- the user's rows). It is an external-content index keyed by the transactions' rowid, kept in
-- step by the triggers below; a VACUUM that renumbers rowids must be followed by
-- `INSERT INTO transaction_search (transaction_search) VALUES ('rebuild')`.
CREATE VIRTUAL TABLE transaction_search USING fts5 (
    merchant_name,
    description,
    content = 'financial_transactions',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
INSERT INTO transaction_search (transaction_search) VALUES ('rebuild');

CREATE TRIGGER financial_transactions_search_insert AFTER INSERT ON financial_transactions BEGIN
    INSERT INTO transaction_search (rowid, merchant_name, description)
        VALUES (new.rowid, new.merchant_name, new.description);
END;

CREATE TRIGGER financial_transactions_search_delete AFTER DELETE ON financial_transactions BEGIN
    INSERT INTO transaction_search (transaction_search, rowid, merchant_name, description)
        VALUES ('delete', old.rowid, old.merchant_name, old.description);
END;

CREATE TRIGGER financial_transactions_search_update
AFTER UPDATE OF merchant_name, description ON financial_transactions BEGIN
    INSERT INTO transaction_search (transaction_search, rowid, merchant_name, description)
        VALUES ('delete', old.rowid, old.merchant_name, old.description);
    INSERT INTO transaction_search (rowid, merchant_name, description)
        VALUES (new.rowid, new.merchant_name, new.description);
END;
