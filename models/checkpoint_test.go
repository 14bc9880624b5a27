package models_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestCheckpointDetectsRollback takes a signed checkpoint, adds events,
// and checks that the chains still extend it; then cuts the last event off
// an article's chain and sets its head back, as someone with write access
// to the database could: the article's own verification still passes, the
// checkpoint's reports the rollback — on both databases.
func TestCheckpointDetectsRollback(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			a, b := d.article(t, "Budget"), d.article(t, "Harbour")
			_, key, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			comment := func(id int64, body string) {
				t.Helper()
				if _, err := d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: id, Body: body}); err != nil {
					t.Fatal(err)
				}
			}
			comment(a.ID, "Before the checkpoint.")
			cp, err := d.st.TakeCheckpoint(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			// The global chain and both articles, sorted.
			if got := len(cp.Heads); got != 3 || cp.Heads[0].ArticleID != 0 || cp.Heads[1].ArticleID != a.ID || cp.Heads[2].ArticleID != b.ID {
				t.Fatalf("heads: got %+v, want the global chain, %d and %d", cp.Heads, a.ID, b.ID)
			}
			if cp.Heads[0].Seq == 0 || cp.Heads[1].Seq != 2 {
				t.Errorf("heads: got %+v, want the users' events and two events of article %d", cp.Heads, a.ID)
			}
			// Kept as a file and read back, it still verifies.
			data, err := cp.Encode()
			if err != nil {
				t.Fatal(err)
			}
			kept, err := models.DecodeCheckpoint(data)
			if err != nil {
				t.Fatalf("decode %s: %v", data, err)
			}
			if _, err := kept.VerifySignature(key.Public().(ed25519.PublicKey)); err != nil {
				t.Fatalf("the kept checkpoint: %v\n%s", err, data)
			}
			comment(a.ID, "After the checkpoint.")
			comment(b.ID, "After the checkpoint too.")
			c := d.article(t, "New since")
			check := func() *models.CheckpointResult {
				t.Helper()
				res, err := d.st.VerifyCheckpoint(ctx, kept, nil)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			if res := check(); !res.OK() || res.Chains != 3 {
				t.Fatalf("after more events: got %+v, want 3 chains ok", res)
			}

			// Back to the checkpoint, and one event more: still extends it.
			rollback := func(id int64) {
				t.Helper()
				g := d.st.DB().Gorm()
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
			rollback(a.ID)
			if res := check(); !res.OK() {
				t.Fatalf("rolled back to the checkpointed head exactly: got %+v, want ok", res.Problems)
			}
			// One more: past the checkpoint. The chain alone cannot tell.
			rollback(a.ID)
			v, err := d.st.VerifyArticle(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !v.OK {
				t.Fatalf("the rolled-back chain is consistent, so VerifyArticle should pass: %+v", v.Problems)
			}
			res := check()
			if len(res.Problems) != 1 {
				t.Fatalf("after the rollback: got %+v, want one problem", res.Problems)
			}
			p := res.Problems[0]
			want := cp.Heads[1]
			if p.ArticleID != a.ID || p.Seq != want.Seq || p.Hash != want.Hash || p.HeadSeq != want.Seq-1 || p.HeadHash != v.HeadHash {
				t.Errorf("the problem: got %+v, want article %d checkpointed at %d %s, now at %d %s", p, a.ID, want.Seq, want.Hash, want.Seq-1, v.HeadHash)
			}
			for _, s := range []string{"article", "rolled back", want.Hash, v.HeadHash} {
				if !strings.Contains(p.Message, s) {
					t.Errorf("the message %q does not say %q", p.Message, s)
				}
			}
			// New events where the cut ones were: the chain is as long
			// again, but not the one checkpointed.
			comment(a.ID, "A different history.")
			comment(a.ID, "And more of it.")
			if res := check(); len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "rewritten") || res.Problems[0].EventHash == want.Hash {
				t.Errorf("after a rewrite past the checkpoint: got %+v, want it reported as rewritten", res.Problems)
			}
			// Limited to the other articles, nothing is wrong.
			if res, err := d.st.VerifyCheckpoint(ctx, kept, map[int64]bool{b.ID: true, c.ID: true}); err != nil || !res.OK() || res.Chains != 1 {
				t.Errorf("only article %d: got %+v, %v, want one chain ok", b.ID, res, err)
			}

			// A checkpoint naming an article that no longer exists (signed
			// by the key, as one taken before a deletion would be).
			gone := models.SignCheckpoint(key, d.now, append([]models.ChainHead{{ArticleID: c.ID + 100, Seq: 1, Hash: strings.Repeat("ab", 32)}}, cp.Heads[2]))
			res, err = d.st.VerifyCheckpoint(ctx, gone, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) != 1 || !res.Problems[0].Gone || !strings.Contains(res.Problems[0].Message, "no longer exists") {
				t.Errorf("a checkpointed article that is gone: got %+v", res.Problems)
			}
		})
	}
}

