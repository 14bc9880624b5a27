-- The newsroom's desk: who is assigned to an article and by when, the
-- notifications people receive and which they want, the webhooks admins
-- register, and the durable outbox through which mail and webhook
-- deliveries leave (written in the transaction of the event they tell of).

-- +goose Up
-- The soonest due time of the article's assignments, kept beside the
-- article so that the list can filter and sort by it page by page.
ALTER TABLE articles ADD COLUMN due_at DATETIME;
CREATE INDEX articles_due_idx ON articles (due_at, id) WHERE due_at IS NOT NULL;

CREATE TABLE assignments (
    article_id       INTEGER     NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id          INTEGER     NOT NULL REFERENCES users (id),
    priority         TEXT        NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'high', 'urgent')),
    due_at           DATETIME,
    assigned_by      INTEGER     REFERENCES users (id),
    assigned_at      DATETIME    NOT NULL,
    due_soon_sent_at DATETIME,
    overdue_sent_at  DATETIME,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX assignments_user_idx ON assignments (user_id, due_at);
CREATE INDEX assignments_due_idx ON assignments (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER     NOT NULL REFERENCES users (id),
    event      TEXT        NOT NULL,
    article_id INTEGER     REFERENCES articles (id) ON DELETE CASCADE,
    comment_id INTEGER,
    actor_id   INTEGER,
    actor      TEXT        NOT NULL DEFAULT '',
    link       TEXT        NOT NULL DEFAULT '',
    summary    TEXT        NOT NULL DEFAULT '',
    created_at DATETIME    NOT NULL,
    read_at    DATETIME
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE notification_prefs (
    user_id INTEGER  NOT NULL REFERENCES users (id),
    event   TEXT    NOT NULL,
    in_app  BOOLEAN NOT NULL,
    email   BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, event)
);

CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    url        TEXT        NOT NULL,
    events     TEXT        NOT NULL,
    secret     TEXT        NOT NULL,
    created_by INTEGER     REFERENCES users (id),
    created_at DATETIME    NOT NULL,
    deleted_at DATETIME
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT        NOT NULL CHECK (kind IN ('email', 'webhook')),
    webhook_id      INTEGER     REFERENCES webhooks (id),
    notification_id INTEGER,
    event           TEXT        NOT NULL,
    message_id      TEXT        NOT NULL,
    recipient       TEXT        NOT NULL DEFAULT '',
    payload         TEXT        NOT NULL,
    created_at      DATETIME    NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at DATETIME    NOT NULL,
    lease_owner     TEXT,
    lease_until     DATETIME,
    sent_at         DATETIME,
    failed_at       DATETIME,
    last_status     INTEGER,
    last_error      TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_webhook_idx ON outbox (webhook_id, id);

CREATE TABLE outbox_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id   INTEGER     NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempt     INTEGER     NOT NULL,
    at          DATETIME    NOT NULL,
    status      INTEGER,
    error       TEXT        NOT NULL DEFAULT '',
    duration_ms INTEGER     NOT NULL DEFAULT 0
);
CREATE INDEX outbox_attempts_outbox_idx ON outbox_attempts (outbox_id, attempt);

-- +goose Down
DROP TABLE outbox_attempts;
DROP TABLE outbox;
DROP TABLE webhooks;
DROP TABLE notification_prefs;
DROP TABLE notifications;
DROP TABLE assignments;
DROP INDEX articles_due_idx;
ALTER TABLE articles DROP COLUMN due_at;
