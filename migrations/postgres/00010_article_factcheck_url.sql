-- Where the newsroom published its fact-check of an article: ClaimReview
-- markup must point there, not at factdesk's own report, which only
-- signed-in staff can read. NULL until someone sets it.

-- +goose Up
ALTER TABLE articles ADD COLUMN factcheck_url text
    CHECK (factcheck_url IS NULL OR (factcheck_url <> '' AND length(factcheck_url) <= 2000));

-- +goose Down
ALTER TABLE articles DROP COLUMN factcheck_url;
