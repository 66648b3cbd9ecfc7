-- Notifications (issue 13 item 5). A step of a workflow records what happened that people must hear of (a task for
-- their groups, a reminder at 50 % / 75 % / the working day before due, a breach, an escalation) as one event row in
-- its own transaction: the outbox. After commit a job fans the event out to the users who hold the groups in the
-- organisation (one notification each) and sends the e-mails. The unique keys make a replayed step or a retried job
-- create nothing new.
CREATE TABLE notification_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_key    varchar(300) NOT NULL UNIQUE, -- e.g. task:{taskId}, breach:{instanceId}/{clock}/{dueAt}
    kind          varchar(32)  NOT NULL,        -- task | reminder.half | reminder.three-quarters | reminder.day-before | breach | escalation
    instance_id   uuid         NULL,
    task_id       uuid         NULL,
    organisation  varchar(32)  NOT NULL,        -- the organisation whose users hear of it
    candidate_groups text      NOT NULL,        -- candidate groups (roles), comma-separated
    title_zh      text         NOT NULL,
    title_en      text         NOT NULL,
    body_zh       text         NOT NULL,
    body_en       text         NOT NULL,
    link          text         NOT NULL,
    occurred_at   timestamptz  NOT NULL,
    fanned_out_at timestamptz  NULL,            -- null: the fan-out job has not finished yet
    recipients    integer      NULL
);
CREATE INDEX ix_notification_events_pending ON notification_events (fanned_out_at, id);

-- One notification per user and event. E-mail: null when none is due (SMTP off, no address), else
-- pending → sending → sent, or back to pending with the attempt counted and the error kept, failed after the last.
CREATE TABLE notifications (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint       NOT NULL REFERENCES users (id),
    event_id            bigint       NOT NULL REFERENCES notification_events (id),
    source_key          varchar(300) NOT NULL,
    kind                varchar(32)  NOT NULL,
    title_zh            text         NOT NULL,
    title_en            text         NOT NULL,
    body_zh             text         NOT NULL,
    body_en             text         NOT NULL,
    link                text         NOT NULL,
    created_at          timestamptz  NOT NULL,
    read_at             timestamptz  NULL,
    email_to            varchar(254) NULL,
    email_status        varchar(16)  NULL,
    email_attempts      integer      NOT NULL DEFAULT 0,
    email_last_error    text         NULL,
    email_last_attempt_at timestamptz NULL,
    email_sent_at       timestamptz  NULL,
    UNIQUE (user_id, source_key)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at, id);
CREATE INDEX ix_notifications_email ON notifications (email_status, id);

-- Where a user's e-mail notifications go (none: in-app only); set by the user or an administrator.
ALTER TABLE users ADD COLUMN email varchar(254) NULL;
