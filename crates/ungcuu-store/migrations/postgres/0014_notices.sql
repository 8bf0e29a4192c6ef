-- How each person wants to be told by e-mail, per topic (immediately, in a daily digest, or not
-- at all; the in-app notification centre always keeps the notice), the notices waiting for a
-- digest, who follows which incident, and the incident queue filters people saved.

CREATE TABLE notice_prefs (
    user_id TEXT NOT NULL CONSTRAINT notice_prefs_user_fkey REFERENCES users (id),
    topic   TEXT NOT NULL,
    mode    TEXT NOT NULL,
    CONSTRAINT notice_prefs_pkey PRIMARY KEY (user_id, topic),
    CONSTRAINT notice_prefs_mode_check CHECK (mode IN ('now', 'digest', 'off'))
);

CREATE TABLE notice_digests (
    user_id      TEXT NOT NULL CONSTRAINT notice_digests_pkey PRIMARY KEY
                 CONSTRAINT notice_digests_user_fkey REFERENCES users (id),
    hour         INTEGER NOT NULL,
    last_sent_at TEXT,
    CONSTRAINT notice_digests_hour_check CHECK (hour >= 0 AND hour <= 23)
);

CREATE TABLE notice_digest_queue (
    notification_id TEXT NOT NULL CONSTRAINT notice_digest_queue_pkey PRIMARY KEY
                    CONSTRAINT notice_digest_queue_notification_fkey REFERENCES notifications (id),
    user_id         TEXT NOT NULL CONSTRAINT notice_digest_queue_user_fkey REFERENCES users (id),
    created_at      TEXT NOT NULL
);
CREATE INDEX notice_digest_queue_user_idx ON notice_digest_queue (user_id, created_at);

CREATE TABLE incident_followers (
    incident_id TEXT NOT NULL CONSTRAINT incident_followers_incident_fkey REFERENCES incidents (id),
    user_id     TEXT NOT NULL CONSTRAINT incident_followers_user_fkey REFERENCES users (id),
    created_at  TEXT NOT NULL,
    CONSTRAINT incident_followers_pkey PRIMARY KEY (incident_id, user_id)
);
CREATE INDEX incident_followers_user_idx ON incident_followers (user_id);

CREATE TABLE saved_filters (
    id         TEXT NOT NULL CONSTRAINT saved_filters_pkey PRIMARY KEY,
    user_id    TEXT NOT NULL CONSTRAINT saved_filters_user_fkey REFERENCES users (id),
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT saved_filters_name_key UNIQUE (user_id, name)
);
