-- Tasks of an incident's response (Phụ lục III: lead and supporting organisations, assignee,
-- due date, status, checklist, comments), the scenario playbooks, and the two "once" guards:
-- an incident gets a step's default tasks once, and each playbook's tasks once.
-- `kind` tells ordinary tasks from the review's additional measures and the recovery
-- verification checklist (step 10), which must be ticked before the review.

CREATE TABLE tasks (
    id               TEXT NOT NULL CONSTRAINT tasks_pkey PRIMARY KEY,
    incident_id      TEXT NOT NULL CONSTRAINT tasks_incident_fkey REFERENCES incidents (id),
    kind             TEXT NOT NULL,
    step             BIGINT,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    lead_org_id      TEXT NOT NULL CONSTRAINT tasks_lead_fkey REFERENCES organizations (id),
    assignee_user_id TEXT CONSTRAINT tasks_assignee_fkey REFERENCES users (id),
    due_date         TEXT,
    status           TEXT NOT NULL,
    source           TEXT NOT NULL,
    source_ref       TEXT,
    created_by       TEXT CONSTRAINT tasks_created_by_fkey REFERENCES users (id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CONSTRAINT tasks_kind_check CHECK (kind IN ('task', 'measure', 'recovery_check')),
    CONSTRAINT tasks_status_check CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    CONSTRAINT tasks_source_check CHECK (source IN ('manual', 'step', 'playbook')),
    CONSTRAINT tasks_step_check CHECK (step IS NULL OR (step >= 1 AND step <= 11))
);
CREATE INDEX tasks_incident_idx ON tasks (incident_id, id);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_user_id, status);
CREATE INDEX tasks_lead_idx ON tasks (lead_org_id, status);

CREATE TABLE task_orgs (
    task_id TEXT NOT NULL CONSTRAINT task_orgs_task_fkey REFERENCES tasks (id),
    org_id  TEXT NOT NULL CONSTRAINT task_orgs_org_fkey REFERENCES organizations (id),
    CONSTRAINT task_orgs_pkey PRIMARY KEY (task_id, org_id)
);
CREATE INDEX task_orgs_org_idx ON task_orgs (org_id);

CREATE TABLE task_checklist (
    task_id  TEXT NOT NULL CONSTRAINT task_checklist_task_fkey REFERENCES tasks (id),
    ordinal  BIGINT NOT NULL,
    text     TEXT NOT NULL,
    done_at  TEXT,
    done_by  TEXT CONSTRAINT task_checklist_done_by_fkey REFERENCES users (id),
    CONSTRAINT task_checklist_pkey PRIMARY KEY (task_id, ordinal)
);

CREATE TABLE task_comments (
    id             TEXT NOT NULL CONSTRAINT task_comments_pkey PRIMARY KEY,
    task_id        TEXT NOT NULL CONSTRAINT task_comments_task_fkey REFERENCES tasks (id),
    author_user_id TEXT CONSTRAINT task_comments_author_fkey REFERENCES users (id),
    author_label   TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX task_comments_task_idx ON task_comments (task_id, id);

CREATE TABLE playbooks (
    code       TEXT NOT NULL CONSTRAINT playbooks_pkey PRIMARY KEY,
    title_vi   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    summary    TEXT NOT NULL,
    tasks      TEXT NOT NULL,
    updated_by TEXT CONSTRAINT playbooks_updated_by_fkey REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE incident_playbooks (
    incident_id   TEXT NOT NULL CONSTRAINT incident_playbooks_incident_fkey REFERENCES incidents (id),
    playbook_code TEXT NOT NULL CONSTRAINT incident_playbooks_playbook_fkey REFERENCES playbooks (code),
    applied_by    TEXT CONSTRAINT incident_playbooks_applied_by_fkey REFERENCES users (id),
    applied_at    TEXT NOT NULL,
    CONSTRAINT incident_playbooks_pkey PRIMARY KEY (incident_id, playbook_code)
);

CREATE TABLE incident_step_tasks (
    incident_id TEXT NOT NULL CONSTRAINT incident_step_tasks_incident_fkey REFERENCES incidents (id),
    step        BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT incident_step_tasks_pkey PRIMARY KEY (incident_id, step)
);
