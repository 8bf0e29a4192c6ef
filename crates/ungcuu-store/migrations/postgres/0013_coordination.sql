-- Coordination on an incident (Phụ lục III, issue 5 items 5 and 6): requests for support from
-- one organisation to another, to the response team or to the national coordinator (an external
-- party: its contact is copied from the settings onto the request), each with a thread of
-- replies; and the steering of a serious incident: the committee's directions, who speaks for
-- the province and who may release information, and the log of what was said publicly.

CREATE TABLE coordination_requests (
    id           TEXT NOT NULL CONSTRAINT coordination_requests_pkey PRIMARY KEY,
    incident_id  TEXT NOT NULL CONSTRAINT coordination_requests_incident_fkey REFERENCES incidents (id),
    from_org_id  TEXT NOT NULL CONSTRAINT coordination_requests_from_fkey REFERENCES organizations (id),
    target       TEXT NOT NULL,
    to_org_id    TEXT CONSTRAINT coordination_requests_to_fkey REFERENCES organizations (id),
    to_contact   TEXT,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_by   TEXT CONSTRAINT coordination_requests_created_by_fkey REFERENCES users (id),
    created_label TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CONSTRAINT coordination_requests_target_check CHECK (target IN ('organization', 'csirt', 'national')),
    CONSTRAINT coordination_requests_to_check CHECK (target = 'national' OR to_org_id IS NOT NULL),
    CONSTRAINT coordination_requests_status_check
        CHECK (status IN ('open', 'accepted', 'declined', 'done', 'cancelled'))
);
CREATE INDEX coordination_requests_incident_idx ON coordination_requests (incident_id, id);
CREATE INDEX coordination_requests_to_idx ON coordination_requests (to_org_id, status, due_at);
CREATE INDEX coordination_requests_from_idx ON coordination_requests (from_org_id, status, due_at);

CREATE TABLE coordination_replies (
    id           TEXT NOT NULL CONSTRAINT coordination_replies_pkey PRIMARY KEY,
    request_id   TEXT NOT NULL CONSTRAINT coordination_replies_request_fkey REFERENCES coordination_requests (id),
    author_id    TEXT CONSTRAINT coordination_replies_author_fkey REFERENCES users (id),
    author_label TEXT NOT NULL,
    body         TEXT NOT NULL,
    status_to    TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX coordination_replies_request_idx ON coordination_replies (request_id, id);

CREATE TABLE steering_directions (
    id             TEXT NOT NULL CONSTRAINT steering_directions_pkey PRIMARY KEY,
    incident_id    TEXT NOT NULL CONSTRAINT steering_directions_incident_fkey REFERENCES incidents (id),
    text           TEXT NOT NULL,
    given_by       TEXT NOT NULL,
    given_at       TEXT NOT NULL,
    addressed_org_id TEXT CONSTRAINT steering_directions_org_fkey REFERENCES organizations (id),
    recorded_by    TEXT CONSTRAINT steering_directions_recorded_by_fkey REFERENCES users (id),
    recorded_label TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX steering_directions_incident_idx ON steering_directions (incident_id, given_at);

-- The spokesperson (one at a time: naming another ends the current one) and the people allowed
-- to release information, with validity like focal points, so the history is the table.
CREATE TABLE information_roles (
    id             TEXT NOT NULL CONSTRAINT information_roles_pkey PRIMARY KEY,
    incident_id    TEXT NOT NULL CONSTRAINT information_roles_incident_fkey REFERENCES incidents (id),
    role           TEXT NOT NULL,
    name           TEXT NOT NULL,
    contact        TEXT,
    assigned_by    TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    CONSTRAINT information_roles_role_check CHECK (role IN ('spokesperson', 'releaser'))
);
CREATE INDEX information_roles_incident_idx ON information_roles (incident_id, role, valid_to);

CREATE TABLE public_statements (
    id             TEXT NOT NULL CONSTRAINT public_statements_pkey PRIMARY KEY,
    incident_id    TEXT NOT NULL CONSTRAINT public_statements_incident_fkey REFERENCES incidents (id),
    said_at        TEXT NOT NULL,
    said_by        TEXT NOT NULL,
    channel        TEXT NOT NULL,
    text           TEXT NOT NULL,
    recorded_by    TEXT CONSTRAINT public_statements_recorded_by_fkey REFERENCES users (id),
    recorded_label TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    CONSTRAINT public_statements_channel_check
        CHECK (channel IN ('press', 'website', 'social', 'television', 'radio', 'other'))
);
CREATE INDEX public_statements_incident_idx ON public_statements (incident_id, said_at);

-- The timeline gains coordination and steering entries. The kinds now grow with each capability
-- and the Rust enum is the only writer (an unknown kind reads back as corrupt), so the list is
-- no longer repeated in a CHECK.
ALTER TABLE incident_events DROP CONSTRAINT incident_events_kind_check;
