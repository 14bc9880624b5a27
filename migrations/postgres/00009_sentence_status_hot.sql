-- A sentence's status leaves the indexes, so that labeling it is a HOT
-- update. 00007 gave every page room for the new version of a row, but a
-- row can only be updated in place when no indexed column changes, and
-- sentences_revision_status_idx indexed the status: the first label of
-- every sentence (unreviewed to labeled) and every verdict (labeled to
-- verified, disputed, unverifiable) wrote a new entry into each of the
-- table's five indexes, the 32 keys of the GIN index on bands among them.
-- That is most of the writes a review makes. The article list's progress
-- counts now read a revision's rows through its (revision_id, idx) key
-- instead of from the index alone: a page of 50 articles reads their
-- sentences, a few thousand rows. Measured with `factdesk bench --quick`,
-- three alternating runs on one machine: labels 0.21-0.23 of the floor
-- before, 0.30-0.31 after.
--
-- SQLite keeps the index (see its migration of the same number).

-- +goose Up
DROP INDEX sentences_revision_status_idx;

-- +goose Down
CREATE INDEX sentences_revision_status_idx ON sentences (revision_id, status);
