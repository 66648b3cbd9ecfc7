-- Notifications (issue 13 item 5). A step of a workflow records what happened that people must hear of (a task for
-- their groups, a reminder at 50 % / 75 % / the working day before due, a breach, an escalation) as one event row in
-- its own transaction: the outbox. After commit a job fans the event out to the users who hold the groups in the
-- organisation (one notification each) and sends the e-mails. The unique keys make a replayed step or a retried job
-- create nothing new.
CREATE TABLE notification_events (
    id            bigint IDENTITY(1, 1) PRIMARY KEY,
    source_key    nvarchar(300) NOT NULL CONSTRAINT uq_notification_events_source UNIQUE, -- e.g. task:{taskId}, breach:{instanceId}/{clock}/{dueAt}
    kind          varchar(32)   NOT NULL,        -- task | reminder.half | reminder.three-quarters | reminder.day-before | breach | escalation
    instance_id   uniqueidentifier NULL,
    task_id       uniqueidentifier NULL,
    organisation  varchar(32)   NOT NULL,        -- the organisation whose users hear of it
    candidate_groups nvarchar(max) NOT NULL,        -- candidate groups (roles), comma-separated
    title_zh      nvarchar(max) NOT NULL,
    title_en      nvarchar(max) NOT NULL,
    body_zh       nvarchar(max) NOT NULL,
    body_en       nvarchar(max) NOT NULL,
    link          nvarchar(max) NOT NULL,
    occurred_at   datetimeoffset(7) NOT NULL,
    fanned_out_at datetimeoffset(7) NULL,        -- null: the fan-out job has not finished yet
    recipients    int           NULL
);
CREATE INDEX ix_notification_events_pending ON notification_events (fanned_out_at, id);

-- One notification per user and event. E-mail: null when none is due (SMTP off, no address), else
-- pending → sending → sent, or back to pending with the attempt counted and the error kept, failed after the last.
CREATE TABLE notifications (
    id                  bigint IDENTITY(1, 1) PRIMARY KEY,
    user_id             bigint        NOT NULL REFERENCES users (id),
    event_id            bigint        NOT NULL REFERENCES notification_events (id),
    source_key          nvarchar(300) NOT NULL,
    kind                varchar(32)   NOT NULL,
    title_zh            nvarchar(max) NOT NULL,
    title_en            nvarchar(max) NOT NULL,
    body_zh             nvarchar(max) NOT NULL,
    body_en             nvarchar(max) NOT NULL,
    link                nvarchar(max) NOT NULL,
    created_at          datetimeoffset(7) NOT NULL,
    read_at             datetimeoffset(7) NULL,
    email_to            nvarchar(254) NULL,
    email_status        varchar(16)   NULL,
    email_attempts      int           NOT NULL DEFAULT 0,
    email_last_error    nvarchar(max) NULL,
    email_last_attempt_at datetimeoffset(7) NULL,
    email_sent_at       datetimeoffset(7) NULL,
    CONSTRAINT uq_notifications_user_source UNIQUE (user_id, source_key)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at, id);
CREATE INDEX ix_notifications_email ON notifications (email_status, id);

-- Where a user's e-mail notifications go (none: in-app only); set by the user or an administrator.
ALTER TABLE users ADD email nvarchar(254) NULL;
