-- Responsible network members (thành viên mạng lưới ứng cứu sự cố, TT 20 Điều 6 and Điều 9):
-- an organisation is a member of the national response network when its profile carries the
-- member code VNCERT/CC gave it ("Mã thành viên mạng lưới", printed on Mẫu 05). Such members
-- may be chosen as recipients of a Mẫu 03 or Mẫu 04 sending.
ALTER TABLE org_profiles ADD COLUMN member_code TEXT;

-- A sending of an issued document by letter or fax, recorded by hand with its scan. The scan's
-- bytes are in the blob store under their SHA-256; the media type is the one the server
-- recognised from the bytes (PDF, PNG, JPEG, TIFF; anything else is application/octet-stream).
CREATE TABLE document_hand_sendings (
    id              TEXT NOT NULL CONSTRAINT document_hand_sendings_pkey PRIMARY KEY,
    document_id     TEXT NOT NULL CONSTRAINT document_hand_sendings_document_fkey REFERENCES documents (id),
    channel         TEXT NOT NULL,
    recipients      TEXT NOT NULL,
    note            TEXT,
    scan_sha256     TEXT NOT NULL,
    scan_media_type TEXT NOT NULL,
    scan_size       INTEGER NOT NULL,
    recorded_by     TEXT CONSTRAINT document_hand_sendings_recorded_by_fkey REFERENCES users (id),
    created_at      TEXT NOT NULL,
    CONSTRAINT document_hand_sendings_channel_check CHECK (channel IN ('letter', 'fax'))
);
CREATE INDEX document_hand_sendings_document_idx ON document_hand_sendings (document_id, created_at);
