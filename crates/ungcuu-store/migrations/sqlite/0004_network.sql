-- The network: organisation profiles (Mẫu 01), focal points with history, in-app
-- notifications, the response team roster, on-call shifts and convenings.

CREATE TABLE org_profiles (
    organization_id       TEXT NOT NULL CONSTRAINT org_profiles_pkey PRIMARY KEY
                          CONSTRAINT org_profiles_org_fkey REFERENCES organizations (id),
    owning_body           TEXT,
    address               TEXT,
    phone                 TEXT,
    fax                   TEXT,
    email                 TEXT,
    website               TEXT,
    leader_name           TEXT,
    leader_title          TEXT,
    intake_address        TEXT,
    intake_phone          TEXT,
    intake_mobile         TEXT,
    intake_fax            TEXT,
    intake_email          TEXT,
    response_capability   TEXT,
    staffing              TEXT NOT NULL,
    updated_by            TEXT,
    updated_at            TEXT NOT NULL
);

CREATE TABLE focal_points (
    id              TEXT NOT NULL CONSTRAINT focal_points_pkey PRIMARY KEY,
    organization_id TEXT NOT NULL CONSTRAINT focal_points_org_fkey REFERENCES organizations (id),
    kind            TEXT NOT NULL,
    user_id         TEXT CONSTRAINT focal_points_user_fkey REFERENCES users (id),
    name            TEXT NOT NULL,
    title           TEXT,
    address         TEXT,
    phone           TEXT,
    mobile          TEXT,
    fax             TEXT,
    email           TEXT NOT NULL,
    phone_24x7      TEXT,
    pgp_fingerprint TEXT,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    assigned_by     TEXT,
    ended_by        TEXT,
    CONSTRAINT focal_points_kind_check CHECK (kind IN ('primary', 'backup'))
);
CREATE INDEX focal_points_org_idx ON focal_points (organization_id, kind, valid_to);

CREATE TABLE notifications (
    id         TEXT NOT NULL CONSTRAINT notifications_pkey PRIMARY KEY,
    user_id    TEXT NOT NULL CONSTRAINT notifications_user_fkey REFERENCES users (id),
    kind       TEXT NOT NULL,
    text_vi    TEXT NOT NULL,
    text_en    TEXT NOT NULL,
    link       TEXT,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at);

CREATE TABLE team_members (
    id         TEXT NOT NULL CONSTRAINT team_members_pkey PRIMARY KEY,
    user_id    TEXT NOT NULL CONSTRAINT team_members_user_fkey REFERENCES users (id)
               CONSTRAINT team_members_user_key UNIQUE,
    skills     TEXT NOT NULL,
    note       TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE oncall_shifts (
    id         TEXT NOT NULL CONSTRAINT oncall_shifts_pkey PRIMARY KEY,
    member_id  TEXT NOT NULL CONSTRAINT oncall_shifts_member_fkey REFERENCES team_members (id) ON DELETE CASCADE,
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    note       TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    CONSTRAINT oncall_shifts_order_check CHECK (ends_at > starts_at)
);
CREATE INDEX oncall_shifts_time_idx ON oncall_shifts (starts_at, ends_at);

CREATE TABLE convenings (
    id           TEXT NOT NULL CONSTRAINT convenings_pkey PRIMARY KEY,
    reason       TEXT NOT NULL,
    incident_ref TEXT,
    convened_by  TEXT NOT NULL,
    convened_at  TEXT NOT NULL
);

CREATE TABLE convening_members (
    convening_id TEXT NOT NULL CONSTRAINT convening_members_convening_fkey REFERENCES convenings (id),
    user_id      TEXT NOT NULL CONSTRAINT convening_members_user_fkey REFERENCES users (id),
    CONSTRAINT convening_members_pkey PRIMARY KEY (convening_id, user_id)
);
