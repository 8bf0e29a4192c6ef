-- Incidents: one row per incident with its Mẫu 03 report (JSON), classification, severity and
-- the reasons the rule set gave, the state of the 11-step response and the minimal review;
-- every change of state, comment and manual timeline entry is a row of `incident_events`.
-- `system_id` names an information system without a foreign key, so an incident outlives the
-- registry entry and can name a system the registry does not hold yet.

CREATE TABLE incidents (
    id                       TEXT NOT NULL CONSTRAINT incidents_pkey PRIMARY KEY,
    owner_org_id             TEXT NOT NULL CONSTRAINT incidents_owner_fkey REFERENCES organizations (id),
    system_id                TEXT,
    system_name              TEXT,
    title                    TEXT NOT NULL,
    description              TEXT NOT NULL,
    type                     TEXT,
    subtype                  TEXT,
    tlp                      TEXT NOT NULL,
    severity                 TEXT NOT NULL,
    severity_reasons         TEXT NOT NULL,
    severity_override_reason TEXT,
    impact                   TEXT NOT NULL,
    state                    TEXT NOT NULL,
    discovered_at            TEXT NOT NULL,
    reported_at              TEXT NOT NULL,
    response_completed_at    TEXT,
    closed_at                TEXT,
    report                   TEXT NOT NULL,
    review                   TEXT,
    search_text              TEXT NOT NULL,
    created_by               TEXT CONSTRAINT incidents_created_by_fkey REFERENCES users (id),
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    CONSTRAINT incidents_severity_check CHECK (severity IN ('ordinary', 'serious')),
    CONSTRAINT incidents_tlp_check CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
    CONSTRAINT incidents_state_check CHECK (state IN ('received', 'verifying', 'initial_response',
        'option_proposed', 'option_approved', 'escalated', 'containing', 'eradicating',
        'recovering', 'verifying_recovery', 'review', 'closed', 'rejected', 'duplicate', 'merged'))
);
CREATE INDEX incidents_queue_idx ON incidents (owner_org_id, state, created_at);
CREATE INDEX incidents_state_idx ON incidents (state, created_at);

CREATE TABLE incident_events (
    id            TEXT NOT NULL CONSTRAINT incident_events_pkey PRIMARY KEY,
    incident_id   TEXT NOT NULL CONSTRAINT incident_events_incident_fkey REFERENCES incidents (id),
    kind          TEXT NOT NULL,
    from_state    TEXT,
    to_state      TEXT,
    actor_user_id TEXT CONSTRAINT incident_events_actor_fkey REFERENCES users (id),
    actor_label   TEXT NOT NULL,
    comment       TEXT,
    happened_at   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    CONSTRAINT incident_events_kind_check
        CHECK (kind IN ('transition', 'comment', 'classification', 'manual')),
    CONSTRAINT incident_events_transition_check
        CHECK (kind <> 'transition' OR to_state IS NOT NULL)
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, happened_at);
