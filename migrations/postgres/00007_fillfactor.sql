-- Room on every page for the new version of a row, so that the updates a
-- review makes all day — a sentence's label, status and version; an
-- article's audit head — are HOT updates: PostgreSQL writes the new row
-- version on the same page and touches none of the table's indexes (the
-- GIN indexes on sentences.bands and articles.title are the costly ones).
-- Existing pages keep their packing until rewritten; new imports get the
-- room at once.

-- +goose Up
ALTER TABLE sentences SET (fillfactor = 80);
ALTER TABLE articles SET (fillfactor = 50);

-- +goose Down
ALTER TABLE articles RESET (fillfactor);
ALTER TABLE sentences RESET (fillfactor);
