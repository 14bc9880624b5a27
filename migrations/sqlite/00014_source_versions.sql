-- Sources as they were when they were cited (see the PostgreSQL migration
-- of the same number): every change of a citable field writes a numbered
-- version, sources.version is the current one and a citation records the
-- version it cited. Existing sources get version 1 from their current
-- values, and existing citations cite it.

-- +goose Up
ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE citations ADD COLUMN source_version INTEGER NOT NULL DEFAULT 1 CHECK (source_version >= 1);

CREATE TABLE source_versions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id       INTEGER  NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    version         INTEGER  NOT NULL CHECK (version >= 1),
    kind            TEXT     NOT NULL,
    title           TEXT     NOT NULL,
    url             TEXT     NOT NULL DEFAULT '',
    publisher       TEXT     NOT NULL DEFAULT '',
    author          TEXT     NOT NULL DEFAULT '',
    published_at    DATETIME,
    archived_url    TEXT     NOT NULL DEFAULT '',
    reliability     TEXT,
    credibility     INTEGER,
    withheld        BOOLEAN  NOT NULL DEFAULT 0,
    withheld_reason TEXT     NOT NULL DEFAULT '',
    created_by      INTEGER  NOT NULL REFERENCES users (id),
    created_at      DATETIME NOT NULL,
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
