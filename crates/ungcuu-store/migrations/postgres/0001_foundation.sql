-- Foundation: organisations, people, memberships, grants, sessions, tokens, audit chain,
-- jobs and the mail outbox. Times are UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ), ids are UUID text.

CREATE TABLE organizations (
    id          TEXT NOT NULL CONSTRAINT organizations_pkey PRIMARY KEY,
    slug        TEXT NOT NULL CONSTRAINT organizations_slug_key UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT,
    kind        TEXT NOT NULL,
    parent_id   TEXT CONSTRAINT organizations_parent_fkey REFERENCES organizations (id),
    search_text TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX organizations_parent_idx ON organizations (parent_id);

CREATE TABLE users (
    id              TEXT NOT NULL CONSTRAINT users_pkey PRIMARY KEY,
    email           TEXT NOT NULL CONSTRAINT users_email_key UNIQUE,
    name            TEXT NOT NULL,
    password_hash   TEXT,
    locale          TEXT NOT NULL DEFAULT 'vi',
    disabled_at     TEXT,
    failed_logins   BIGINT NOT NULL DEFAULT 0,
    locked_until    TEXT,
    password_changed_at TEXT,
    search_text     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE memberships (
    id              TEXT NOT NULL CONSTRAINT memberships_pkey PRIMARY KEY,
    user_id         TEXT NOT NULL CONSTRAINT memberships_user_fkey REFERENCES users (id),
    organization_id TEXT NOT NULL CONSTRAINT memberships_org_fkey REFERENCES organizations (id),
    role            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    CONSTRAINT memberships_unique_key UNIQUE (user_id, organization_id, role)
);
CREATE INDEX memberships_org_idx ON memberships (organization_id);

CREATE TABLE object_grants (
    id              TEXT NOT NULL CONSTRAINT object_grants_pkey PRIMARY KEY,
    object_type     TEXT NOT NULL,
    object_id       TEXT NOT NULL,
    grantee_org_id  TEXT CONSTRAINT object_grants_org_fkey REFERENCES organizations (id),
    grantee_user_id TEXT CONSTRAINT object_grants_user_fkey REFERENCES users (id),
    access          TEXT NOT NULL,
    granted_by      TEXT,
    created_at      TEXT NOT NULL,
    CONSTRAINT object_grants_one_grantee_check
        CHECK ((grantee_org_id IS NULL) <> (grantee_user_id IS NULL)),
    CONSTRAINT object_grants_access_check CHECK (access IN ('read', 'write'))
);
CREATE INDEX object_grants_object_idx ON object_grants (object_type, object_id);

CREATE TABLE sessions (
    id_hash      TEXT NOT NULL CONSTRAINT sessions_pkey PRIMARY KEY,
    user_id      TEXT NOT NULL CONSTRAINT sessions_user_fkey REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    user_agent   TEXT,
    ip           TEXT
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT NOT NULL CONSTRAINT api_tokens_pkey PRIMARY KEY,
    user_id      TEXT NOT NULL CONSTRAINT api_tokens_user_fkey REFERENCES users (id),
    label        TEXT NOT NULL,
    token_hash   TEXT NOT NULL CONSTRAINT api_tokens_hash_key UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE setup_tokens (
    token_hash TEXT NOT NULL CONSTRAINT setup_tokens_pkey PRIMARY KEY,
    created_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE TABLE audit_events (
    seq             BIGINT NOT NULL CONSTRAINT audit_events_pkey PRIMARY KEY,
    id              TEXT NOT NULL CONSTRAINT audit_events_id_key UNIQUE,
    occurred_at     TEXT NOT NULL,
    actor_user_id   TEXT,
    actor_label     TEXT NOT NULL,
    organization_id TEXT,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       TEXT,
    summary         TEXT NOT NULL,
    request_id      TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_events_org_idx ON audit_events (organization_id, seq);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, seq);

CREATE TABLE audit_head (
    id         BIGINT NOT NULL CONSTRAINT audit_head_pkey PRIMARY KEY,
    seq        BIGINT NOT NULL,
    hash       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT audit_head_single_check CHECK (id = 1)
);
INSERT INTO audit_head (id, seq, hash, updated_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', '1970-01-01T00:00:00.000000Z');

CREATE TABLE jobs (
    id           TEXT NOT NULL CONSTRAINT jobs_pkey PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_at       TEXT NOT NULL,
    lease_until  TEXT,
    leased_by    TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CONSTRAINT jobs_status_check CHECK (status IN ('queued', 'running', 'done', 'failed'))
);
CREATE INDEX jobs_due_idx ON jobs (status, run_at);

CREATE TABLE mail_outbox (
    id          TEXT NOT NULL CONSTRAINT mail_outbox_pkey PRIMARY KEY,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT,
    status      TEXT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    last_error  TEXT,
    CONSTRAINT mail_outbox_status_check CHECK (status IN ('pending', 'sent', 'written', 'failed'))
);

CREATE TABLE mail_deliveries (
    id           TEXT NOT NULL CONSTRAINT mail_deliveries_pkey PRIMARY KEY,
    mail_id      TEXT NOT NULL CONSTRAINT mail_deliveries_mail_fkey REFERENCES mail_outbox (id),
    attempted_at TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL
);
CREATE INDEX mail_deliveries_mail_idx ON mail_deliveries (mail_id);

CREATE TABLE settings (
    key        TEXT NOT NULL CONSTRAINT settings_pkey PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
