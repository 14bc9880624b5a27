-- The source library and the citations that link sentences to it.

-- +goose Up
CREATE TABLE sources (
    id              bigserial PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('web_page', 'document', 'dataset', 'official_record',
                                 'interview', 'news_report', 'social_post', 'person', 'organisation')),
    title           text        NOT NULL CHECK (title <> ''),
    -- Normalised (urlnorm.Normalize), so that one page is one source.
    url             text        NOT NULL DEFAULT '',
    publisher       text        NOT NULL DEFAULT '',
    author          text        NOT NULL DEFAULT '',
    published_at    timestamptz,
    accessed_at     timestamptz,
    archived_url    text        NOT NULL DEFAULT '',
    notes           text        NOT NULL DEFAULT '',
    -- The Admiralty grading: reliability of the source, credibility of
    -- the information; NULL is not graded.
    reliability     text        CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    credibility     integer     CHECK (credibility BETWEEN 1 AND 6),
    withheld        boolean     NOT NULL DEFAULT false,
    withheld_reason text        NOT NULL DEFAULT '',
    -- The last retrieval by factdesk: what the checker saw.
    retrieved_at    timestamptz,
    http_status     integer     CHECK (http_status BETWEEN 100 AND 599),
    content_type    text        NOT NULL DEFAULT '',
    sha256          text        NOT NULL DEFAULT '' CHECK (sha256 = '' OR length(sha256) = 64),
    final_url       text        NOT NULL DEFAULT '',
    created_by      bigint      NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (NOT withheld OR withheld_reason <> '')
);
CREATE UNIQUE INDEX sources_url_key ON sources (url) WHERE url <> '';
-- Search: a title prefix through the btree (text_pattern_ops makes LIKE
-- 'abc%' an index range whatever the collation), a word inside the title
-- through the trigram index, URL and publisher prefixes through theirs.
CREATE INDEX sources_title_prefix_idx ON sources (lower(title) text_pattern_ops);
CREATE INDEX sources_title_trgm_idx ON sources USING gin (lower(title) gin_trgm_ops);
CREATE INDEX sources_url_prefix_idx ON sources (url text_pattern_ops);
CREATE INDEX sources_publisher_prefix_idx ON sources (lower(publisher) text_pattern_ops);

CREATE TABLE citations (
    id          bigserial PRIMARY KEY,
    sentence_id bigint      NOT NULL REFERENCES sentences (id) ON DELETE CASCADE,
    article_id  bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source_id   bigint      NOT NULL REFERENCES sources (id) ON DELETE RESTRICT,
    relation    text        NOT NULL CHECK (relation IN ('supports', 'contradicts', 'context', 'origin')),
    excerpt     text        NOT NULL DEFAULT '',
    locator     text        NOT NULL DEFAULT '',
    created_by  bigint      NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL
);
-- A sentence cites a source once per relation; the index also serves the
-- lookups by sentence, so there is no separate one.
CREATE UNIQUE INDEX citations_sentence_source_relation_key ON citations (sentence_id, source_id, relation);
CREATE INDEX citations_source_id_idx ON citations (source_id);

-- +goose Down
DROP TABLE citations;
DROP TABLE sources;
