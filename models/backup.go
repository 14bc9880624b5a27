package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"factdesk/migrations"
)

// ErrBackupNeedsSQLite refuses a backup of a PostgreSQL database.
var ErrBackupNeedsSQLite = &Error{Code: EUNSUPPORTED, Message: "factdesk backs up its embedded database only; back up PostgreSQL with pg_dump (for example pg_dump --format=custom), then run \"factdesk audit verify\" on the restored copy"}

// BackupTo writes a consistent copy of an embedded database to path, a
// file that must not exist yet, while the database stays in use: SQLite's
// VACUUM INTO reads one snapshot (WAL lets writers go on beside it) and
// writes it compacted. A PostgreSQL database is pg_dump's to back up.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.dialect != migrations.SQLite {
		return ErrBackupNeedsSQLite
	}
	if err := NewBackupTarget(path); err != nil {
		return err
	}
	if err := db.gorm.WithContext(ctx).Exec(`VACUUM INTO ?`, path).Error; err != nil {
		os.Remove(path) // a partial copy is no backup
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// NewBackupTarget checks that path is free for a backup: factdesk never
// overwrites one.
func NewBackupTarget(path string) error {
	if _, err := os.Stat(path); err == nil {
		return FieldError("to", "%s already exists; factdesk does not overwrite a backup", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check on an embedded database
// and returns what it found wrong, nothing when the file is sound.
func (db *DB) IntegrityCheck(ctx context.Context) ([]string, error) {
	if db.dialect != migrations.SQLite {
		return nil, &Error{Code: EUNSUPPORTED, Message: "the integrity check is SQLite's"}
	}
	var lines []string
	if err := db.gorm.WithContext(ctx).Raw(`PRAGMA integrity_check`).Scan(&lines).Error; err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	if len(lines) == 1 && lines[0] == "ok" {
		return nil, nil
	}
	return lines, nil
}
