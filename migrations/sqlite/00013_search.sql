-- Search across the archive (see the PostgreSQL migration of the same
-- number): one row per searchable text, with its words computed in Go
-- (package search), and an FTS5 index over them. FTS5's "ascii" tokenizer
-- splits on ASCII spaces and punctuation only, so it sees exactly the
-- words Go wrote: the same data finds the same rows on both databases.
-- The FTS5 table reads its text from search_docs (external content);
-- triggers keep the two in step, including the rows that cascade away
-- with their article or sentence.

-- +goose Up
CREATE TABLE search_docs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL CHECK (kind IN ('article', 'sentence', 'note', 'speaker', 'comment', 'source')),
    ref_id      INTEGER NOT NULL,
    article_id  INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    sentence_id INTEGER REFERENCES sentences (id) ON DELETE CASCADE,
    words       TEXT    NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_sentence_idx ON search_docs (sentence_id) WHERE sentence_id IS NOT NULL;
CREATE INDEX search_docs_article_idx ON search_docs (article_id);

CREATE VIRTUAL TABLE search_fts USING fts5(words, content='search_docs', content_rowid='id', tokenize='ascii');
-- Titles, article comments and sources (the rows without a sentence), a
-- few percent of the rows, again in a small FTS5 table of their own: the
-- articles and sources of a common word are then found without walking
-- past every sentence that has it (100 ms for "said" at 300,000
-- sentences). It keeps its own copy of the words: an external-content
-- table indexing only some rows of its content would fail SQLite's
-- integrity check.
CREATE VIRTUAL TABLE search_meta_fts USING fts5(words, tokenize='ascii');

-- +goose StatementBegin
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, words) VALUES (new.id, new.words);
    INSERT INTO search_meta_fts (rowid, words) SELECT new.id, new.words WHERE new.sentence_id IS NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, words) VALUES ('delete', old.id, old.words);
    DELETE FROM search_meta_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_au AFTER UPDATE OF words ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, words) VALUES ('delete', old.id, old.words);
    INSERT INTO search_fts (rowid, words) VALUES (new.id, new.words);
    UPDATE search_meta_fts SET words = new.words WHERE rowid = new.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_docs_au;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_ai;
DROP TABLE search_meta_fts;
DROP TABLE search_fts;
DROP TABLE search_docs;
