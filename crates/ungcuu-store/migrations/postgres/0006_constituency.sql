-- The constituency: the IP ranges, domains and AS numbers each organisation answers for.
-- `value` is the normalised text (203.0.113.0/24, dongthap.gov.vn, AS45899), so the same claim
-- is always the same string. `source` says where it came from; entries derived from an
-- information system carry that system's id in `source_ref` and are replaced as a set.
-- Several organisations may claim the same value (a conflict the coordinator sees); one
-- organisation claims a value once.

CREATE TABLE constituency_entries (
    id              TEXT NOT NULL CONSTRAINT constituency_entries_pkey PRIMARY KEY,
    organization_id TEXT NOT NULL CONSTRAINT constituency_entries_org_fkey REFERENCES organizations (id),
    kind            TEXT NOT NULL,
    value           TEXT NOT NULL,
    source          TEXT NOT NULL,
    source_ref      TEXT,
    note            TEXT,
    created_by      TEXT CONSTRAINT constituency_entries_user_fkey REFERENCES users (id),
    created_at      TEXT NOT NULL,
    CONSTRAINT constituency_entries_kind_check CHECK (kind IN ('cidr', 'domain', 'asn')),
    CONSTRAINT constituency_entries_source_check CHECK (source IN ('manual', 'system', 'import')),
    CONSTRAINT constituency_entries_ref_check CHECK ((source = 'system') = (source_ref IS NOT NULL)),
    CONSTRAINT constituency_entries_unique_key UNIQUE (organization_id, kind, value)
);
CREATE INDEX constituency_entries_value_idx ON constituency_entries (kind, value);
CREATE INDEX constituency_entries_source_idx ON constituency_entries (source_ref);

-- Bumped in the same transaction as every change to the entries: a replica whose in-memory
-- index was built from an older generation reloads it.
CREATE TABLE constituency_generation (
    id         INTEGER NOT NULL CONSTRAINT constituency_generation_pkey PRIMARY KEY,
    generation BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT constituency_generation_single_check CHECK (id = 1)
);
INSERT INTO constituency_generation (id, generation, updated_at)
VALUES (1, 0, '1970-01-01T00:00:00.000000Z');
