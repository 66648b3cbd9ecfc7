-- The workflow engine (issue 4). An instance row's state (the engine's JSON) is the truth; tasks, timers, message
-- subscriptions and incidents are projections of it for queries, written in the same transaction as the state.
-- Ids are Guids stored as lower-case text ("D" format); instants are UTC text as everywhere else.
CREATE TABLE workflow_definitions (
    definition_key TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    name           TEXT    NULL,
    status         TEXT    NOT NULL, -- draft | published | retired
    xml            TEXT    NOT NULL, -- the BPMN 2.0 file as uploaded
    content_hash   TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    published_at   TEXT    NULL,
    retired_at     TEXT    NULL,
    PRIMARY KEY (definition_key, version)
);
CREATE INDEX ix_workflow_definitions_status ON workflow_definitions (definition_key, status, version);

CREATE TABLE workflow_instances (
    id                 TEXT    NOT NULL PRIMARY KEY,
    definition_key     TEXT    NOT NULL,
    version            INTEGER NOT NULL,
    business_key       TEXT    NULL,
    organisation       TEXT    NOT NULL,
    status             TEXT    NOT NULL, -- running | completed | terminated
    state              TEXT    NOT NULL, -- InstanceState as JSON: the truth
    parent_instance_id TEXT    NULL,     -- the calling instance (no foreign key: a child is written before its parent)
    started_at         TEXT    NOT NULL,
    ended_at           TEXT    NULL,
    updated_at         TEXT    NOT NULL,
    row_version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_workflow_instances_definition ON workflow_instances (definition_key, version, status);
CREATE INDEX ix_workflow_instances_business_key ON workflow_instances (business_key);
CREATE INDEX ix_workflow_instances_parent ON workflow_instances (parent_instance_id);

CREATE TABLE workflow_tasks (
    id             TEXT NOT NULL PRIMARY KEY,
    instance_id    TEXT NOT NULL REFERENCES workflow_instances (id),
    definition_key TEXT NOT NULL,
    business_key   TEXT NULL,
    element_id     TEXT NOT NULL,
    name           TEXT NOT NULL,
    organisation   TEXT NOT NULL,
    assignee       TEXT NULL,
    status         TEXT NOT NULL, -- open | completed | cancelled
    created_at     TEXT NOT NULL,
    due_at         TEXT NULL,
    completed_at   TEXT NULL,
    completed_by   TEXT NULL,
    outcome        TEXT NULL,
    cancelled_at   TEXT NULL,
    cancel_reason  TEXT NULL,
    form           TEXT NOT NULL, -- the user task's form as JSON
    outcomes       TEXT NOT NULL  -- the allowed outcomes as a JSON array
);
-- The inbox: open tasks of an organisation by due date, keyset-paged on (due_at, id).
CREATE INDEX ix_workflow_tasks_inbox ON workflow_tasks (status, organisation, due_at, id);
CREATE INDEX ix_workflow_tasks_instance ON workflow_tasks (instance_id);
CREATE INDEX ix_workflow_tasks_assignee ON workflow_tasks (assignee, status);
CREATE INDEX ix_workflow_tasks_business_key ON workflow_tasks (business_key);

-- A task's candidate groups, one row each, so "one of my groups" is an indexed join.
CREATE TABLE workflow_task_candidate_groups (
    task_id    TEXT NOT NULL REFERENCES workflow_tasks (id),
    group_name TEXT NOT NULL,
    PRIMARY KEY (task_id, group_name)
);
CREATE INDEX ix_workflow_task_candidate_groups_group ON workflow_task_candidate_groups (group_name, task_id);

-- Our timers are the truth; the job scheduler carries only a timer's id. instance_id is null for timer start events.
CREATE TABLE workflow_timers (
    id                 TEXT    NOT NULL PRIMARY KEY,
    instance_id        TEXT    NULL REFERENCES workflow_instances (id),
    definition_key     TEXT    NULL,
    definition_version INTEGER NULL,
    element_id         TEXT    NOT NULL,
    due_at             TEXT    NOT NULL,
    status             TEXT    NOT NULL, -- pending | fired | cancelled
    fired_count        INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT    NOT NULL,
    fired_at           TEXT    NULL
);
CREATE INDEX ix_workflow_timers_due ON workflow_timers (status, due_at);
CREATE INDEX ix_workflow_timers_instance ON workflow_timers (instance_id);
CREATE INDEX ix_workflow_timers_definition ON workflow_timers (definition_key, definition_version, status);

-- Waiting message catch/boundary events; a row is deleted when its wait ends.
CREATE TABLE workflow_message_subscriptions (
    id              TEXT NOT NULL PRIMARY KEY,
    instance_id     TEXT NOT NULL REFERENCES workflow_instances (id),
    message_name    TEXT NOT NULL,
    correlation_key TEXT NOT NULL,
    element_id      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX ix_workflow_message_subscriptions_message ON workflow_message_subscriptions (message_name, correlation_key);
CREATE INDEX ix_workflow_message_subscriptions_instance ON workflow_message_subscriptions (instance_id);

CREATE TABLE workflow_incidents (
    id          TEXT    NOT NULL PRIMARY KEY,
    instance_id TEXT    NOT NULL REFERENCES workflow_instances (id),
    element_id  TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    raised_at   TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1,
    resolved_at TEXT    NULL,
    resolved_by TEXT    NULL
);
CREATE INDEX ix_workflow_incidents_instance ON workflow_incidents (instance_id, resolved_at);

-- What happened to each instance, in order: append-only evidence (the triggers refuse UPDATE and DELETE).
CREATE TABLE workflow_journal (
    sequence    INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT    NOT NULL REFERENCES workflow_instances (id),
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    element_id  TEXT    NULL,
    data        TEXT    NULL -- details as a JSON object
);
CREATE INDEX ix_workflow_journal_instance ON workflow_journal (instance_id, sequence);

CREATE TRIGGER tr_workflow_journal_no_update BEFORE UPDATE ON workflow_journal
BEGIN
    SELECT RAISE(ABORT, 'workflow_journal is append-only: UPDATE is refused');
END;

CREATE TRIGGER tr_workflow_journal_no_delete BEFORE DELETE ON workflow_journal
BEGIN
    SELECT RAISE(ABORT, 'workflow_journal is append-only: DELETE is refused');
END;

-- The first answer to an idempotent command (scope: e.g. the endpoint and user), replayed for the same key.
CREATE TABLE idempotency_replies (
    scope           TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    status          INTEGER NOT NULL,
    body            TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
