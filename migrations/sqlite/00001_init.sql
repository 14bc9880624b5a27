-- The foundation: users and their credentials, articles with their
-- revisions and sentences, and the audit trail every change writes to.
-- Times are DATETIME so that the driver hands them back as time.Time; they
-- are always written in UTC, which keeps text comparison in time order.

-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT     NOT NULL CHECK (email <> '' AND email = lower(email)),
    name          TEXT     NOT NULL CHECK (name <> ''),
    role          TEXT     NOT NULL CHECK (role IN ('admin', 'editor', 'checker', 'viewer')),
    password_hash TEXT     NOT NULL,
    disabled_at   DATETIME,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT     NOT NULL,
    remote_addr  TEXT     NOT NULL DEFAULT '',
    user_agent   TEXT     NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT     NOT NULL CHECK (name <> ''),
    token_hash   TEXT     NOT NULL,
    prefix       TEXT     NOT NULL,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME,
    revoked_at   DATETIME
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE sign_in_throttles (
    key             TEXT PRIMARY KEY,
    failures        INTEGER  NOT NULL CHECK (failures >= 0),
    last_failure_at DATETIME NOT NULL
);

CREATE TABLE articles (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    title               TEXT     NOT NULL CHECK (title <> ''),
    outlet              TEXT     NOT NULL DEFAULT '',
    byline              TEXT     NOT NULL DEFAULT '',
    url                 TEXT     NOT NULL DEFAULT '',
    published_at        DATETIME,
    status              TEXT     NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'in_review', 'submitted', 'approved', 'changes_requested')),
    current_revision_id INTEGER REFERENCES revisions (id),
    created_by          INTEGER  NOT NULL REFERENCES users (id),
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    audit_seq           INTEGER  NOT NULL DEFAULT 0,
    audit_head          TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX articles_status_id_idx ON articles (status, id);

CREATE TABLE revisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id      INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number          INTEGER  NOT NULL CHECK (number >= 1),
    body            TEXT     NOT NULL CHECK (body <> ''),
    body_sha256     TEXT     NOT NULL CHECK (length(body_sha256) = 64),
    format          TEXT     NOT NULL CHECK (format IN ('text', 'markdown', 'html')),
    source_url      TEXT     NOT NULL DEFAULT '',
    sentence_count  INTEGER  NOT NULL CHECK (sentence_count >= 0),
    paragraph_count INTEGER  NOT NULL CHECK (paragraph_count >= 0),
    imported_by     INTEGER  NOT NULL REFERENCES users (id),
    imported_at     DATETIME NOT NULL,
    UNIQUE (article_id, number)
);
CREATE INDEX revisions_body_sha256_idx ON revisions (body_sha256);

CREATE TABLE sentences (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id         INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision_id        INTEGER  NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    idx                INTEGER  NOT NULL CHECK (idx >= 0),
    paragraph          INTEGER  NOT NULL CHECK (paragraph >= 0),
    start_byte         INTEGER  NOT NULL CHECK (start_byte >= 0),
    end_byte           INTEGER  NOT NULL CHECK (end_byte > start_byte),
    start_cp           INTEGER  NOT NULL CHECK (start_cp >= 0),
    end_cp             INTEGER  NOT NULL CHECK (end_cp > start_cp),
    text               TEXT     NOT NULL CHECK (text <> ''),
    quote              TEXT     NOT NULL CHECK (quote IN ('none', 'whole', 'open', 'inside', 'close')),
    label              TEXT     CHECK (label IN ('fact', 'allegation', 'quote', 'assessment')),
    label_by           INTEGER  REFERENCES users (id),
    label_at           DATETIME,
    label_suggested    BOOLEAN  NOT NULL DEFAULT 0,
    status             TEXT     NOT NULL DEFAULT 'unreviewed'
                       CHECK (status IN ('unreviewed', 'labeled', 'verified', 'disputed', 'unverifiable', 'excluded')),
    exclude_reason     TEXT     NOT NULL DEFAULT '',
    verdict            TEXT     NOT NULL DEFAULT '',
    note               TEXT     NOT NULL DEFAULT '',
    version            INTEGER  NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at         DATETIME NOT NULL,
    CHECK (status <> 'excluded' OR exclude_reason <> ''),
    CHECK (status = 'unreviewed' OR status = 'excluded' OR label IS NOT NULL),
    UNIQUE (revision_id, idx)
);
CREATE INDEX sentences_article_id_idx ON sentences (article_id);
CREATE INDEX sentences_revision_status_idx ON sentences (revision_id, status);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER REFERENCES articles (id) ON DELETE RESTRICT,
    seq         INTEGER  NOT NULL CHECK (seq >= 1),
    at          DATETIME NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    actor       TEXT     NOT NULL,
    action      TEXT     NOT NULL CHECK (action <> ''),
    entity      TEXT     NOT NULL,
    entity_id   INTEGER  NOT NULL,
    before      TEXT     NOT NULL DEFAULT '',
    after       TEXT     NOT NULL DEFAULT '',
    prev_hash   TEXT     NOT NULL,
    hash        TEXT     NOT NULL CHECK (length(hash) = 64)
);
CREATE UNIQUE INDEX audit_events_article_seq_key ON audit_events (article_id, seq) WHERE article_id IS NOT NULL;
CREATE UNIQUE INDEX audit_events_global_seq_key ON audit_events (seq) WHERE article_id IS NULL;

CREATE TABLE audit_heads (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL,
    head TEXT    NOT NULL
);
INSERT INTO audit_heads (name, seq, head) VALUES ('global', 0, '');

-- +goose Down
DROP TABLE audit_heads;
DROP TABLE audit_events;
DROP TABLE sentences;
DROP TABLE revisions;
DROP TABLE articles;
DROP TABLE sign_in_throttles;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
