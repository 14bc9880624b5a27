// Package models owns factdesk's tables and the store that reads and
// writes them: GORM structs, enumerations with Valid(), coded errors and
// one file per aggregate. Every public store method takes ctx first and
// owns its transaction; every change writes its audit event in that same
// transaction.
package models

import (
	"time"

	"gorm.io/gorm/clause"
)

// Store reads and writes factdesk's data.
type Store struct {
	db *DB
	// mail says whether notifications are also queued as mail.
	mail MailSettings
}

// NewStore returns a store on db.
func NewStore(db *DB) *Store { return &Store{db: db} }

// DB returns the database the store works on.
func (s *Store) DB() *DB { return s.db }

// lockForUpdate is the row lock clause for PostgreSQL.
func lockForUpdate() clause.Locking { return clause.Locking{Strength: "UPDATE"} }

// now is the store's clock (see Options.Clock).
func (s *Store) now() time.Time { return s.db.gorm.NowFunc() }

// Now returns the time by the store's clock: UTC, to the microsecond.
func (s *Store) Now() time.Time { return s.now() }
