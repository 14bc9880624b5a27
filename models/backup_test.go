package models_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// BackupTo copies an embedded database into a new file that passes the
// integrity check, refuses a file that exists without touching it, and
// refuses PostgreSQL (pg_dump's job) writing nothing.
func TestBackupTo(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		st := models.NewStore(db)
		if _, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "ann@example.org", Name: "Ann", Role: models.RoleChecker, PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "copy.db")
		err := db.BackupTo(ctx, path)
		if db.Gorm().Dialector.Name() == "postgres" {
			var e *models.Error
			if !errors.As(err, &e) || e.Code != models.EUNSUPPORTED {
				t.Fatalf("backup of PostgreSQL: %v, want %s", err, models.EUNSUPPORTED)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a refused backup wrote a file")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		cp, err := models.Open(ctx, "sqlite:"+path, models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer cp.Close()
		if problems, err := cp.IntegrityCheck(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("integrity of the copy: %v %v", problems, err)
		}
		u, err := models.NewStore(cp).UserByEmail(ctx, "ann@example.org")
		if err != nil || u.Name != "Ann" {
			t.Fatalf("the copy's user: %+v %v", u, err)
		}

		kept, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		err = db.BackupTo(ctx, path)
		var e *models.Error
		if !errors.As(err, &e) || e.Code != models.EINVALID || e.Field != "to" {
			t.Errorf("backup onto an existing file: %v, want %s on to", err, models.EINVALID)
		}
		if again, _ := os.ReadFile(path); !bytes.Equal(again, kept) {
			t.Error("the refused backup changed the existing file")
		}
	})
}
