-- The review workflow: rounds of review with their decisions, and comment
-- threads on articles and sentences. A sentence's history is its audit
-- events, found by entity and id.

-- +goose Up
CREATE TABLE review_rounds (
    id           bigserial PRIMARY KEY,
    article_id   bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number       integer     NOT NULL CHECK (number >= 1),
    opened_at    timestamptz NOT NULL,
    opened_by    bigint REFERENCES users (id),
    submitted_at timestamptz,
    submitted_by bigint REFERENCES users (id),
    decided_at   timestamptz,
    decided_by   bigint REFERENCES users (id),
    decision     text CHECK (decision IN ('approved', 'changes_requested')),
    comment      text        NOT NULL DEFAULT '',
    UNIQUE (article_id, number),
    CHECK ((decided_at IS NULL) = (decision IS NULL)),
    CHECK (decided_at IS NULL OR submitted_at IS NOT NULL)
);

CREATE TABLE comments (
    id          bigserial PRIMARY KEY,
    article_id  bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_id bigint REFERENCES sentences (id) ON DELETE CASCADE,
    parent_id   bigint REFERENCES comments (id) ON DELETE CASCADE,
    round_id    bigint REFERENCES review_rounds (id),
    author_id   bigint      NOT NULL REFERENCES users (id),
    kind        text        NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'change_request', 'decision')),
    body        text        NOT NULL CHECK (body <> ''),
    resolved_at timestamptz,
    resolved_by bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX comments_article_idx ON comments (article_id, id);
CREATE INDEX comments_sentence_idx ON comments (sentence_id);

CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_actor_idx ON audit_events (article_id, actor_id, seq);

-- +goose Down
DROP INDEX audit_events_actor_idx;
DROP INDEX audit_events_entity_idx;
DROP TABLE comments;
DROP TABLE review_rounds;
