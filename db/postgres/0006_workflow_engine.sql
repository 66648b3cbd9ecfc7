-- The workflow engine (issue 4). An instance row's state (the engine's JSON) is the truth; tasks, timers, message
-- subscriptions and incidents are projections of it for queries, written in the same transaction as the state.
CREATE TABLE workflow_definitions (
    definition_key varchar(200) NOT NULL,
    version        integer      NOT NULL,
    name           text         NULL,
    status         varchar(16)  NOT NULL, -- draft | published | retired
    xml            text         NOT NULL, -- the BPMN 2.0 file as uploaded
    content_hash   varchar(128) NOT NULL,
    created_at     timestamptz  NOT NULL,
    created_by     varchar(64)  NOT NULL,
    published_at   timestamptz  NULL,
    retired_at     timestamptz  NULL,
    PRIMARY KEY (definition_key, version)
);
CREATE INDEX ix_workflow_definitions_status ON workflow_definitions (definition_key, status, version);

CREATE TABLE workflow_instances (
    id                 uuid         NOT NULL PRIMARY KEY,
    definition_key     varchar(200) NOT NULL,
    version            integer      NOT NULL,
    business_key       varchar(200) NULL,
    organisation       varchar(64)  NOT NULL,
    status             varchar(16)  NOT NULL, -- running | completed | terminated
    state              text         NOT NULL, -- InstanceState as JSON: the truth
    parent_instance_id uuid         NULL,     -- the calling instance (no foreign key: a child is written before its parent)
    started_at         timestamptz  NOT NULL,
    ended_at           timestamptz  NULL,
    updated_at         timestamptz  NOT NULL,
    row_version        integer      NOT NULL DEFAULT 1
);
CREATE INDEX ix_workflow_instances_definition ON workflow_instances (definition_key, version, status);
CREATE INDEX ix_workflow_instances_business_key ON workflow_instances (business_key);
CREATE INDEX ix_workflow_instances_parent ON workflow_instances (parent_instance_id);

CREATE TABLE workflow_tasks (
    id             uuid         NOT NULL PRIMARY KEY,
    instance_id    uuid         NOT NULL REFERENCES workflow_instances (id),
    definition_key varchar(200) NOT NULL,
    business_key   varchar(200) NULL,
    element_id     varchar(200) NOT NULL,
    name           text         NOT NULL,
    organisation   varchar(64)  NOT NULL,
    assignee       varchar(64)  NULL,
    status         varchar(16)  NOT NULL, -- open | completed | cancelled
    created_at     timestamptz  NOT NULL,
    due_at         timestamptz  NULL,
    completed_at   timestamptz  NULL,
    completed_by   varchar(64)  NULL,
    outcome        varchar(200) NULL,
    cancelled_at   timestamptz  NULL,
    cancel_reason  text         NULL,
    form           text         NOT NULL, -- the user task's form as JSON
    outcomes       text         NOT NULL  -- the allowed outcomes as a JSON array
);
-- The inbox: open tasks of an organisation by due date (ascending puts nulls last), keyset-paged on (due_at, id).
CREATE INDEX ix_workflow_tasks_inbox ON workflow_tasks (status, organisation, due_at, id);
CREATE INDEX ix_workflow_tasks_instance ON workflow_tasks (instance_id);
CREATE INDEX ix_workflow_tasks_assignee ON workflow_tasks (assignee, status);
CREATE INDEX ix_workflow_tasks_business_key ON workflow_tasks (business_key);

-- A task's candidate groups, one row each, so "one of my groups" is an indexed join.
CREATE TABLE workflow_task_candidate_groups (
    task_id    uuid        NOT NULL REFERENCES workflow_tasks (id),
    group_name varchar(64) NOT NULL,
    PRIMARY KEY (task_id, group_name)
);
CREATE INDEX ix_workflow_task_candidate_groups_group ON workflow_task_candidate_groups (group_name, task_id);

-- Our timers are the truth; the job scheduler carries only a timer's id. instance_id is null for timer start events.
CREATE TABLE workflow_timers (
    id                 uuid         NOT NULL PRIMARY KEY,
    instance_id        uuid         NULL REFERENCES workflow_instances (id),
    definition_key     varchar(200) NULL,
    definition_version integer      NULL,
    element_id         varchar(200) NOT NULL,
    due_at             timestamptz  NOT NULL,
    status             varchar(16)  NOT NULL, -- pending | fired | cancelled
    fired_count        integer      NOT NULL DEFAULT 0,
    created_at         timestamptz  NOT NULL,
    fired_at           timestamptz  NULL
);
CREATE INDEX ix_workflow_timers_due ON workflow_timers (status, due_at);
CREATE INDEX ix_workflow_timers_instance ON workflow_timers (instance_id);
CREATE INDEX ix_workflow_timers_definition ON workflow_timers (definition_key, definition_version, status);

-- Waiting message catch/boundary events; a row is deleted when its wait ends.
CREATE TABLE workflow_message_subscriptions (
    id              uuid         NOT NULL PRIMARY KEY,
    instance_id     uuid         NOT NULL REFERENCES workflow_instances (id),
    message_name    varchar(200) NOT NULL,
    correlation_key varchar(200) NOT NULL,
    element_id      varchar(200) NOT NULL,
    created_at      timestamptz  NOT NULL
);
CREATE INDEX ix_workflow_message_subscriptions_message ON workflow_message_subscriptions (message_name, correlation_key);
CREATE INDEX ix_workflow_message_subscriptions_instance ON workflow_message_subscriptions (instance_id);

CREATE TABLE workflow_incidents (
    id          uuid         NOT NULL PRIMARY KEY,
    instance_id uuid         NOT NULL REFERENCES workflow_instances (id),
    element_id  varchar(200) NOT NULL,
    message     text         NOT NULL,
    raised_at   timestamptz  NOT NULL,
    attempts    integer      NOT NULL DEFAULT 1,
    resolved_at timestamptz  NULL,
    resolved_by varchar(64)  NULL
);
CREATE INDEX ix_workflow_incidents_instance ON workflow_incidents (instance_id, resolved_at);

-- What happened to each instance, in order: append-only evidence (the trigger refuses UPDATE, DELETE and TRUNCATE).
CREATE TABLE workflow_journal (
    sequence    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id uuid         NOT NULL REFERENCES workflow_instances (id),
    at          timestamptz  NOT NULL,
    actor       varchar(64)  NOT NULL,
    kind        varchar(64)  NOT NULL,
    element_id  varchar(200) NULL,
    data        text         NULL -- details as a JSON object
);
CREATE INDEX ix_workflow_journal_instance ON workflow_journal (instance_id, sequence);

CREATE FUNCTION workflow_journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'workflow_journal is append-only: % is refused', TG_OP;
END;
$$;

CREATE TRIGGER tr_workflow_journal_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON workflow_journal
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_journal_refuse_change();

-- The first answer to an idempotent command (scope: e.g. the endpoint and user), replayed for the same key.
CREATE TABLE idempotency_replies (
    scope           varchar(200) NOT NULL,
    idempotency_key varchar(200) NOT NULL,
    status          integer      NOT NULL,
    body            text         NOT NULL,
    created_at      timestamptz  NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
