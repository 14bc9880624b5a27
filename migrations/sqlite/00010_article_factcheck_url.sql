-- Where the newsroom published its fact-check of an article (see the
-- PostgreSQL migration of the same number). NULL until someone sets it.

-- +goose Up
ALTER TABLE articles ADD COLUMN factcheck_url TEXT
    CHECK (factcheck_url IS NULL OR (factcheck_url <> '' AND length(factcheck_url) <= 2000));

-- +goose Down
ALTER TABLE articles DROP COLUMN factcheck_url;
