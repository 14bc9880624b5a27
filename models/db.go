package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"factdesk/migrations"
)

// DefaultDSN is where factdesk keeps its data when told nothing else.
const DefaultDSN = "sqlite:./factdesk-data/factdesk.db"

// Options tune how a database is opened.
type Options struct {
	// StatementTimeout cancels a statement that runs longer (PostgreSQL);
	// zero means 15 seconds.
	StatementTimeout time.Duration
	// MaxOpenConns bounds the pool; zero means 20 on PostgreSQL.
	MaxOpenConns int
	// Logger receives GORM's slow-query and error log; nil discards it.
	Logger logger.Interface
	// Clock, when set, replaces the store's clock (tests fix the time with
	// it, so that hashes and exports are the same every run). It must
	// return UTC times truncated to the microsecond.
	Clock func() time.Time
	// TokenCacheTTL is how long an API token lookup is remembered (see
	// DefaultTokenCacheTTL); zero means the default, negative never.
	TokenCacheTTL time.Duration
}

// DB is an open factdesk database: GORM on top, the dialect it speaks and
// the plain *sql.DB for the migration runner and health checks.
type DB struct {
	gorm    *gorm.DB
	sql     *sql.DB
	dialect migrations.Dialect
	// tokens remembers API token lookups (see DefaultTokenCacheTTL); it belongs to
	// the database, not a Store, so that every store of a process sees
	// a revocation.
	tokens *tokenCache
	// pgEdits groups the labels on PostgreSQL (see editSentencePostgres);
	// nil on SQLite.
	pgEdits *batcher[*queuedEdit]
	// sqliteEdits groups the labels on SQLite (see editSentenceSQLite);
	// nil on PostgreSQL.
	sqliteEdits *batcher[*queuedEdit]
	// inSnapshot marks the copy of a DB that ReadSnapshot hands out: its
	// gorm runs on one connection inside a read-only transaction.
	inSnapshot bool
	// words holds PostgreSQL's statistics of the search index's words
	// (see readNewestFirst).
	words *wordStats
	// Redacted describes the database for logs without its password.
	Redacted string
}

// Open opens the database named by dsn: "postgres://…" (or "postgresql://…")
// or "sqlite:PATH" (the directory of PATH is created as needed). It does not
// migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.StatementTimeout == 0 {
		opts.StatementTimeout = 15 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = logger.Discard
	}
	if opts.Clock == nil {
		opts.Clock = Now
	}
	cfg := &gorm.Config{
		Logger:                 opts.Logger,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                opts.Clock,
		TranslateError:         false,
	}
	var (
		gdb     *gorm.DB
		dialect migrations.Dialect
		err     error
		red     string
	)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		dialect = migrations.Postgres
		red = redact(dsn)
		pgdsn, err2 := withStatementTimeout(dsn, opts.StatementTimeout)
		if err2 != nil {
			return nil, err2
		}
		gdb, err = gorm.Open(postgres.New(postgres.Config{DSN: pgdsn}), cfg)
	case strings.HasPrefix(dsn, "sqlite:"):
		dialect = migrations.SQLite
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, fmt.Errorf("sqlite: no file path in %q", dsn)
		}
		red = "sqlite:" + path
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		var conn *sql.DB
		conn, err = sql.Open(sqlite.DriverName, sqliteDSN(path))
		if err == nil {
			gdb, err = gorm.Open(&sqlite.Dialector{Conn: newWriterQueue(conn)}, cfg)
		}
	default:
		return nil, fmt.Errorf("database %q: want postgres://… or sqlite:PATH", redact(dsn))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", red, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", red, err)
	}
	switch dialect {
	case migrations.Postgres:
		n := opts.MaxOpenConns
		if n == 0 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	case migrations.SQLite:
		// WAL lets readers run beside the one writer; every connection
		// has the same pragmas because they are in the DSN.
		n := opts.MaxOpenConns
		if n == 0 {
			n = 8
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to %s: %w", red, err)
	}
	db := &DB{gorm: gdb, sql: sqlDB, dialect: dialect, tokens: newTokenCache(opts.TokenCacheTTL), words: &wordStats{}, Redacted: red}
	switch dialect {
	case migrations.Postgres:
		db.pgEdits = newBatcher[*queuedEdit](writeBatchesInFlight, maxWriteBatch)
	case migrations.SQLite:
		// One batch at a time: SQLite has one writer.
		db.sqliteEdits = newBatcher[*queuedEdit](1, maxWriteBatch)
	}
	return db, nil
}

