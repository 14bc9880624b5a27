package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// TestBackupWhileLabeling backs up an embedded database while a checker
// labels in it (another handle, as the server would be), and expects a
// copy that is whole and verifies on its own: its audit trail replays to
// exactly its sentences, and it holds every label acknowledged before the
// backup began. A second backup to the same file is refused and leaves it
// as it was; a database whose trail was tampered with gives no backup.
func TestBackupWhileLabeling(t *testing.T) {
	ctx := context.Background()
	dsn := testdb.DSN(t, testdb.SQLite)
	db, svc, u := checkerOn(t, dsn)
	var body strings.Builder
	for i := range 200 {
		body.WriteString("The council approved budget line number ")
		body.WriteString(strings.Repeat("x", i%7+1))
		body.WriteString(" on Tuesday. ")
	}
	res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Title: "Budget", Body: body.String()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.ArticleDetail(ctx, u.Actor(), res.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	label := func(i int) error {
		s := &d.Sentences[i%len(d.Sentences)]
		l := [2]string{"fact", "allegation"}[i/len(d.Sentences)%2]
		out, err := svc.UpdateSentence(ctx, u.Actor(), s.ID, reviewers.SentenceUpdate{Label: &l, Version: s.Version})
		if err == nil {
			s.Version = out.Version
		}
		return err
	}
	before := 50
	for i := range before {
		if err := label(i); err != nil {
			t.Fatal(err)
		}
	}

	// Label on while the backup runs.
	stop := make(chan struct{})
	var labeled atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := before; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := label(i); err != nil {
				t.Error(err)
				return
			}
			labeled.Add(1)
		}
	}()
	path := filepath.Join(t.TempDir(), "backup.db")
	code, out, errs := run(t, "", nil, "backup", "--db", dsn, "--to", path)
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "backup verified") {
		t.Fatalf("backup: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("%d labels landed while the backup ran", labeled.Load())
	if st, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if st.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode is %v; want 0600, it holds password hashes", st.Mode().Perm())
	}
	if code, out, _ := run(t, "", nil, "audit", "verify", "--db", "sqlite:"+path); code != 0 {
		t.Fatalf("audit verify of the backup: exit %d\n%s", code, out)
	}
	copyDB, err := models.Open(ctx, "sqlite:"+path, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var events int
	if err := copyDB.SQL().QueryRowContext(ctx, `SELECT count(*) FROM audit_events WHERE article_id = ? AND action LIKE 'sentence.%'`, res.Article.ID).Scan(&events); err != nil {
		t.Fatal(err)
	}
	copyDB.Close()
	if events < before || events > before+int(labeled.Load()) {
		t.Errorf("the backup holds %d label events; want between the %d acknowledged before it and the %d in all", events, before, before+int(labeled.Load()))
	}

	// The backup is not overwritten.
	kept, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "", nil, "backup", "--db", dsn, "--to", path); code == 0 || !strings.Contains(errs, "already exists") {
		t.Errorf("a second backup to the same file: exit %d, %s", code, errs)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, kept) {
		t.Error("the refused backup changed the existing file")
	}

	// A trail changed behind factdesk's back gives no backup.
	if err := db.Gorm().Exec(`UPDATE sentences SET label = 'quote' WHERE id = ?`, d.Sentences[3].ID).Error; err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	code, out, errs = run(t, "", nil, "backup", "--db", dsn, "--to", bad)
	if code != 1 || !strings.Contains(out, "FAILED") || !strings.Contains(errs, "does not verify") {
		t.Errorf("backup of a tampered database: exit %d\n%s%s", code, out, errs)
	}
	left, _ := filepath.Glob(bad + "*")
	if len(left) > 0 {
		t.Errorf("a failed backup left %v", left)
	}
}

// PostgreSQL is pg_dump's to back up: the command says so and writes
// nothing.
func TestBackupRefusesPostgres(t *testing.T) {
	path := filepath.Join(t.TempDir(), "backup.db")
	code, _, errs := run(t, "", nil, "backup", "--db", "postgres://postgres@127.0.0.1:5432/postgres", "--to", path)
	if code != 1 || !strings.Contains(errs, "pg_dump") {
		t.Errorf("backup of PostgreSQL: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a refused backup wrote a file")
	}
}
