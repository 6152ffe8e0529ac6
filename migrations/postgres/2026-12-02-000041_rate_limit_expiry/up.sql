-- Rate-limit keys are now fixed-size digests (SHA-256 hex), and each window row says when it
-- stops mattering, so expired rows are purged by one indexed delete. The counters are
-- short-lived, so the old rows are simply dropped.
DROP TABLE rate_limit_windows;
CREATE TABLE rate_limit_windows (
    bucket TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_windows_expires_at_idx ON rate_limit_windows (expires_at);
