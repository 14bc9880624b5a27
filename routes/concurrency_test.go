package routes_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestConcurrentLabels has 32 clients set labels on the same sentences of
// one article through the HTTP API for a few seconds. Every accepted write
// must be in the history exactly once, versions never go backwards, and
// the chain verifies.
func TestConcurrentLabels(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		targets := []sentenceJSON{a.Sentences[1], a.Sentences[2], a.Sentences[3]}
		labels := []string{"fact", "allegation", "quote", "assessment"}
		type write struct {
			id      int64
			version int // the version the write produced
			label   string
		}
		var (
			mu       sync.Mutex
			accepted []write
			// seen holds, per sentence, the last version each client saw;
			// a client never sees a version go backwards.
			backwards int
		)
		deadline := time.Now().Add(3 * time.Second)
		var wg sync.WaitGroup
		for c := 0; c < 32; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				last := map[int64]int{}
				for i := 0; time.Now().Before(deadline); i++ {
					s := targets[(c+i)%len(targets)]
					r := e.api(models.RoleChecker, "GET", "/api/v1/sentences/"+itoa(s.ID), nil)
					var cur sentenceJSON
					r.decode(t, &cur)
					if cur.Version < last[s.ID] {
						mu.Lock()
						backwards++
						mu.Unlock()
					}
					last[s.ID] = cur.Version
					label := labels[(c+i)%4]
					r = patch(e, models.RoleChecker, s.ID, map[string]any{"label": label, "version": cur.Version})
					switch r.Status {
					case 200:
						var got sentenceJSON
						r.decode(t, &got)
						mu.Lock()
						accepted = append(accepted, write{s.ID, got.Version, label})
						mu.Unlock()
					case 409:
					default:
						t.Errorf("PATCH: %d %s", r.Status, r.Body)
						return
					}
				}
			}(c)
		}
		wg.Wait()
		if backwards > 0 {
			t.Errorf("versions went backwards %d times", backwards)
		}
		if len(accepted) < 10 {
			t.Fatalf("only %d writes accepted", len(accepted))
		}
		// Every accepted write is in the history exactly once, with its
		// version and label.
		for _, s := range targets {
			var hist struct {
				Events []models.AuditEvent `json:"events"`
			}
			e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/sentences/%d/history", s.ID), nil).decode(t, &hist)
			byVersion := map[int]string{}
			prev := 1
			for i := range hist.Events {
				ev := &hist.Events[i]
				ev.Before, ev.After = string(ev.BeforeRaw), string(ev.AfterRaw)
				before, after, err := models.EventStates(ev)
				if err != nil {
					t.Fatal(err)
				}
				if before.Version != prev || after.Version != prev+1 {
					t.Errorf("sentence %d: event goes %d→%d after %d", s.ID, before.Version, after.Version, prev)
				}
				prev = after.Version
				if _, dup := byVersion[after.Version]; dup {
					t.Errorf("sentence %d: version %d recorded twice", s.ID, after.Version)
				}
				byVersion[after.Version] = after.Label
			}
			for _, w := range accepted {
				if w.id != s.ID {
					continue
				}
				if got, ok := byVersion[w.version]; !ok || got != w.label {
					t.Errorf("sentence %d: accepted write v%d %s is in the history as %q (%v)", s.ID, w.version, w.label, got, ok)
				}
			}
		}
		var trail struct {
			Verification models.Verification `json:"verification"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", a.ID), nil).decode(t, &trail)
		if !trail.Verification.OK {
			t.Errorf("chain after concurrent writes: %+v", trail.Verification.Problems)
		}
		t.Logf("%d writes accepted", len(accepted))
	})
}
