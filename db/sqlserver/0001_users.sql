-- Staff accounts and their roles (DESIGN §6). Usernames are stored lower-case; instants are UTC.
CREATE TABLE users (
    id                bigint IDENTITY(1, 1) PRIMARY KEY,
    username          nvarchar(64)   NOT NULL CONSTRAINT uq_users_username UNIQUE,
    display_name      nvarchar(100)  NOT NULL,
    organisation_code varchar(32)    NOT NULL,
    password_hash     nvarchar(400)  NOT NULL,
    is_active         bit            NOT NULL DEFAULT 1,
    created_at        datetimeoffset(7) NOT NULL,
    created_by        nvarchar(64)   NOT NULL
);

CREATE INDEX ix_users_organisation ON users (organisation_code, username);

CREATE TABLE user_roles (
    user_id bigint      NOT NULL REFERENCES users (id),
    role    varchar(32) NOT NULL,
    PRIMARY KEY (user_id, role)
);