// TestCheckpointForged checks that a checkpoint whose content was changed
// after signing, or one signed by another key than the pinned one, is
// refused.
func TestCheckpointForged(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		st := models.NewStore(db)
		pub, key, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "e@desk.example", Name: "E", Role: models.RoleEditor, PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		cp, err := st.TakeCheckpoint(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cp.VerifySignature(pub); err != nil {
			t.Fatalf("the genuine checkpoint: %v", err)
		}
		data, err := cp.Encode()
		if err != nil {
			t.Fatal(err)
		}
		altered := func(edit func(c *models.Checkpoint)) *models.Checkpoint {
			c, err := models.DecodeCheckpoint(data)
			if err != nil {
				t.Fatal(err)
			}
			edit(c)
			return c
		}
		otherPub, otherKey, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			cp     *models.Checkpoint
			pinned ed25519.PublicKey
		}{
			{"a changed hash", altered(func(c *models.Checkpoint) { c.Heads[0].Hash = strings.Repeat("0", 64) }), nil},
			{"a changed seq", altered(func(c *models.Checkpoint) { c.Heads[0].Seq-- }), nil},
			{"a changed time", altered(func(c *models.Checkpoint) { c.TakenAt = c.TakenAt.Add(1) }), nil},
			{"a head added", altered(func(c *models.Checkpoint) {
				c.Heads = append(c.Heads, models.ChainHead{ArticleID: 7, Seq: 1, Hash: "ab"})
			}), nil},
			{"another key, pinned", models.SignCheckpoint(otherKey, st.Now(), cp.Heads), pub},
			{"another key put in a genuine checkpoint", altered(func(c *models.Checkpoint) { c.PublicKey = models.EncodePublicKey(otherPub) }), nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := tc.cp.VerifySignature(tc.pinned); !errors.Is(err, models.ErrBadCheckpoint) {
					t.Errorf("got %v, want ErrBadCheckpoint", err)
				}
			})
		}
		// Signed by another key without pinning: the signature holds, and
		// the caller is told whose key it is.
		other := models.SignCheckpoint(otherKey, st.Now(), cp.Heads)
		if got, err := other.VerifySignature(nil); err != nil || !got.Equal(otherPub) {
			t.Errorf("unpinned: got %v, %v, want the other key", got, err)
		}
	})
}

// TestAuditKeyEncoding reads back the keys as they are written.
func TestAuditKeyEncoding(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemKey, err := models.MarshalAuditKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pemKey), "-----BEGIN PRIVATE KEY-----") {
		t.Errorf("the private key: got %q", pemKey)
	}
	if got, err := models.ParseAuditKey(pemKey); err != nil || !got.Equal(key) {
		t.Errorf("ParseAuditKey: got %v", err)
	}
	pemPub, err := models.MarshalAuditPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{string(pemPub), "public key: " + models.EncodePublicKey(pub) + "\n" + string(pemPub), models.EncodePublicKey(pub) + "\n"} {
		if got, err := models.ParseAuditPublicKey([]byte(in)); err != nil || !got.Equal(pub) {
			t.Errorf("ParseAuditPublicKey(%q): got %v", in, err)
		}
	}
	if _, err := models.ParseAuditPublicKey(pemKey); err == nil {
		t.Error("a private key given as the public key: got nil error")
	}
}
