-- Rate limits: one counter per bucket (`login:ip:…`, `api:token:…`) and fixed time window.
-- Kept in the database so that every replica counts against the same numbers. A row is useless
-- once its window has passed (`expires_at`) and is purged.

CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits         INTEGER NOT NULL,
    expires_at   TEXT NOT NULL,
    CONSTRAINT rate_limits_pkey PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_expires_idx ON rate_limits (expires_at);
