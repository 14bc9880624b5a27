-- Blind second opinions: an editor asks a second checker to label an
-- article's sentences without seeing the first labels, then settles the
-- disagreements.

-- +goose Up
CREATE TABLE second_opinions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id   INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision_id  INTEGER  NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    requested_by INTEGER  NOT NULL REFERENCES users (id),
    assignee_id  INTEGER  NOT NULL REFERENCES users (id),
    status       TEXT     NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'settled', 'cancelled')),
    requested_at DATETIME NOT NULL,
    completed_at DATETIME,
    settled_at   DATETIME,
    CHECK (requested_by <> assignee_id)
);
CREATE INDEX second_opinions_article_idx ON second_opinions (article_id);
CREATE INDEX second_opinions_assignee_idx ON second_opinions (assignee_id, status);

CREATE TABLE opinion_labels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id  INTEGER  NOT NULL REFERENCES second_opinions (id) ON DELETE CASCADE,
    sentence_id INTEGER  NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    label       TEXT     NOT NULL CHECK (label IN ('fact', 'allegation', 'quote', 'assessment')),
    updated_at  DATETIME NOT NULL,
    UNIQUE (opinion_id, sentence_id)
);

-- +goose Down
DROP TABLE opinion_labels;
DROP TABLE second_opinions;