// writerQueue is the SQLite pool as GORM sees it: transactions (every
// store write is one) wait their turn in the process, in order, instead of
// in SQLite's busy handler, which sleeps and retries and so lets a writer
// wait for seconds behind a queue of others. Reads do not wait. The busy
// timeout in the DSN still serves other processes on the same file.
type writerQueue struct {
	*sql.DB
	turn chan struct{}
}

// writerWait bounds the wait for the writer's turn when the context has no
// deadline, like the busy timeout; the wait then fails as unavailable.
const writerWait = 15 * time.Second

func newWriterQueue(db *sql.DB) *writerQueue {
	return &writerQueue{DB: db, turn: make(chan struct{}, 1)}
}

// GetDBConn returns the pool, for gorm.DB.DB.
func (q *writerQueue) GetDBConn() (*sql.DB, error) { return q.DB, nil }

// BeginTx waits for the writer's turn and begins a transaction that gives
// the turn back when it ends.
func (q *writerQueue) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	wctx, cancel := ctx, context.CancelFunc(func() {})
	if _, ok := ctx.Deadline(); !ok {
		wctx, cancel = context.WithTimeout(ctx, writerWait)
	}
	defer cancel()
	select {
	case q.turn <- struct{}{}:
	case <-wctx.Done():
		return nil, fmt.Errorf("wait for the SQLite writer: %w", context.DeadlineExceeded)
	}
	tx, err := q.DB.BeginTx(ctx, opts)
	if err != nil {
		<-q.turn
		return nil, err
	}
	return &queuedTx{Tx: tx, turn: q.turn}, nil
}

// queuedTx is a transaction holding the writer's turn.
type queuedTx struct {
	*sql.Tx
	turn chan struct{}
	once sync.Once
}

func (t *queuedTx) release() { t.once.Do(func() { <-t.turn }) }

// Commit commits and gives the turn back.
func (t *queuedTx) Commit() error { defer t.release(); return t.Tx.Commit() }

// Rollback rolls back and gives the turn back.
func (t *queuedTx) Rollback() error { defer t.release(); return t.Tx.Rollback() }

// sqliteDSN turns a path into the driver's DSN: foreign keys on, WAL, a
// busy timeout so that writers queue instead of failing, and IMMEDIATE
// transactions so that a reader never has to upgrade to a writer midway
// (the upgrade is where SQLite gives up with "database is locked").
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "busy_timeout(15000)")
	// No _time_format: the driver's default already writes
	// "2006-01-02 15:04:05.999999999-07:00", and in this driver version
	// setting it makes the DSN parser skip _txlock.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

func withStatementTimeout(dsn string, d time.Duration) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	q := u.Query()
	if q.Get("statement_timeout") == "" {
		q.Set("statement_timeout", fmt.Sprint(d.Milliseconds()))
	}
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "5")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// redact hides the password of a database URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Dialect says which database family this is.
func (db *DB) Dialect() migrations.Dialect { return db.dialect }

// SQL returns the underlying pool, for migrations and health checks.
func (db *DB) SQL() *sql.DB { return db.sql }

// Gorm returns the GORM handle, for tests and the benchmark command.
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Migrator returns a migration runner for this database.
func (db *DB) Migrator() (*migrations.Runner, error) {
	return migrations.New(db.sql, db.dialect)
}

// Ready reports whether the database answers and its schema is current.
func (db *DB) Ready(ctx context.Context) error {
	unreachable := func(err error) error {
		// The cause names the database's address: for the log only.
		return &Error{Code: EUNAVAILABLE, Message: "the database cannot be reached", Err: err}
	}
	if err := db.sql.PingContext(ctx); err != nil {
		return unreachable(fmt.Errorf("ping: %w", err))
	}
	m, err := db.Migrator()
	if err != nil {
		return err
	}
	cur, latest, err := m.Current(ctx)
	if err != nil {
		return unreachable(fmt.Errorf("schema version: %w", err))
	}
	if cur != latest {
		return &Error{Code: EUNAVAILABLE, Message: fmt.Sprintf("the database schema is at version %d and this binary needs %d: run factdesk migrate up", cur, latest)}
	}
	return nil
}

// Now is the clock of the store: UTC, to the microsecond, which both
// databases keep exactly (so that hashes over stored times verify).
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// isUnavailable reports whether err means the database could not be
// reached or did not answer in time, as opposed to a bug.
func isUnavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "57014": // query_canceled: statement timeout
			return true
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"): // connection exceptions, shutdown
			return true
		case pe.Code == "53300": // too many connections
			return true
		}
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY") ||
		strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF")
}
