DROP TABLE rate_limit_windows;
CREATE TABLE rate_limit_windows (
    bucket TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
