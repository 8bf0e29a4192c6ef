-- Evidence of an incident: files kept in the content-addressed blob store (the path comes from
-- `sha256`, never from input), their chain of custody, and the indicators of compromise found.
-- `original_name` is for display only (sanitised); `media_type` is sniffed from the bytes.

CREATE TABLE evidence (
    id               TEXT NOT NULL CONSTRAINT evidence_pkey PRIMARY KEY,
    incident_id      TEXT NOT NULL CONSTRAINT evidence_incident_fkey REFERENCES incidents (id),
    sha256           TEXT NOT NULL,
    sha1             TEXT NOT NULL,
    md5              TEXT NOT NULL,
    size             INTEGER NOT NULL,
    original_name    TEXT NOT NULL,
    media_type       TEXT NOT NULL,
    malicious_sample INTEGER NOT NULL DEFAULT 0,
    description      TEXT NOT NULL,
    collected_by     TEXT NOT NULL,
    collected_at     TEXT NOT NULL,
    collected_where  TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX evidence_incident_idx ON evidence (incident_id, created_at);
CREATE INDEX evidence_sha256_idx ON evidence (sha256);

CREATE TABLE custody_events (
    id          TEXT NOT NULL CONSTRAINT custody_events_pkey PRIMARY KEY,
    evidence_id TEXT NOT NULL CONSTRAINT custody_events_evidence_fkey REFERENCES evidence (id),
    kind        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    to_whom     TEXT,
    note        TEXT,
    at          TEXT NOT NULL,
    CONSTRAINT custody_events_kind_check CHECK (kind IN ('collected', 'handed_over', 'downloaded'))
);
CREATE INDEX custody_events_evidence_idx ON custody_events (evidence_id, at);

CREATE TABLE indicators (
    id          TEXT NOT NULL CONSTRAINT indicators_pkey PRIMARY KEY,
    incident_id TEXT NOT NULL CONSTRAINT indicators_incident_fkey REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT indicators_unique UNIQUE (incident_id, kind, value),
    CONSTRAINT indicators_kind_check CHECK (kind IN ('ip', 'domain', 'url', 'sha256', 'sha1', 'md5',
        'email', 'cve', 'filename', 'registry_key')),
    CONSTRAINT indicators_tlp_check CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
    CONSTRAINT indicators_source_check CHECK (source IN ('manual', 'extracted'))
);
-- "Seen before": the other incidents with the same kind and value.
CREATE INDEX indicators_seen_idx ON indicators (kind, value);
