-- The review workflow: rounds of review with their decisions, and comment
-- threads on articles and sentences. A sentence's history is its audit
-- events, found by entity and id.

-- +goose Up
CREATE TABLE review_rounds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id   INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number       INTEGER  NOT NULL CHECK (number >= 1),
    opened_at    DATETIME NOT NULL,
    opened_by    INTEGER REFERENCES users (id),
    submitted_at DATETIME,
    submitted_by INTEGER REFERENCES users (id),
    decided_at   DATETIME,
    decided_by   INTEGER REFERENCES users (id),
    decision     TEXT CHECK (decision IN ('approved', 'changes_requested')),
    comment      TEXT     NOT NULL DEFAULT '',
    UNIQUE (article_id, number),
    CHECK ((decided_at IS NULL) = (decision IS NULL)),
    CHECK (decided_at IS NULL OR submitted_at IS NOT NULL)
);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence_id INTEGER REFERENCES sentences (id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    round_id    INTEGER REFERENCES review_rounds (id),
    author_id   INTEGER  NOT NULL REFERENCES users (id),
    kind        TEXT     NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'change_request', 'decision')),
    body        TEXT     NOT NULL CHECK (body <> ''),
    resolved_at DATETIME,
    resolved_by INTEGER REFERENCES users (id),
    created_at  DATETIME NOT NULL
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
