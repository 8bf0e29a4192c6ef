-- The information systems registry: each system of an owner organisation (chủ quản), its
-- operator, security level and approval, services, software and the addresses it answers on.
-- Names are unique per owner through `name_key` (lower case, spaces collapsed, computed in
-- Rust), which both engines compare the same way.

CREATE TABLE information_systems (
    id                    TEXT NOT NULL CONSTRAINT information_systems_pkey PRIMARY KEY,
    owner_org_id          TEXT NOT NULL CONSTRAINT information_systems_owner_fkey REFERENCES organizations (id),
    operator_org_id       TEXT CONSTRAINT information_systems_operator_fkey REFERENCES organizations (id),
    security_provider     TEXT,
    connectivity_provider TEXT,
    name                  TEXT NOT NULL,
    name_key              TEXT NOT NULL,
    purpose               TEXT,
    security_level        INTEGER,
    level_status          TEXT,
    approval_decision_no  TEXT,
    approval_date         TEXT,
    approved_by           TEXT CONSTRAINT information_systems_approved_by_fkey REFERENCES users (id),
    services              TEXT NOT NULL,
    os                    TEXT,
    os_version            TEXT,
    search_text           TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CONSTRAINT information_systems_owner_name_key UNIQUE (owner_org_id, name_key),
    CONSTRAINT information_systems_level_check
        CHECK (security_level IS NULL OR security_level BETWEEN 1 AND 5),
    CONSTRAINT information_systems_status_check
        CHECK (level_status IS NULL OR level_status IN ('proposed', 'appraised', 'approved')),
    CONSTRAINT information_systems_status_needs_level_check
        CHECK ((security_level IS NULL) = (level_status IS NULL))
);
CREATE INDEX information_systems_operator_idx ON information_systems (operator_org_id);

CREATE TABLE system_software (
    system_id TEXT NOT NULL CONSTRAINT system_software_system_fkey REFERENCES information_systems (id),
    ordinal   INTEGER NOT NULL,
    vendor    TEXT,
    product   TEXT NOT NULL,
    version   TEXT,
    cpe       TEXT,
    CONSTRAINT system_software_pkey PRIMARY KEY (system_id, ordinal)
);

CREATE TABLE system_addresses (
    system_id TEXT NOT NULL CONSTRAINT system_addresses_system_fkey REFERENCES information_systems (id),
    ordinal   INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    CONSTRAINT system_addresses_pkey PRIMARY KEY (system_id, ordinal),
    CONSTRAINT system_addresses_kind_check CHECK (kind IN ('ip', 'domain', 'hostname'))
);
CREATE INDEX system_addresses_value_idx ON system_addresses (value);
