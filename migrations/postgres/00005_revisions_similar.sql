-- Revisions carry the check over, and the same claim is found in other
-- articles.
--
-- revision_changes records what each new revision did to the sentences of
-- the one before: sentences moved, changed (with the word-level
-- difference) or new, and sentences removed, each with the check it had,
-- so that the corrections log survives later work on the sentences.
-- Unchanged sentences have no row; their carry-over is an audit event.
--
-- sentences.norm holds similar.Normalize(text) and sentences.bands the
-- MinHash band keys of that text (similar.Sign, similar.Bands; NULL for
-- a sentence of fewer than similar.MinWords words), both computed in Go
-- when a sentence is stored. A GIN index on bands finds the sentences
-- that share a key with a given one (&&), and pg_trgm's similarity() of
-- the norms scores them: a trigram index on norm would find the
-- candidates exactly, but for sentence-length texts at a threshold of 0.5
-- its scan merges the posting lists of half the query's trigrams, common
-- ones included, and grows with the table (half a second at 200,000
-- sentences), where 32 band keys cost a few index probes at any size.
-- The index does without GIN's pending list (fastupdate): band keys are
-- nearly all distinct, so batching their insertion saves little, while a
-- full pending list costs every lookup a scan of it (25 ms at 100,000
-- sentences). Rows stored before this migration keep an empty norm until
-- "factdesk similar --reindex" fills them: the normalisation is Go code, and SQL
-- approximating it would index a text that new rows do not match.

-- +goose Up
ALTER TABLE sentences ADD COLUMN norm text NOT NULL DEFAULT '';
ALTER TABLE sentences ADD COLUMN bands bigint[];
CREATE INDEX sentences_bands_idx ON sentences USING gin (bands) WITH (fastupdate = off);

CREATE TABLE revision_changes (
    id              bigserial PRIMARY KEY,
    article_id      bigint           NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision_id     bigint           NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    kind            text             NOT NULL CHECK (kind IN ('moved', 'changed', 'new', 'removed')),
    -- The sentence of the new revision; NULL for a removed one.
    sentence_id     bigint           REFERENCES sentences (id) ON DELETE CASCADE,
    -- The sentence of the revision before; NULL for a new one.
    old_sentence_id bigint           REFERENCES sentences (id) ON DELETE CASCADE,
    similarity      double precision NOT NULL DEFAULT 0 CHECK (similarity >= 0 AND similarity <= 1),
    -- JSON: the word-level difference of a changed sentence, and the
    -- check before and after the revision; NULL when there is none.
    diff            text,
    before_state    text,
    after_state     text,
    CHECK ((kind = 'removed') = (sentence_id IS NULL)),
    CHECK ((kind = 'new') = (old_sentence_id IS NULL))
);
CREATE INDEX revision_changes_revision_idx ON revision_changes (revision_id);
CREATE INDEX revision_changes_article_idx ON revision_changes (article_id);

-- +goose Down
DROP TABLE revision_changes;
DROP INDEX sentences_bands_idx;
ALTER TABLE sentences DROP COLUMN bands;
ALTER TABLE sentences DROP COLUMN norm;
