-- The foundation: users and their credentials, articles with their
-- revisions and sentences, and the audit trail every change writes to.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text        NOT NULL CHECK (email <> '' AND email = lower(email)),
    name          text        NOT NULL CHECK (name <> ''),
    role          text        NOT NULL CHECK (role IN ('admin', 'editor', 'checker', 'viewer')),
    password_hash text        NOT NULL,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- A session row is keyed by the SHA-256 of the cookie value, so that a
-- copy of the table does not hand out live sessions.
CREATE TABLE sessions (
    id_hash      text PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    remote_addr  text        NOT NULL DEFAULT '',
    user_agent   text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (name <> ''),
    token_hash   text        NOT NULL,
    prefix       text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- Failed sign-ins per account ("email:…") and per address ("addr:…"); kept
-- in the database so that every instance slows the same attacker.
CREATE TABLE sign_in_throttles (
    key             text PRIMARY KEY,
    failures        integer     NOT NULL CHECK (failures >= 0),
    last_failure_at timestamptz NOT NULL
);

CREATE TABLE articles (
    id                  bigserial PRIMARY KEY,
    title               text        NOT NULL CHECK (title <> ''),
    outlet              text        NOT NULL DEFAULT '',
    byline              text        NOT NULL DEFAULT '',
    url                 text        NOT NULL DEFAULT '',
    published_at        timestamptz,
    status              text        NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'in_review', 'submitted', 'approved', 'changes_requested')),
    current_revision_id bigint,
    created_by          bigint      NOT NULL REFERENCES users (id),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- The head of the article's audit hash chain: the sequence number and
    -- hash of its last event. Appends lock this row, which serialises them.
    audit_seq           bigint      NOT NULL DEFAULT 0,
    audit_head          text        NOT NULL DEFAULT ''
);
CREATE INDEX articles_title_trgm_idx ON articles USING gin (lower(title) gin_trgm_ops);
CREATE INDEX articles_status_id_idx ON articles (status, id);

CREATE TABLE revisions (
    id              bigserial PRIMARY KEY,
    article_id      bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number          integer     NOT NULL CHECK (number >= 1),
    body            text        NOT NULL CHECK (body <> ''),
    body_sha256     text        NOT NULL CHECK (length(body_sha256) = 64),
    format          text        NOT NULL CHECK (format IN ('text', 'markdown', 'html')),
    source_url      text        NOT NULL DEFAULT '',
    sentence_count  integer     NOT NULL CHECK (sentence_count >= 0),
    paragraph_count integer     NOT NULL CHECK (paragraph_count >= 0),
    imported_by     bigint      NOT NULL REFERENCES users (id),
    imported_at     timestamptz NOT NULL,
    UNIQUE (article_id, number)
);
CREATE INDEX revisions_body_sha256_idx ON revisions (body_sha256);

ALTER TABLE articles ADD CONSTRAINT articles_current_revision_fkey
    FOREIGN KEY (current_revision_id) REFERENCES revisions (id);

CREATE TABLE sentences (
    id                 bigserial PRIMARY KEY,
    article_id         bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision_id        bigint      NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    idx                integer     NOT NULL CHECK (idx >= 0),
    paragraph          integer     NOT NULL CHECK (paragraph >= 0),
    start_byte         integer     NOT NULL CHECK (start_byte >= 0),
    end_byte           integer     NOT NULL CHECK (end_byte > start_byte),
    start_cp           integer     NOT NULL CHECK (start_cp >= 0),
    end_cp             integer     NOT NULL CHECK (end_cp > start_cp),
    text               text        NOT NULL CHECK (text <> ''),
    quote              text        NOT NULL CHECK (quote IN ('none', 'whole', 'open', 'inside', 'close')),
    label              text        CHECK (label IN ('fact', 'allegation', 'quote', 'assessment')),
    label_by           bigint      REFERENCES users (id),
    label_at           timestamptz,
    label_suggested    boolean     NOT NULL DEFAULT false,
    status             text        NOT NULL DEFAULT 'unreviewed'
                       CHECK (status IN ('unreviewed', 'labeled', 'verified', 'disputed', 'unverifiable', 'excluded')),
    exclude_reason     text        NOT NULL DEFAULT '',
    verdict            text        NOT NULL DEFAULT '',
    note               text        NOT NULL DEFAULT '',
    version            integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at         timestamptz NOT NULL,
    CHECK (status <> 'excluded' OR exclude_reason <> ''),
    CHECK (status = 'unreviewed' OR status = 'excluded' OR label IS NOT NULL),
    UNIQUE (revision_id, idx)
);
CREATE INDEX sentences_article_id_idx ON sentences (article_id);
CREATE INDEX sentences_revision_status_idx ON sentences (revision_id, status);

-- Every change anyone makes. Within an article the events form a hash
-- chain: hash = SHA-256(prev_hash || canonical encoding of the event).
-- Events not about an article (users, tokens) have article_id NULL and a
-- chain of their own.
CREATE TABLE audit_events (
    id          bigserial PRIMARY KEY,
    article_id  bigint REFERENCES articles (id) ON DELETE RESTRICT,
    seq         bigint      NOT NULL CHECK (seq >= 1),
    at          timestamptz NOT NULL,
    actor_id    bigint REFERENCES users (id),
    actor       text        NOT NULL,
    action      text        NOT NULL CHECK (action <> ''),
    entity      text        NOT NULL,
    entity_id   bigint      NOT NULL,
    before      text        NOT NULL DEFAULT '',
    after       text        NOT NULL DEFAULT '',
    prev_hash   text        NOT NULL,
    hash        text        NOT NULL CHECK (length(hash) = 64)
);
CREATE UNIQUE INDEX audit_events_article_seq_key ON audit_events (article_id, seq) WHERE article_id IS NOT NULL;
CREATE UNIQUE INDEX audit_events_global_seq_key ON audit_events (seq) WHERE article_id IS NULL;

-- The head of the chain of events that belong to no article.
CREATE TABLE audit_heads (
    name text PRIMARY KEY,
    seq  bigint NOT NULL,
    head text   NOT NULL
);
INSERT INTO audit_heads (name, seq, head) VALUES ('global', 0, '');

-- +goose Down
DROP TABLE audit_heads;
DROP TABLE audit_events;
DROP TABLE sentences;
ALTER TABLE articles DROP CONSTRAINT articles_current_revision_fkey;
DROP TABLE revisions;
DROP TABLE articles;
DROP TABLE sign_in_throttles;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
