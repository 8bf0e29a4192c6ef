-- What Mẫu 05 counts per incident: who helped handle it (domestic and foreign organisations,
-- the national coordinator) and the estimated damage, as one JSON object written by the
-- handlers (NULL: not recorded yet). And one row per organisation that issuing a Mẫu 05 locks,
-- so two issues whose periods overlap are serialised even when they fall in different
-- register years (the number register locks only its own year).

ALTER TABLE incidents ADD COLUMN outcome TEXT;

CREATE TABLE document_period_locks (
    org_id TEXT NOT NULL CONSTRAINT document_period_locks_pkey PRIMARY KEY
           CONSTRAINT document_period_locks_org_fkey REFERENCES organizations (id),
    taken  INTEGER NOT NULL
);

-- When an issued document was first sent (e-mail or a recorded letter or fax): a Mẫu 05 sent
-- files the periodic report whose last month it ends with, which stops that deadline.
ALTER TABLE documents ADD COLUMN sent_at TEXT;

-- Each reminder and escalation of a Mẫu 05 deadline sent, so each is sent once.
CREATE TABLE period_reminders (
    year      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    threshold TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    CONSTRAINT period_reminders_pkey PRIMARY KEY (year, kind, threshold)
);
