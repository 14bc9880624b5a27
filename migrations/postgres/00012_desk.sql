-- The newsroom's desk: who is assigned to an article and by when, the
-- notifications people receive and which they want, the webhooks admins
-- register, and the durable outbox through which mail and webhook
-- deliveries leave (written in the transaction of the event they tell of).

-- +goose Up
-- The soonest due time of the article's assignments, kept beside the
-- article so that the list can filter and sort by it page by page.
ALTER TABLE articles ADD COLUMN due_at timestamptz;
CREATE INDEX articles_due_idx ON articles (due_at, id) WHERE due_at IS NOT NULL;

CREATE TABLE assignments (
    article_id       bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id          bigint      NOT NULL REFERENCES users (id),
    priority         text        NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'high', 'urgent')),
    due_at           timestamptz,
    assigned_by      bigint      REFERENCES users (id),
    assigned_at      timestamptz NOT NULL,
    due_soon_sent_at timestamptz,
    overdue_sent_at  timestamptz,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX assignments_user_idx ON assignments (user_id, due_at);
CREATE INDEX assignments_due_idx ON assignments (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE notifications (
    id         bigserial PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id),
    event      text        NOT NULL,
    article_id bigint      REFERENCES articles (id) ON DELETE CASCADE,
    comment_id bigint,
    actor_id   bigint,
    actor      text        NOT NULL DEFAULT '',
    link       text        NOT NULL DEFAULT '',
    summary    text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE notification_prefs (
    user_id bigint  NOT NULL REFERENCES users (id),
    event   text    NOT NULL,
    in_app  boolean NOT NULL,
    email   boolean NOT NULL,
    PRIMARY KEY (user_id, event)
);

CREATE TABLE webhooks (
    id         bigserial PRIMARY KEY,
    url        text        NOT NULL,
    events     text        NOT NULL,
    secret     text        NOT NULL,
    created_by bigint      REFERENCES users (id),
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);

CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('email', 'webhook')),
    webhook_id      bigint      REFERENCES webhooks (id),
    notification_id bigint,
    event           text        NOT NULL,
    message_id      text        NOT NULL,
    recipient       text        NOT NULL DEFAULT '',
    payload         text        NOT NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_owner     text,
    lease_until     timestamptz,
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_status     integer,
    last_error      text        NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_webhook_idx ON outbox (webhook_id, id);

CREATE TABLE outbox_attempts (
    id          bigserial PRIMARY KEY,
    outbox_id   bigint      NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    status      integer,
    error       text        NOT NULL DEFAULT '',
    duration_ms integer     NOT NULL DEFAULT 0
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
