-- Revisions carry the check over, and the same claim is found in other
-- articles.
--
-- revision_changes records what each new revision did to the sentences of
-- the one before: sentences moved, changed (with the word-level
-- difference) or new, and sentences removed, each with the check it had,
-- so that the corrections log survives later work on the sentences.
-- Unchanged sentences have no row; their carry-over is an audit event.
--
-- sentences.norm holds similar.Normalize(text), computed in Go when a
-- sentence is stored. PostgreSQL keeps the MinHash band keys of the norm
-- in sentences.bands under a GIN index; SQLite has no such index, so the
-- column stays NULL here and sentence_bands holds the keys of every
-- sentence of at least similar.MinWords words (similar.Sign,
-- similar.Bands), one row each, looked up by key; the candidates are
-- scored in Go with pg_trgm's similarity. Rows stored before this
-- migration get their norm and bands from "factdesk similar --reindex".

-- +goose Up
ALTER TABLE sentences ADD COLUMN norm TEXT NOT NULL DEFAULT '';
ALTER TABLE sentences ADD COLUMN bands TEXT;

-- Looked up by key only. There is deliberately no index on sentence_id:
-- it would double the cost of storing an article's 32 keys per sentence,
-- and factdesk never deletes sentences; a feature that does must add it.
CREATE TABLE sentence_bands (
    band_key    INTEGER NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, sentence_id)
) WITHOUT ROWID;

CREATE TABLE revision_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision_id     INTEGER NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('moved', 'changed', 'new', 'removed')),
    -- The sentence of the new revision; NULL for a removed one.
    sentence_id     INTEGER REFERENCES sentences (id) ON DELETE CASCADE,
    -- The sentence of the revision before; NULL for a new one.
    old_sentence_id INTEGER REFERENCES sentences (id) ON DELETE CASCADE,
    similarity      REAL    NOT NULL DEFAULT 0 CHECK (similarity >= 0 AND similarity <= 1),
    -- JSON: the word-level difference of a changed sentence, and the
    -- check before and after the revision; NULL when there is none.
    diff            TEXT,
    before_state    TEXT,
    after_state     TEXT,
    CHECK ((kind = 'removed') = (sentence_id IS NULL)),
    CHECK ((kind = 'new') = (old_sentence_id IS NULL))
);
CREATE INDEX revision_changes_revision_idx ON revision_changes (revision_id);
CREATE INDEX revision_changes_article_idx ON revision_changes (article_id);

-- +goose Down
DROP TABLE revision_changes;
DROP TABLE sentence_bands;
ALTER TABLE sentences DROP COLUMN bands;
ALTER TABLE sentences DROP COLUMN norm;
