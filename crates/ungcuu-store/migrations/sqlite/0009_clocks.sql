-- The reporting clocks of TT 20/2017: a clock (notification, final report) stops when the
-- sending of its report is recorded here; the documents themselves may arrive later.
-- `clock_reminders` remembers each reminder and escalation sent, so each is sent once.

CREATE TABLE report_records (
    id          TEXT NOT NULL CONSTRAINT report_records_pkey PRIMARY KEY,
    incident_id TEXT NOT NULL CONSTRAINT report_records_incident_fkey REFERENCES incidents (id),
    kind        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    note        TEXT,
    recorded_by TEXT CONSTRAINT report_records_recorded_by_fkey REFERENCES users (id),
    created_at  TEXT NOT NULL,
    CONSTRAINT report_records_kind_check CHECK (kind IN ('notification', 'final_report')),
    CONSTRAINT report_records_channel_check CHECK (channel IN ('email', 'letter', 'fax', 'system'))
);
CREATE INDEX report_records_incident_idx ON report_records (incident_id, kind, sent_at);

CREATE TABLE clock_reminders (
    incident_id TEXT NOT NULL CONSTRAINT clock_reminders_incident_fkey REFERENCES incidents (id),
    clock       TEXT NOT NULL,
    threshold   TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    CONSTRAINT clock_reminders_pkey PRIMARY KEY (incident_id, clock, threshold)
);
