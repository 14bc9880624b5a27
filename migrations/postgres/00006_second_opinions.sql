-- Blind second opinions: an editor asks a second checker to label an
-- article's sentences without seeing the first labels, then settles the
-- disagreements.

-- +goose Up
CREATE TABLE second_opinions (
    id           bigserial PRIMARY KEY,
    article_id   bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision_id  bigint      NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    requested_by bigint      NOT NULL REFERENCES users (id),
    assignee_id  bigint      NOT NULL REFERENCES users (id),
    status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'settled', 'cancelled')),
    requested_at timestamptz NOT NULL,
    completed_at timestamptz,
    settled_at   timestamptz,
    CHECK (requested_by <> assignee_id)
);
CREATE INDEX second_opinions_article_idx ON second_opinions (article_id);
CREATE INDEX second_opinions_assignee_idx ON second_opinions (assignee_id, status);

CREATE TABLE opinion_labels (
    id          bigserial PRIMARY KEY,
    opinion_id  bigint      NOT NULL REFERENCES second_opinions (id) ON DELETE CASCADE,
    sentence_id bigint      NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    label       text        NOT NULL CHECK (label IN ('fact', 'allegation', 'quote', 'assessment')),
    updated_at  timestamptz NOT NULL,
    UNIQUE (opinion_id, sentence_id)
);

-- +goose Down
DROP TABLE opinion_labels;
DROP TABLE second_opinions;
