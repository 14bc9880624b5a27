-- Sources as they were when they were cited. A source is shared by every
-- article that cites it and stays editable, so an approved report that
-- read the source's current row showed whatever a checker wrote later
-- (issue 18): a new title, a new URL. Every change of a citable field
-- (what a report shows of a source) now writes a numbered version of
-- them; sources.version is the current one, and a citation records the
-- version it cited. The report of an approved article shows each source
-- as it was at the approval and says what has changed since.
-- Existing sources get version 1 from their current values, and existing
-- citations cite it: what they saw before is not known.

-- +goose Up
ALTER TABLE sources ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE citations ADD COLUMN source_version integer NOT NULL DEFAULT 1 CHECK (source_version >= 1);

CREATE TABLE source_versions (
    id              bigserial PRIMARY KEY,
    source_id       bigint      NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    version         integer     NOT NULL CHECK (version >= 1),
    kind            text        NOT NULL,
    title           text        NOT NULL,
    url             text        NOT NULL DEFAULT '',
    publisher       text        NOT NULL DEFAULT '',
    author          text        NOT NULL DEFAULT '',
    published_at    timestamptz,
    archived_url    text        NOT NULL DEFAULT '',
    reliability     text,
    credibility     integer,
    withheld        boolean     NOT NULL DEFAULT false,
    withheld_reason text        NOT NULL DEFAULT '',
    created_by      bigint      NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    UNIQUE (source_id, version)
);

INSERT INTO source_versions (source_id, version, kind, title, url, publisher, author, published_at, archived_url,
        reliability, credibility, withheld, withheld_reason, created_by, created_at)
    SELECT id, 1, kind, title, url, publisher, author, published_at, archived_url,
        reliability, credibility, withheld, withheld_reason, created_by, created_at
    FROM sources;

-- +goose Down
DROP TABLE source_versions;
ALTER TABLE citations DROP COLUMN source_version;
ALTER TABLE sources DROP COLUMN version;
