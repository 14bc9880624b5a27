package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"factdesk/models"
)

// dbConfig is how every command finds its database.
type dbConfig struct {
	dsn              string
	data             string
	statementTimeout time.Duration
	// tokenCache is how long a checked API token is trusted (serve's
	// --token-cache); 0 turns the memory off.
	tokenCache time.Duration
}

func (p *Program) dbFlags(fs *flag.FlagSet) *dbConfig {
	c := &dbConfig{tokenCache: models.DefaultTokenCacheTTL}
	fs.StringVar(&c.dsn, "db", p.env("DATABASE_URL", ""), "database: postgres://… or sqlite:PATH (env DATABASE_URL; default sqlite:DATA/factdesk.db)")
	fs.StringVar(&c.data, "data", p.env("FACTDESK_DATA", "./factdesk-data"), "directory for factdesk's files: the embedded database, demo passwords (env FACTDESK_DATA)")
	fs.DurationVar(&c.statementTimeout, "statement-timeout", 15*time.Second, "cancel a database statement that runs longer (PostgreSQL)")
	return c
}

// DSN returns the database to use: --db, or the SQLite file in --data.
func (c *dbConfig) DSN() string {
	if c.dsn != "" {
		return c.dsn
	}
	return "sqlite:" + filepath.Join(c.data, "factdesk.db")
}

// open opens the database, and when migrate is set applies pending
// migrations; otherwise it refuses a schema that is not current.
func (c *dbConfig) open(ctx context.Context, log *slog.Logger, migrate bool) (*models.DB, error) {
	ttl := c.tokenCache
	if ttl == 0 {
		ttl = -1 // off
	}
	db, err := models.Open(ctx, c.DSN(), models.Options{StatementTimeout: c.statementTimeout, TokenCacheTTL: ttl})
	if err != nil {
		return nil, err
	}
	m, err := db.Migrator()
	if err != nil {
		db.Close()
		return nil, err
	}
	if migrate {
		res, err := m.Up(ctx)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate %s: %w", db.Redacted, err)
		}
		for _, r := range res {
			log.Info("migrated", "version", r.Version, "file", r.Name)
		}
		return db, nil
	}
	cur, latest, err := m.Current(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("schema version of %s: %w", db.Redacted, err)
	}
	if cur != latest {
		db.Close()
		return nil, fmt.Errorf("the schema of %s is at version %d, this factdesk needs %d: run \"factdesk migrate up\"", db.Redacted, cur, latest)
	}
	return db, nil
}
