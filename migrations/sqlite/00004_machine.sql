-- The machine's reading of an article: who each sentence's claim is
-- attributed to (extracted at import, confirmed or edited by checkers),
-- and the machine reviewers' label suggestions, kept apart from the
-- labels people give.

-- +goose Up
CREATE TABLE attributions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sentence_id  INTEGER  NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    article_id   INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    speaker      TEXT     NOT NULL DEFAULT '',
    cue          TEXT     NOT NULL DEFAULT '',
    medium       TEXT     NOT NULL DEFAULT '',
    carried_over BOOLEAN  NOT NULL DEFAULT 0,
    -- The index of the sentence where the speaker is stated, if any.
    from_index   INTEGER  CHECK (from_index >= 0),
    origin       TEXT     NOT NULL CHECK (origin IN ('machine', 'checker')),
    confirmed_by INTEGER  REFERENCES users (id),
    confirmed_at DATETIME,
    updated_by   INTEGER  REFERENCES users (id),
    updated_at   DATETIME NOT NULL,
    version      INTEGER  NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (sentence_id),
    CHECK (speaker <> '' OR cue <> '' OR medium <> ''),
    CHECK (confirmed_by IS NULL OR confirmed_at IS NOT NULL),
    CHECK (origin = 'machine' OR confirmed_at IS NOT NULL)
);
CREATE INDEX attributions_article_id_idx ON attributions (article_id);

CREATE TABLE suggestions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    sentence_id      INTEGER  NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    article_id       INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    reviewer         TEXT     NOT NULL CHECK (reviewer <> ''),
    reviewer_version TEXT     NOT NULL DEFAULT '',
    label            TEXT     NOT NULL CHECK (label IN ('fact', 'allegation', 'quote', 'assessment')),
    confidence       REAL     NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    -- A JSON array of short phrases, and the JSON attribution the
    -- suggestion relied on.
    reasons          TEXT     NOT NULL DEFAULT '[]',
    attribution      TEXT     NOT NULL DEFAULT '{}',
    created_at       DATETIME NOT NULL,
    UNIQUE (sentence_id, reviewer)
);
CREATE INDEX suggestions_article_id_idx ON suggestions (article_id, reviewer);

-- +goose Down
DROP TABLE suggestions;
DROP TABLE attributions;
