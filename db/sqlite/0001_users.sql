-- Staff accounts and their roles (DESIGN §6). Usernames are stored lower-case; instants are UTC ISO text.
CREATE TABLE users (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    username          TEXT    NOT NULL UNIQUE,
    display_name      TEXT    NOT NULL,
    organisation_code TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL,
    is_active         INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at        TEXT    NOT NULL,
    created_by        TEXT    NOT NULL
);

CREATE INDEX ix_users_organisation ON users (organisation_code, username);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role    TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);
