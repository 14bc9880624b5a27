package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestAuditCheckpoint drives the real commands: "audit keygen" writes a
// private key and refuses to overwrite it, "audit checkpoint" signs the
// heads, once and on a schedule, and "audit verify --checkpoint" passes
// until the tail of an article's chain is cut off and its head set back —
// which plain "audit verify" cannot see — and then fails naming the
// article; a forged checkpoint fails too. On both databases.
func TestAuditCheckpoint(t *testing.T) {
	for _, kind := range testdb.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, kind)
			db, svc, u := checkerOn(t, dsn)
			res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Body: "First claim here. Second claim here."})
			if err != nil {
				t.Fatal(err)
			}
			id := res.Article.ID
			comment := func(body string) {
				t.Helper()
				if _, err := svc.AddComment(ctx, u.Actor(), models.NewComment{ArticleID: id, Body: body}); err != nil {
					t.Fatal(err)
				}
			}
			comment("Before the checkpoint.")
			dir := t.TempDir()
			keyFile, pubFile := filepath.Join(dir, "audit.key"), filepath.Join(dir, "audit.pub")

			code, out, errs := run(t, "", nil, "audit", "keygen", keyFile)
			if code != 0 || !strings.Contains(out, "BEGIN PUBLIC KEY") {
				t.Fatalf("keygen: exit %d\n%s%s", code, out, errs)
			}
			info, err := os.Stat(keyFile)
			if err != nil {
				t.Fatal(err)
			}
			if got := info.Mode().Perm(); got != 0o600 {
				t.Errorf("the key's mode: got %04o, want 0600", got)
			}
			key, _ := os.ReadFile(keyFile)
			if !strings.HasPrefix(string(key), "-----BEGIN PRIVATE KEY-----") {
				t.Errorf("the key file: got %q, want a PEM PRIVATE KEY", key)
			}
			if err := os.WriteFile(pubFile, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, errs := run(t, "", nil, "audit", "keygen", keyFile); code != 1 || !strings.Contains(errs, "refusing to overwrite") {
				t.Errorf("keygen over an existing key: exit %d, want 1\n%s", code, errs)
			}
			if again, _ := os.ReadFile(keyFile); string(again) != string(key) {
				t.Error("keygen over an existing key changed it")
			}

			cpFile := filepath.Join(dir, "first.json")
			if code, out, errs := run(t, "", nil, "audit", "checkpoint", "--db", dsn, "--audit-key", keyFile, "-o", cpFile); code != 0 {
				t.Fatalf("checkpoint: exit %d\n%s%s", code, out, errs)
			}
			code, stdout, errs := run(t, "", nil, "audit", "checkpoint", "--db", dsn, "--audit-key", keyFile)
			if code != 0 || !strings.Contains(stdout, `"heads": [`) || !strings.Contains(stdout, fmt.Sprintf("\n    [%d,2,", id)) {
				t.Errorf("checkpoint to stdout: exit %d, want the heads with article %d at event 2\n%s%s", code, id, stdout, errs)
			}

			// On a schedule, until cancelled.
			every := filepath.Join(dir, "every")
			sctx, cancel := context.WithCancel(ctx)
			done := make(chan int, 1)
			sout := &syncBuffer{}
			p := &Program{Stdin: strings.NewReader(""), Stdout: sout, Stderr: io.Discard, Getenv: func(string) string { return "" }}
			go func() {
				done <- p.Run(sctx, []string{"audit", "checkpoint", "--db", dsn, "--audit-key", keyFile, "--every", "100ms", "--dir", every})
			}()
			time.Sleep(350 * time.Millisecond)
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("checkpoint --every: exit %d after the cancel, want 0\n%s", code, sout)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("checkpoint --every did not stop when cancelled")
			}
			entries, err := os.ReadDir(every)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) < 2 {
				t.Errorf("checkpoint --every 100ms for 350ms: got %d files, want at least 2\n%s", len(entries), sout)
			}
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), "checkpoint-") || !strings.HasSuffix(e.Name(), ".json") {
					t.Errorf("checkpoint --every wrote %s", e.Name())
				}
			}

			comment("After the checkpoint.")
			verify := func(args ...string) (int, string) {
				t.Helper()
				code, out, errs := run(t, "", nil, append([]string{"audit", "verify", "--db", dsn}, args...)...)
				return code, out + errs
			}
			if code, out := verify("--checkpoint", cpFile, "--checkpoint", every, "--audit-pubkey", pubFile); code != 0 || !strings.Contains(out, "signed by the pinned key") {
				t.Fatalf("verify --checkpoint, pinned: exit %d\n%s", code, out)
			}
			if code, out := verify("--checkpoint", cpFile); code != 0 || !strings.Contains(out, "the checkpoint's own") {
				t.Errorf("verify --checkpoint, not pinned: exit %d, want 0 and a word that the key is the checkpoint's own\n%s", code, out)
			}

			// Cut the last two events off the chain (both comments, which
			// go too) and set the head back.
			g := db.Gorm()
			for range 2 {
				var prev string
				if err := g.Raw(`SELECT prev_hash FROM audit_events WHERE article_id = ? AND seq = (SELECT audit_seq FROM articles WHERE id = ?)`, id, id).Scan(&prev).Error; err != nil {
					t.Fatal(err)
				}
				// A thorough forger removes what the event recorded too (a
				// comment), so that the replay finds nothing unexplained.
				if err := g.Exec(`DELETE FROM comments WHERE id IN (SELECT entity_id FROM audit_events WHERE entity = 'comment' AND action = 'comment.add'
					AND article_id = ? AND seq = (SELECT audit_seq FROM articles WHERE id = ?))`, id, id).Error; err != nil {
					t.Fatal(err)
				}
				if err := g.Exec(`DELETE FROM audit_events WHERE article_id = ? AND seq = (SELECT audit_seq FROM articles WHERE id = ?)`, id, id).Error; err != nil {
					t.Fatal(err)
				}
				if err := g.Exec(`UPDATE articles SET audit_seq = audit_seq - 1, audit_head = ? WHERE id = ?`, prev, id).Error; err != nil {
					t.Fatal(err)
				}
			}
			if code, out := verify(); code != 0 {
				t.Fatalf("plain verify after the rollback should pass (that is the gap): exit %d\n%s", code, out)
			}
			code, out = verify("--checkpoint", cpFile, "--audit-pubkey", pubFile)
			if code != 1 || !strings.Contains(out, fmt.Sprintf("article %d was rolled back", id)) || !strings.Contains(out, "checkpointed at event 2") {
				t.Errorf("verify --checkpoint after the rollback: exit %d, want 1 naming article %d\n%s", code, id, out)
			}
			if code, out := verify("--article", fmt.Sprint(id), "--checkpoint", every); code != 1 || !strings.Contains(out, "FAILED") {
				t.Errorf("verify --article --checkpoint DIR after the rollback: exit %d, want 1\n%s", code, out)
			}

			// A forged checkpoint: the head of the global chain changed.
			data, err := os.ReadFile(cpFile)
			if err != nil {
				t.Fatal(err)
			}
			cp, err := models.DecodeCheckpoint(data)
			if err != nil {
				t.Fatal(err)
			}
			cp.Heads[0].Hash = strings.Repeat("0", 64)
			if data, err = cp.Encode(); err != nil {
				t.Fatal(err)
			}
			forged := filepath.Join(dir, "forged.json")
			if err := os.WriteFile(forged, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if code, out := verify("--checkpoint", forged); code != 1 || !strings.Contains(out, "signature does not match") {
				t.Errorf("verify a forged checkpoint: exit %d, want 1 and the signature refused\n%s", code, out)
			}
		})
	}
}

// TestAuditCheckpointUsage checks the mistakes in calling the new verbs.
func TestAuditCheckpointUsage(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "k")
	for _, args := range [][]string{
		{"audit", "keygen"},
		{"audit", "keygen", "a", "b"},
		{"audit", "checkpoint"},
		{"audit", "checkpoint", "--audit-key", key, "--every", "1s"},
		{"audit", "checkpoint", "--audit-key", key, "--dir", dir},
		{"audit", "checkpoint", "--audit-key", key, "--every", "1s", "--dir", dir, "-o", key},
		{"audit", "verify", "--audit-pubkey", key},
	} {
		if code, _, errs := run(t, "", nil, args...); code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", strings.Join(args, " "), code, errs)
		}
	}
}
