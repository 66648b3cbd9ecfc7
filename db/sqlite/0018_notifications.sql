-- Notifications (issue 13 item 5). A step of a workflow records what happened that people must hear of (a task for
-- their groups, a reminder at 50 % / 75 % / the working day before due, a breach, an escalation) as one event row in
-- its own transaction: the outbox. After commit a job fans the event out to the users who hold the groups in the
-- organisation (one notification each) and sends the e-mails. The unique keys make a replayed step or a retried job
-- create nothing new.
CREATE TABLE notification_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source_key    TEXT    NOT NULL UNIQUE, -- e.g. task:{taskId}, breach:{instanceId}/{clock}/{dueAt}
    kind          TEXT    NOT NULL,        -- task | reminder.half | reminder.three-quarters | reminder.day-before | breach | escalation
    instance_id   TEXT    NULL,
    task_id       TEXT    NULL,
    organisation  TEXT    NOT NULL,        -- the organisation whose users hear of it
    candidate_groups TEXT NOT NULL,        -- candidate groups (roles), comma-separated
    title_zh      TEXT    NOT NULL,
    title_en      TEXT    NOT NULL,
    body_zh       TEXT    NOT NULL,
    body_en       TEXT    NOT NULL,
    link          TEXT    NOT NULL,
    occurred_at   TEXT    NOT NULL,
    fanned_out_at TEXT    NULL,            -- null: the fan-out job has not finished yet
    recipients    INTEGER NULL
);
CREATE INDEX ix_notification_events_pending ON notification_events (fanned_out_at, id);

-- One notification per user and event. E-mail: null when none is due (SMTP off, no address), else
-- pending → sending → sent, or back to pending with the attempt counted and the error kept, failed after the last.
CREATE TABLE notifications (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             INTEGER NOT NULL REFERENCES users (id),
    event_id            INTEGER NOT NULL REFERENCES notification_events (id),
    source_key          TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    title_zh            TEXT    NOT NULL,
    title_en            TEXT    NOT NULL,
    body_zh             TEXT    NOT NULL,
    body_en             TEXT    NOT NULL,
    link                TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    read_at             TEXT    NULL,
    email_to            TEXT    NULL,
    email_status        TEXT    NULL,
    email_attempts      INTEGER NOT NULL DEFAULT 0,
    email_last_error    TEXT    NULL,
    email_last_attempt_at TEXT  NULL,
    email_sent_at       TEXT    NULL,
    UNIQUE (user_id, source_key)
);
CREATE INDEX ix_notifications_user ON notifications (user_id, created_at, id);
CREATE INDEX ix_notifications_email ON notifications (email_status, id);

-- Where a user's e-mail notifications go (none: in-app only); set by the user or an administrator.
ALTER TABLE users ADD COLUMN email TEXT NULL;
