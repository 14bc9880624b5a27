// Package migrations holds factdesk's versioned schema, one directory of
// goose SQL files per dialect with the same number for the same change,
// and the runner that applies them. Landed files are never edited; a
// schema change is a new file in both directories.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Dialect names a database family that has its own migration directory.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Runner applies the migrations of one dialect to one database.
type Runner struct {
	provider *goose.Provider
}

// New returns a runner for db. On PostgreSQL it takes a session advisory
// lock while migrating, so that several instances starting together do not
// race each other.
func New(db *sql.DB, dialect Dialect) (*Runner, error) {
	sub, err := fs.Sub(files, string(dialect))
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", dialect, err)
	}
	var (
		gd   goose.Dialect
		opts = []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	)
	switch dialect {
	case Postgres:
		gd = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	case SQLite:
		gd = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("unknown dialect %q", dialect)
	}
	p, err := goose.NewProvider(gd, db, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("load %s migrations: %w", dialect, err)
	}
	return &Runner{provider: p}, nil
}

// Result says what one migration did.
type Result struct {
	Version   int64
	Name      string
	Direction string
}

// Up applies every pending migration.
func (r *Runner) Up(ctx context.Context) ([]Result, error) {
	res, err := r.provider.Up(ctx)
	return results(res), err
}

// Down rolls back the most recent migration.
func (r *Runner) Down(ctx context.Context) (Result, error) {
	res, err := r.provider.Down(ctx)
	if err != nil {
		if errors.Is(err, goose.ErrNoNextVersion) {
			return Result{}, fmt.Errorf("nothing to roll back: %w", err)
		}
		return Result{}, err
	}
	return results([]*goose.MigrationResult{res})[0], nil
}

// Reset rolls back every migration.
func (r *Runner) Reset(ctx context.Context) error {
	_, err := r.provider.DownTo(ctx, 0)
	return err
}

// Status describes one migration and whether it is applied.
type Status struct {
	Version int64
	Name    string
	Applied bool
}

// Status lists every migration with its state.
func (r *Runner) Status(ctx context.Context) ([]Status, error) {
	st, err := r.provider.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(st))
	for _, s := range st {
		out = append(out, Status{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}

// Current reports the database's version and the newest version known to
// this binary; they are equal when the schema is current.
func (r *Runner) Current(ctx context.Context) (current, latest int64, err error) {
	return r.provider.GetVersions(ctx)
}

func results(rs []*goose.MigrationResult) []Result {
	out := make([]Result, 0, len(rs))
	for _, r := range rs {
		if r == nil || r.Source == nil {
			continue
		}
		out = append(out, Result{Version: r.Source.Version, Name: r.Source.Path, Direction: r.Direction})
	}
	return out
}
