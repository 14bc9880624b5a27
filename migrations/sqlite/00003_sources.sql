-- The source library and the citations that link sentences to it. The
-- PostgreSQL file adds a trigram index for searching inside titles; here
-- plain indexes serve the same queries.

-- +goose Up
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT     NOT NULL CHECK (kind IN ('web_page', 'document', 'dataset', 'official_record',
                              'interview', 'news_report', 'social_post', 'person', 'organisation')),
    title           TEXT     NOT NULL CHECK (title <> ''),
    url             TEXT     NOT NULL DEFAULT '',
    publisher       TEXT     NOT NULL DEFAULT '',
    author          TEXT     NOT NULL DEFAULT '',
    published_at    DATETIME,
    accessed_at     DATETIME,
    archived_url    TEXT     NOT NULL DEFAULT '',
    notes           TEXT     NOT NULL DEFAULT '',
    reliability     TEXT     CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    credibility     INTEGER  CHECK (credibility BETWEEN 1 AND 6),
    withheld        BOOLEAN  NOT NULL DEFAULT 0,
    withheld_reason TEXT     NOT NULL DEFAULT '',
    retrieved_at    DATETIME,
    http_status     INTEGER  CHECK (http_status BETWEEN 100 AND 599),
    content_type    TEXT     NOT NULL DEFAULT '',
    sha256          TEXT     NOT NULL DEFAULT '' CHECK (sha256 = '' OR length(sha256) = 64),
    final_url       TEXT     NOT NULL DEFAULT '',
    created_by      INTEGER  NOT NULL REFERENCES users (id),
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    CHECK (NOT withheld OR withheld_reason <> '')
);
CREATE UNIQUE INDEX sources_url_key ON sources (url) WHERE url <> '';
CREATE INDEX sources_title_idx ON sources (lower(title));
CREATE INDEX sources_publisher_idx ON sources (lower(publisher));

CREATE TABLE citations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sentence_id INTEGER  NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    article_id  INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id   INTEGER  NOT NULL REFERENCES sources (id) ON DELETE RESTRICT,
    relation    TEXT     NOT NULL CHECK (relation IN ('supports', 'contradicts', 'context', 'origin')),
    excerpt     TEXT     NOT NULL DEFAULT '',
    locator     TEXT     NOT NULL DEFAULT '',
    created_by  INTEGER  NOT NULL REFERENCES users (id),
    created_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX citations_sentence_source_relation_key ON citations (sentence_id, source_id, relation);
CREATE INDEX citations_source_id_idx ON citations (source_id);

-- +goose Down
DROP TABLE citations;
DROP TABLE sources;
