-- The workflow engine (issue 4). An instance row's state (the engine's JSON) is the truth; tasks, timers, message
-- subscriptions and incidents are projections of it for queries, written in the same transaction as the state.
CREATE TABLE workflow_definitions (
    definition_key nvarchar(200)     NOT NULL,
    version        int               NOT NULL,
    name           nvarchar(400)     NULL,
    status         varchar(16)       NOT NULL, -- draft | published | retired
    xml            nvarchar(max)     NOT NULL, -- the BPMN 2.0 file as uploaded
    content_hash   varchar(128)      NOT NULL,
    created_at     datetimeoffset(7) NOT NULL,
    created_by     nvarchar(64)      NOT NULL,
    published_at   datetimeoffset(7) NULL,
    retired_at     datetimeoffset(7) NULL,
    CONSTRAINT pk_workflow_definitions PRIMARY KEY (definition_key, version)
);
CREATE INDEX ix_workflow_definitions_status ON workflow_definitions (definition_key, status, version);

CREATE TABLE workflow_instances (
    id                 uniqueidentifier  NOT NULL PRIMARY KEY,
    definition_key     nvarchar(200)     NOT NULL,
    version            int               NOT NULL,
    business_key       nvarchar(200)     NULL,
    organisation       nvarchar(64)      NOT NULL,
    status             varchar(16)       NOT NULL, -- running | completed | terminated
    state              nvarchar(max)     NOT NULL, -- InstanceState as JSON: the truth
    parent_instance_id uniqueidentifier  NULL,     -- the calling instance (no foreign key: a child is written before its parent)
    started_at         datetimeoffset(7) NOT NULL,
    ended_at           datetimeoffset(7) NULL,
    updated_at         datetimeoffset(7) NOT NULL,
    row_version        int               NOT NULL DEFAULT 1
);
CREATE INDEX ix_workflow_instances_definition ON workflow_instances (definition_key, version, status);
CREATE INDEX ix_workflow_instances_business_key ON workflow_instances (business_key);
CREATE INDEX ix_workflow_instances_parent ON workflow_instances (parent_instance_id);

CREATE TABLE workflow_tasks (
    id             uniqueidentifier  NOT NULL PRIMARY KEY,
    instance_id    uniqueidentifier  NOT NULL REFERENCES workflow_instances (id),
    definition_key nvarchar(200)     NOT NULL,
    business_key   nvarchar(200)     NULL,
    element_id     nvarchar(200)     NOT NULL,
    name           nvarchar(400)     NOT NULL,
    organisation   nvarchar(64)      NOT NULL,
    assignee       nvarchar(64)      NULL,
    status         varchar(16)       NOT NULL, -- open | completed | cancelled
    created_at     datetimeoffset(7) NOT NULL,
    due_at         datetimeoffset(7) NULL,
    completed_at   datetimeoffset(7) NULL,
    completed_by   nvarchar(64)      NULL,
    outcome        nvarchar(200)     NULL,
    cancelled_at   datetimeoffset(7) NULL,
    cancel_reason  nvarchar(max)     NULL,
    form           nvarchar(max)     NOT NULL, -- the user task's form as JSON
    outcomes       nvarchar(max)     NOT NULL  -- the allowed outcomes as a JSON array
);
-- The inbox: open tasks of an organisation by due date, keyset-paged on (due_at, id).
CREATE INDEX ix_workflow_tasks_inbox ON workflow_tasks (status, organisation, due_at, id);
CREATE INDEX ix_workflow_tasks_instance ON workflow_tasks (instance_id);
CREATE INDEX ix_workflow_tasks_assignee ON workflow_tasks (assignee, status);
CREATE INDEX ix_workflow_tasks_business_key ON workflow_tasks (business_key);

