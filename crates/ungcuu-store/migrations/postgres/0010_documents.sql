-- Legal documents (Mẫu 03, 04, 05 of TT 20/2017) generated from the data. A draft holds the
-- form as JSON and may be edited; issuing gives it the next number of its organisation's
-- register for the year and freezes it: the exact PDF and DOCX bytes go to the blob store and
-- their SHA-256 is kept here (and in the audit event). A change after issue is a new version
-- (`supersedes` the issued one). `period_from`/`period_to` (months since year 0) let Mẫu 05
-- periods be compared for overlap.

CREATE TABLE documents (
    id            TEXT NOT NULL CONSTRAINT documents_pkey PRIMARY KEY,
    form          TEXT NOT NULL,
    incident_id   TEXT CONSTRAINT documents_incident_fkey REFERENCES incidents (id),
    org_id        TEXT NOT NULL CONSTRAINT documents_org_fkey REFERENCES organizations (id),
    status        TEXT NOT NULL,
    version       BIGINT NOT NULL,
    supersedes    TEXT CONSTRAINT documents_supersedes_fkey REFERENCES documents (id),
    data          TEXT NOT NULL,
    period_from   BIGINT,
    period_to     BIGINT,
    register_year BIGINT,
    register_seq  BIGINT,
    number        TEXT,
    issued_at     TEXT,
    issued_by     TEXT CONSTRAINT documents_issued_by_fkey REFERENCES users (id),
    pdf_sha256    TEXT,
    docx_sha256   TEXT,
    created_by    TEXT CONSTRAINT documents_created_by_fkey REFERENCES users (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CONSTRAINT documents_form_check CHECK (form IN ('mau03', 'mau04', 'mau05')),
    CONSTRAINT documents_status_check CHECK (status IN ('draft', 'issued')),
    CONSTRAINT documents_register_unique UNIQUE (org_id, register_year, register_seq)
);
CREATE INDEX documents_incident_idx ON documents (incident_id, form, created_at);
CREATE INDEX documents_org_idx ON documents (org_id, form, status);

-- The per-organisation, per-year register: one row, bumped by one upsert per issue, so two
-- issues at once (from any replica) never take the same number.
CREATE TABLE document_registers (
    org_id      TEXT NOT NULL CONSTRAINT document_registers_org_fkey REFERENCES organizations (id),
    year        BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    CONSTRAINT document_registers_pkey PRIMARY KEY (org_id, year)
);

-- Files attached to an outgoing e-mail (an issued document's PDF and DOCX, a signed bundle):
-- references into the blob store, read when the message is delivered, so the outbox row stays
-- small and a retry sends the same bytes.
CREATE TABLE mail_attachments (
    mail_id    TEXT NOT NULL CONSTRAINT mail_attachments_mail_fkey REFERENCES mail_outbox (id),
    ordinal    BIGINT NOT NULL,
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    CONSTRAINT mail_attachments_pkey PRIMARY KEY (mail_id, ordinal)
);

-- With the setting `documents.national_approval` on, a sending that includes the national
-- coordinator waits here until a second person approves it (not the one who asked).
CREATE TABLE document_send_requests (
    id           TEXT NOT NULL CONSTRAINT document_send_requests_pkey PRIMARY KEY,
    document_id  TEXT NOT NULL CONSTRAINT document_send_requests_document_fkey REFERENCES documents (id),
    parties      TEXT NOT NULL,
    requested_by TEXT CONSTRAINT document_send_requests_requested_by_fkey REFERENCES users (id),
    requested_at TEXT NOT NULL,
    approved_by  TEXT CONSTRAINT document_send_requests_approved_by_fkey REFERENCES users (id),
    approved_at  TEXT,
    status       TEXT NOT NULL,
    CONSTRAINT document_send_requests_status_check CHECK (status IN ('pending', 'approved'))
);
CREATE INDEX document_send_requests_document_idx ON document_send_requests (document_id, status);
