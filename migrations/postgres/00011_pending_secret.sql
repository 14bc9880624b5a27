-- A secret factdesk shows once (a new API token, a generated password) is
-- kept for the page that the form redirects to, on the session of the
-- person who made it: sealed with a key derived from the session's cookie,
-- which the database does not hold (it keeps the cookie's SHA-256), and
-- only until pending_secret_until. Taking it clears both columns.

-- +goose Up
ALTER TABLE sessions ADD COLUMN pending_secret bytea;
ALTER TABLE sessions ADD COLUMN pending_secret_until timestamptz;

-- +goose Down
ALTER TABLE sessions DROP COLUMN pending_secret_until;
ALTER TABLE sessions DROP COLUMN pending_secret;
