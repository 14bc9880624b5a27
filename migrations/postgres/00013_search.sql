-- Search across the archive: article titles, sentence text, notes,
-- attribution speakers, comments and sources, one row per searchable
-- text. The words are computed in Go (package search) and stored here as
-- a tsvector built from them, not by PostgreSQL's parser, so that SQLite's
-- FTS5 table over the same words finds the same rows. A row belongs to an
-- article (article_id; NULL for a source) and, for sentence text, notes,
-- speakers and comments on a sentence, to a sentence (sentence_id).
--
-- kind and ref_id name what the row indexes: 'article' (ref_id = article
-- id: its title), 'sentence', 'note' and 'speaker' (ref_id = sentence id),
-- 'comment' (comment id), 'source' (source id: title, publisher, URL).
--
-- The GIN index on the sentences' rows finds rare words; the primary
-- key, scanned backwards, serves common words newest first, which is how
-- search pages (ranking within the newest matches; see
-- models/search_stats.go for how the two are chosen). Titles, article
-- comments and sources, a few percent of the rows, have a GIN index of
-- their own, so that finding them does not mean reading past the
-- sentences. sentence_id's index serves
-- the check that a sentence was not already shown on an earlier page.
-- The sentences' GIN index keeps a pending list, but a small one (1 MB,
-- not the 4 MB default): an import's thousands of rows go into the list
-- and are merged into the index in sorted batches (inserting each row's
-- words straight into the index made an import a third slower), while a
-- search scans at most a megabyte of unmerged entries, and the planner,
-- which prices that scan, keeps choosing the index (with the default, it
-- preferred reading the whole table right after an import). The index of
-- titles and sources, one row an article, has no pending list.
-- Rows stored before this migration are indexed by "factdesk search
-- --reindex", which serve runs by itself when the index is empty.

-- +goose Up
CREATE TABLE search_docs (
    id          bigserial PRIMARY KEY,
    kind        text     NOT NULL CHECK (kind IN ('article', 'sentence', 'note', 'speaker', 'comment', 'source')),
    ref_id      bigint   NOT NULL,
    article_id  bigint   REFERENCES articles (id) ON DELETE CASCADE,
    sentence_id bigint   REFERENCES sentences (id) ON DELETE CASCADE,
    tsv         tsvector NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv) WITH (fastupdate = on, gin_pending_list_limit = 1024) WHERE sentence_id IS NOT NULL;
CREATE INDEX search_docs_meta_tsv_idx ON search_docs USING gin (tsv) WITH (fastupdate = off) WHERE sentence_id IS NULL;
CREATE INDEX search_docs_sentence_idx ON search_docs (sentence_id) WHERE sentence_id IS NOT NULL;
CREATE INDEX search_docs_article_idx ON search_docs (article_id);

-- +goose Down
DROP TABLE search_docs;