-- A task's candidate groups, one row each, so "one of my groups" is an indexed join.
CREATE TABLE workflow_task_candidate_groups (
    task_id    uniqueidentifier NOT NULL REFERENCES workflow_tasks (id),
    group_name nvarchar(64)     NOT NULL,
    CONSTRAINT pk_workflow_task_candidate_groups PRIMARY KEY (task_id, group_name)
);
CREATE INDEX ix_workflow_task_candidate_groups_group ON workflow_task_candidate_groups (group_name, task_id);

-- Our timers are the truth; the job scheduler carries only a timer's id. instance_id is null for timer start events.
CREATE TABLE workflow_timers (
    id                 uniqueidentifier  NOT NULL PRIMARY KEY,
    instance_id        uniqueidentifier  NULL REFERENCES workflow_instances (id),
    definition_key     nvarchar(200)     NULL,
    definition_version int               NULL,
    element_id         nvarchar(200)     NOT NULL,
    due_at             datetimeoffset(7) NOT NULL,
    status             varchar(16)       NOT NULL, -- pending | fired | cancelled
    fired_count        int               NOT NULL DEFAULT 0,
    created_at         datetimeoffset(7) NOT NULL,
    fired_at           datetimeoffset(7) NULL
);
CREATE INDEX ix_workflow_timers_due ON workflow_timers (status, due_at);
CREATE INDEX ix_workflow_timers_instance ON workflow_timers (instance_id);
CREATE INDEX ix_workflow_timers_definition ON workflow_timers (definition_key, definition_version, status);

-- Waiting message catch/boundary events; a row is deleted when its wait ends.
CREATE TABLE workflow_message_subscriptions (
    id              uniqueidentifier  NOT NULL PRIMARY KEY,
    instance_id     uniqueidentifier  NOT NULL REFERENCES workflow_instances (id),
    message_name    nvarchar(200)     NOT NULL,
    correlation_key nvarchar(200)     NOT NULL,
    element_id      nvarchar(200)     NOT NULL,
    created_at      datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_workflow_message_subscriptions_message ON workflow_message_subscriptions (message_name, correlation_key);
CREATE INDEX ix_workflow_message_subscriptions_instance ON workflow_message_subscriptions (instance_id);

CREATE TABLE workflow_incidents (
    id          uniqueidentifier  NOT NULL PRIMARY KEY,
    instance_id uniqueidentifier  NOT NULL REFERENCES workflow_instances (id),
    element_id  nvarchar(200)     NOT NULL,
    message     nvarchar(max)     NOT NULL,
    raised_at   datetimeoffset(7) NOT NULL,
    attempts    int               NOT NULL DEFAULT 1,
    resolved_at datetimeoffset(7) NULL,
    resolved_by nvarchar(64)      NULL
);
CREATE INDEX ix_workflow_incidents_instance ON workflow_incidents (instance_id, resolved_at);

-- What happened to each instance, in order: append-only evidence (the trigger refuses UPDATE and DELETE).
CREATE TABLE workflow_journal (
    sequence    bigint IDENTITY(1, 1) PRIMARY KEY,
    instance_id uniqueidentifier  NOT NULL REFERENCES workflow_instances (id),
    at          datetimeoffset(7) NOT NULL,
    actor       nvarchar(64)      NOT NULL,
    kind        nvarchar(64)      NOT NULL,
    element_id  nvarchar(200)     NULL,
    data        nvarchar(max)     NULL -- details as a JSON object
);
CREATE INDEX ix_workflow_journal_instance ON workflow_journal (instance_id, sequence);

-- The first answer to an idempotent command (scope: e.g. the endpoint and user), replayed for the same key.
CREATE TABLE idempotency_replies (
    scope           nvarchar(200)     NOT NULL,
    idempotency_key nvarchar(200)     NOT NULL,
    status          int               NOT NULL,
    body            nvarchar(max)     NOT NULL,
    created_at      datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_idempotency_replies PRIMARY KEY (scope, idempotency_key)
);
-- CREATE TRIGGER must start its own batch.
GO
CREATE TRIGGER tr_workflow_journal_append_only ON workflow_journal INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'workflow_journal is append-only: UPDATE and DELETE are refused', 1;
END;
GO
