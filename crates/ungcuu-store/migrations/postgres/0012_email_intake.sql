-- E-mail intake: each message received through `POST /api/v1/intake/email`, by its Message-ID,
-- with the incident it opened (`report`) or joined (`reply`) and the evidence row of its raw
-- bytes. A Message-ID is unique per owner organisation: the same message posted again answers
-- the stored result, and a reply naming it finds the incident.

CREATE TABLE email_messages (
    id           TEXT NOT NULL CONSTRAINT email_messages_pkey PRIMARY KEY,
    message_id   TEXT NOT NULL,
    incident_id  TEXT NOT NULL CONSTRAINT email_messages_incident_fkey REFERENCES incidents (id),
    owner_org_id TEXT NOT NULL CONSTRAINT email_messages_owner_fkey REFERENCES organizations (id),
    kind         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    evidence_id  TEXT NOT NULL CONSTRAINT email_messages_evidence_fkey REFERENCES evidence (id),
    received_by  TEXT CONSTRAINT email_messages_received_by_fkey REFERENCES users (id),
    received_at  TEXT NOT NULL,
    CONSTRAINT email_messages_unique UNIQUE (owner_org_id, message_id),
    CONSTRAINT email_messages_kind_check CHECK (kind IN ('report', 'reply'))
);
CREATE INDEX email_messages_message_idx ON email_messages (message_id);
CREATE INDEX email_messages_incident_idx ON email_messages (incident_id, received_at);
