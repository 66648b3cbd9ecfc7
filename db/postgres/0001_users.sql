-- Staff accounts and their roles (DESIGN §6). Usernames are stored lower-case; instants are UTC.
CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username          varchar(64)  NOT NULL UNIQUE,
    display_name      varchar(100) NOT NULL,
    organisation_code varchar(32)  NOT NULL,
    password_hash     text         NOT NULL,
    is_active         boolean      NOT NULL DEFAULT true,
    created_at        timestamptz  NOT NULL,
    created_by        varchar(64)  NOT NULL
);

CREATE INDEX ix_users_organisation ON users (organisation_code, username);

CREATE TABLE user_roles (
    user_id bigint      NOT NULL REFERENCES users (id),
    role    varchar(32) NOT NULL,
    PRIMARY KEY (user_id, role)
);
