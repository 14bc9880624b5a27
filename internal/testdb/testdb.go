// Package testdb gives tests real databases: a fresh SQLite file per test,
// and on PostgreSQL a fresh database per test package with a fresh schema
// per test, all migrated to the current version. Run runs a test body on
// both.
//
// PostgreSQL comes from FACTDESK_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). Where it
// cannot be reached the PostgreSQL half is skipped with a message, unless
// FACTDESK_TEST_STRICT=1, which makes it a failure.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for admin statements

	"factdesk/models"
)

// DefaultPostgres is the server tests use when FACTDESK_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Strict reports whether missing services must fail tests (CI sets it).
func Strict() bool { return os.Getenv("FACTDESK_TEST_STRICT") == "1" }

var pkg struct {
	once    sync.Once
	err     error
	dsn     string // the package database
	admin   string // the server's maintenance database
	name    string
	counter int
	mu      sync.Mutex
}

// AdminURL returns the URL of the PostgreSQL server's maintenance database.
func AdminURL() string {
	if u := os.Getenv("FACTDESK_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultPostgres
}

// packageDB creates this test binary's PostgreSQL database once.
func packageDB() (string, error) {
	pkg.once.Do(func() {
		pkg.admin = AdminURL()
		db, err := sql.Open("pgx", pkg.admin)
		if err != nil {
			pkg.err = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			pkg.err = fmt.Errorf("PostgreSQL at %s: %w", pkg.admin, err)
			return
		}
		pkg.name = "factdesk_test_" + randomHex(6)
		if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pkg.name); err != nil {
			pkg.err = fmt.Errorf("create test database: %w", err)
			return
		}
		pkg.dsn = withDatabase(pkg.admin, pkg.name)
		tdb, err := sql.Open("pgx", pkg.dsn)
		if err != nil {
			pkg.err = err
			return
		}
		defer tdb.Close()
		// Extensions live in public, which every test schema keeps on its
		// search path.
		if _, err := tdb.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"); err != nil {
			pkg.err = fmt.Errorf("create pg_trgm: %w", err)
		}
	})
	return pkg.dsn, pkg.err
}

// Main runs a package's tests and drops its PostgreSQL database afterwards.
// Call it from TestMain: func TestMain(m *testing.M) { testdb.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if pkg.name != "" {
		if db, err := sql.Open("pgx", pkg.admin); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			_, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pkg.name+" WITH (FORCE)")
			if err != nil {
				fmt.Fprintf(os.Stderr, "testdb: drop %s: %v\n", pkg.name, err)
			}
			cancel()
			db.Close()
		}
	}
	os.Exit(code)
}

// Kind names a database a test runs on.
type Kind string

// The two databases.
const (
	SQLite   Kind = "sqlite"
	Postgres Kind = "postgres"
)

// Kinds lists both databases, SQLite first.
var Kinds = []Kind{SQLite, Postgres}

// Run runs body once on a fresh SQLite file and once on a fresh
// PostgreSQL schema, as subtests named "sqlite" and "postgres".
func Run(t *testing.T, body func(t *testing.T, db *models.DB)) {
	t.Helper()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			db := Open(t, k)
			body(t, db)
		})
	}
}

// Open returns a fresh, migrated database of the given kind, closed when
// the test ends.
func Open(t testing.TB, k Kind) *models.DB {
	t.Helper()
	return OpenWith(t, k, models.Options{})
}

// OpenWith is Open with options (a fixed clock, say).
func OpenWith(t testing.TB, k Kind, opts models.Options) *models.DB {
	t.Helper()
	dsn := DSN(t, k)
	db, err := models.Open(context.Background(), dsn, opts)
	if err != nil {
		t.Fatalf("open %s: %v", k, err)
	}
	t.Cleanup(func() { db.Close() })
	opened.Store(db, dsn)
	t.Cleanup(func() { opened.Delete(db) })
	m, err := db.Migrator()
	if err != nil {
		t.Fatalf("migrator: %v", err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		t.Fatalf("migrate %s up: %v", k, err)
	}
	return db
}

// opened maps each database OpenWith returned to its address, for Reopen.
var opened sync.Map

// Address returns the address db was opened at by Open or OpenWith, for
// tests that connect to it other ways (pgx, a second process).
func Address(t testing.TB, db *models.DB) string {
	t.Helper()
	dsn, ok := opened.Load(db)
	if !ok {
		t.Fatal("testdb.Address: the database was not opened by testdb")
	}
	return dsn.(string)
}

// Reopen opens a second handle on the database of db, as another process
// serving it would, with its own options; it is closed when the test ends.
func Reopen(t testing.TB, db *models.DB, opts models.Options) *models.DB {
	t.Helper()
	again, err := models.Open(context.Background(), Address(t, db), opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { again.Close() })
	return again
}

// DSN returns the address of a fresh, empty database of the given kind
// (not migrated). On PostgreSQL it is a new schema of the package database.
func DSN(t testing.TB, k Kind) string {
	t.Helper()
	switch k {
	case SQLite:
		return "sqlite:" + filepath.Join(t.TempDir(), "factdesk.db")
	case Postgres:
		base, err := packageDB()
		if err != nil {
			if Strict() {
				t.Fatalf("PostgreSQL is required (FACTDESK_TEST_STRICT=1): %v", err)
			}
			t.Skipf("SKIP PostgreSQL half: %v (set FACTDESK_TEST_POSTGRES, or FACTDESK_TEST_STRICT=1 to fail)", err)
		}
		pkg.mu.Lock()
		pkg.counter++
		schema := fmt.Sprintf("t%d_%s", pkg.counter, randomHex(3))
		pkg.mu.Unlock()
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		return withSearchPath(base, schema)
	}
	t.Fatalf("unknown database kind %q", k)
	return ""
}

// PostgresDatabase returns the URL of a fresh, empty PostgreSQL database of
// its own (for tests that run a whole server process), dropped when the
// test ends.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	if _, err := packageDB(); err != nil {
		if Strict() {
			t.Fatalf("PostgreSQL is required (FACTDESK_TEST_STRICT=1): %v", err)
		}
		t.Skipf("SKIP PostgreSQL: %v", err)
	}
	name := "factdesk_test_" + randomHex(6)
	db, err := sql.Open("pgx", pkg.admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", pkg.admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return withDatabase(pkg.admin, name)
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func withSearchPath(dsn, schema string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		panic(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.ToLower(hex.EncodeToString(b))
}
