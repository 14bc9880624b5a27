-- The machine's reading of an article: who each sentence's claim is
-- attributed to (extracted at import, confirmed or edited by checkers),
-- and the machine reviewers' label suggestions, kept apart from the
-- labels people give.

-- +goose Up
CREATE TABLE attributions (
    id           bigserial PRIMARY KEY,
    sentence_id  bigint      NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    article_id   bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    speaker      text        NOT NULL DEFAULT '',
    cue          text        NOT NULL DEFAULT '',
    medium       text        NOT NULL DEFAULT '',
    carried_over boolean     NOT NULL DEFAULT false,
    -- The index of the sentence where the speaker is stated, if any.
    from_index   integer     CHECK (from_index >= 0),
    origin       text        NOT NULL CHECK (origin IN ('machine', 'checker')),
    confirmed_by bigint      REFERENCES users (id),
    confirmed_at timestamptz,
    updated_by   bigint      REFERENCES users (id),
    updated_at   timestamptz NOT NULL,
    version      integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (sentence_id),
    CHECK (speaker <> '' OR cue <> '' OR medium <> ''),
    CHECK (confirmed_by IS NULL OR confirmed_at IS NOT NULL),
    CHECK (origin = 'machine' OR confirmed_at IS NOT NULL)
);
CREATE INDEX attributions_article_id_idx ON attributions (article_id);

CREATE TABLE suggestions (
    id               bigserial PRIMARY KEY,
    sentence_id      bigint           NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    article_id       bigint           NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    reviewer         text             NOT NULL CHECK (reviewer <> ''),
    reviewer_version text             NOT NULL DEFAULT '',
    label            text             NOT NULL CHECK (label IN ('fact', 'allegation', 'quote', 'assessment')),
    confidence       double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    -- A JSON array of short phrases, and the JSON attribution the
    -- suggestion relied on.
    reasons          text             NOT NULL DEFAULT '[]',
    attribution      text             NOT NULL DEFAULT '{}',
    created_at       timestamptz      NOT NULL,
    UNIQUE (sentence_id, reviewer)
);
CREATE INDEX suggestions_article_id_idx ON suggestions (article_id, reviewer);

-- +goose Down
DROP TABLE suggestions;
DROP TABLE attributions;
