-- A secret factdesk shows once, kept sealed on the session for the page a
-- form redirects to (see the PostgreSQL migration of the same number).

-- +goose Up
ALTER TABLE sessions ADD COLUMN pending_secret BLOB;
ALTER TABLE sessions ADD COLUMN pending_secret_until DATETIME;

-- +goose Down
ALTER TABLE sessions DROP COLUMN pending_secret_until;
ALTER TABLE sessions DROP COLUMN pending_secret;
