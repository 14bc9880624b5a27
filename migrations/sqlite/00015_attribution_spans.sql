-- Where the machine's reading of an attribution lies in the article (see
-- the PostgreSQL migration of the same number): a JSON array of spans
-- with start and end in code points of the body, and the reader's
-- probability that the sentence holds attributed content (0: not known).

-- +goose Up
ALTER TABLE attributions ADD COLUMN spans TEXT NOT NULL DEFAULT '[]';
ALTER TABLE attributions ADD COLUMN confidence REAL NOT NULL DEFAULT 0 CHECK (confidence >= 0 AND confidence <= 1);

-- +goose Down
ALTER TABLE attributions DROP COLUMN confidence;
ALTER TABLE attributions DROP COLUMN spans;
