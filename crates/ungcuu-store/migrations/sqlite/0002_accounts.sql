-- Accounts: TOTP second factor, recovery codes, sign-in challenges, invitation and reset links.

CREATE TABLE user_totp (
    user_id        TEXT NOT NULL CONSTRAINT user_totp_pkey PRIMARY KEY
                   CONSTRAINT user_totp_user_fkey REFERENCES users (id),
    secret_enc     TEXT NOT NULL,
    confirmed_at   TEXT,
    last_used_step INTEGER,
    created_at     TEXT NOT NULL
);

CREATE TABLE recovery_codes (
    id         TEXT NOT NULL CONSTRAINT recovery_codes_pkey PRIMARY KEY,
    user_id    TEXT NOT NULL CONSTRAINT recovery_codes_user_fkey REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

CREATE TABLE login_challenges (
    id_hash    TEXT NOT NULL CONSTRAINT login_challenges_pkey PRIMARY KEY,
    user_id    TEXT NOT NULL CONSTRAINT login_challenges_user_fkey REFERENCES users (id),
    pending_secret_enc TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_challenges_user_idx ON login_challenges (user_id);

CREATE TABLE account_links (
    id_hash    TEXT NOT NULL CONSTRAINT account_links_pkey PRIMARY KEY,
    kind       TEXT NOT NULL,
    user_id    TEXT NOT NULL CONSTRAINT account_links_user_fkey REFERENCES users (id),
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    CONSTRAINT account_links_kind_check CHECK (kind IN ('invite', 'reset'))
);
CREATE INDEX account_links_user_idx ON account_links (user_id);
