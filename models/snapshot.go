package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"factdesk/migrations"
)

// snapshot runs read on one connection inside a read-only transaction,
// so that its statements see the database at one moment: PostgreSQL's
// REPEATABLE READ, and on SQLite a deferred transaction (WAL gives it the
// snapshot of its first read) that does not take the writer's turn. A
// record read in several statements outside one — an article's head, then
// its events, then its sentences — can straddle a label committed in
// between, and its verification then reports a tampering that is not
// there.
func (s *Store) snapshot(ctx context.Context, read func(db *gorm.DB) error) error {
	if s.db.inSnapshot {
		return read(s.db.gorm.WithContext(ctx))
	}
	begin := "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	if s.db.dialect == migrations.SQLite {
		begin = "BEGIN DEFERRED"
	}
	return s.db.gorm.WithContext(ctx).Connection(func(db *gorm.DB) error {
		if err := db.Exec(begin).Error; err != nil {
			return fmt.Errorf("begin a read snapshot: %w", err)
		}
		// A fresh statement for every query on this connection.
		err := read(db.Session(&gorm.Session{NewDB: true}))
		end := "COMMIT"
		if err != nil {
			end = "ROLLBACK"
		}
		// On a context of its own: the connection must not go back to
		// the pool inside a transaction because the request's ended.
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if eerr := db.WithContext(ectx).Exec(end).Error; eerr != nil && err == nil {
			err = fmt.Errorf("end a read snapshot: %w", eerr)
		}
		return err
	})
}

// ReadSnapshot runs read with a store on which every query sees the
// database at one moment (see snapshot), so that a document assembled
// from many queries — an audit report — shows one state of the article.
// The store must only read, and only within read.
func (s *Store) ReadSnapshot(ctx context.Context, read func(st *Store) error) error {
	return s.snapshot(ctx, func(db *gorm.DB) error {
		in := *s.db
		in.gorm, in.inSnapshot = db, true
		return read(&Store{db: &in})
	})
}
