package routes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/auth"
	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

// bulkAnswer is the answer of PATCH /api/v1/articles/{id}/sentences.
type bulkAnswer struct {
	Atomic  bool `json:"atomic"`
	Written int  `json:"written"`
	Refused int  `json:"refused"`
	Results []struct {
		ID       int64         `json:"id"`
		Sentence *sentenceJSON `json:"sentence"`
		Error    *struct {
			Code    string        `json:"code"`
			Message string        `json:"message"`
			Current *sentenceJSON `json:"current"`
		} `json:"error"`
	} `json:"results"`
}

func bulk(e *env, role models.Role, articleID int64, body any) apiResponse {
	e.t.Helper()
	return e.api(role, "PATCH", fmt.Sprintf("/api/v1/articles/%d/sentences", articleID), body)
}

// versions reads the article's sentences' versions through the API.
func versions(t *testing.T, e *env, articleID int64) map[int64]int {
	t.Helper()
	var a articleJSON
	e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(articleID), nil).decode(t, &a)
	out := map[int64]int{}
	for _, s := range a.Sentences {
		out[s.ID] = s.Version
	}
	return out
}

func verifies(t *testing.T, e *env, articleID int64) {
	t.Helper()
	var trail struct {
		Verification models.Verification `json:"verification"`
	}
	e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/audit", articleID), nil).decode(t, &trail)
	if !trail.Verification.OK {
		t.Errorf("chain of article %d: %+v", articleID, trail.Verification.Problems)
	}
}

// TestBulkSentencePatch changes several sentences in one request: all or
// nothing by default, each on its own with "atomic": false, one audit
// event a sentence, the rules and the roles as for one sentence.
func TestBulkSentencePatch(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		other := importSeedCopy(t, e)
		s1, s2, s3 := a.Sentences[1], a.Sentences[2], a.Sentences[3]
		change := func(s sentenceJSON, label string, version int) map[string]any {
			return map[string]any{"id": s.ID, "version": version, "label": label}
		}

		// All or nothing: a stale version refuses the request and writes
		// nothing, naming the change.
		r := bulk(e, models.RoleChecker, a.ID, map[string]any{"sentences": []any{
			change(s1, "fact", s1.Version), change(s2, "quote", s2.Version+5), change(s3, "assessment", s3.Version)}})
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "change 2 (sentence "+itoa(s2.ID)+")") {
			t.Fatalf("atomic with a stale version: %d %s, want 409 naming change 2", r.Status, r.Body)
		}
		if v := versions(t, e, a.ID); v[s1.ID] != s1.Version || v[s3.ID] != s3.Version {
			t.Fatalf("a refused all-or-nothing request wrote: %v", v)
		}

		// All good: every change written, an event each.
		r = bulk(e, models.RoleChecker, a.ID, map[string]any{"sentences": []any{
			change(s1, "fact", s1.Version), change(s2, "quote", s2.Version), change(s3, "assessment", s3.Version)}})
		var ok bulkAnswer
		if r.Status != http.StatusOK {
			t.Fatalf("atomic: %d %s", r.Status, r.Body)
		}
		r.decode(t, &ok)
		if !ok.Atomic || ok.Written != 3 || ok.Refused != 0 || len(ok.Results) != 3 || ok.Results[1].Sentence == nil ||
			*ok.Results[1].Sentence.Label != "quote" || ok.Results[1].Sentence.Version != s2.Version+1 {
			t.Fatalf("atomic answer: %s", r.Body)
		}
		for _, s := range []sentenceJSON{s1, s2, s3} {
			var hist struct {
				Events []models.AuditEvent `json:"events"`
			}
			e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/sentences/%d/history", s.ID), nil).decode(t, &hist)
			if len(hist.Events) != 1 || hist.Events[0].Action != "sentence.update" {
				t.Errorf("sentence %d: %d events, want one sentence.update", s.ID, len(hist.Events))
			}
		}

		// Each on its own: the stale one refused with the current
		// sentence, the others written.
		r = bulk(e, models.RoleChecker, a.ID, map[string]any{"atomic": false, "sentences": []any{
			change(s1, "allegation", s1.Version+1), change(s2, "fact", s2.Version)}})
		var each bulkAnswer
		if r.Status != http.StatusOK {
			t.Fatalf("each on its own: %d %s", r.Status, r.Body)
		}
		r.decode(t, &each)
		if each.Written != 1 || each.Refused != 1 || each.Results[1].Error == nil || each.Results[1].Error.Code != models.ECONFLICT ||
			each.Results[1].Error.Current == nil || each.Results[1].Error.Current.Version != s2.Version+1 {
			t.Fatalf("each on its own: %s", r.Body)
		}

		// Refused at the edge, nothing written: a sentence of another
		// article, one sentence twice, a broken rule, no version, a viewer.
		before := versions(t, e, a.ID)
		for _, tc := range []struct {
			role   models.Role
			body   any
			status int
		}{
			{models.RoleChecker, map[string]any{"sentences": []any{change(s3, "quote", s3.Version+1), change(other.Sentences[1], "fact", 1)}}, http.StatusNotFound},
			{models.RoleChecker, map[string]any{"sentences": []any{change(s3, "quote", s3.Version+1), change(s3, "fact", s3.Version+1)}}, http.StatusUnprocessableEntity},
			{models.RoleChecker, map[string]any{"sentences": []any{change(s3, "quote", s3.Version+1), change(s1, "rumour", s1.Version+2)}}, http.StatusUnprocessableEntity},
			{models.RoleChecker, map[string]any{"sentences": []any{map[string]any{"id": s3.ID, "label": "quote"}}}, http.StatusUnprocessableEntity},
			{models.RoleChecker, map[string]any{"sentences": []any{}}, http.StatusUnprocessableEntity},
			{models.RoleChecker, map[string]any{"sentences": []any{change(s3, "quote", s3.Version+1)}, "extra": 1}, http.StatusBadRequest},
			{models.RoleViewer, map[string]any{"sentences": []any{change(s3, "quote", s3.Version+1)}}, http.StatusForbidden},
		} {
			r := bulk(e, tc.role, a.ID, tc.body)
			if r.Status != tc.status {
				t.Errorf("%v: %d %s, want %d", tc.body, r.Status, r.Body, tc.status)
				continue
			}
			r.errorCode(t)
		}
		if after := versions(t, e, a.ID); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("refused requests wrote: %v, was %v", after, before)
		}
		verifies(t, e, a.ID)
	})
}

// importSeedCopy imports the seed article again under another URL, as a
// different article.
func importSeedCopy(t *testing.T, e *env) articleJSON {
	t.Helper()
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": seedArticle(t) + "\n\nA closing line.", "url": "https://news.example/b"})
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var a articleJSON
	r.decode(t, &a)
	return a
}

// TestBulkLabelsFiveThousand imports labels for a 5,000-sentence
// article in one request, as an integration moving from another tool
// does, and checks that every sentence has its label and event and that
// the chain verifies. The time is logged; the bench holds the target.
func TestBulkLabelsFiveThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("a 5,000-sentence import")
	}
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		story := newsgen.NewStory(rand.New(rand.NewPCG(5, 5)), 5000)
		r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"body": story.Body(), "format": "text", "title": story.Title})
		if r.Status != http.StatusCreated {
			t.Fatalf("import: %d %.300s", r.Status, r.Body)
		}
		var a articleJSON
		r.decode(t, &a)
		labels := []string{"fact", "allegation", "quote", "assessment"}
		var items []any
		for i, s := range a.Sentences {
			items = append(items, map[string]any{"id": s.ID, "version": s.Version, "label": labels[i%4]})
		}
		start := time.Now()
		r = bulk(e, models.RoleChecker, a.ID, map[string]any{"sentences": items})
		took := time.Since(start)
		var ans bulkAnswer
		if r.Status != http.StatusOK {
			t.Fatalf("bulk: %d %.300s", r.Status, r.Body)
		}
		r.decode(t, &ans)
		if ans.Written != len(a.Sentences) || ans.Refused != 0 {
			t.Fatalf("%d written, %d refused of %d", ans.Written, ans.Refused, len(a.Sentences))
		}
		var got articleJSON
		e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID), nil).decode(t, &got)
		for i, s := range got.Sentences {
			if s.Label == nil || *s.Label != labels[i%4] || s.Version != a.Sentences[i].Version+1 {
				t.Fatalf("sentence %d after the bulk change: %+v", i, s)
			}
		}
		verifies(t, e, a.ID)
		t.Logf("%d sentences labeled in one request in %s (%s)", len(items), took, db.Dialect())
	})
}

// secondServer starts another factdesk server on env's database, with a
// pool, a label batcher and caches of its own, as a second "factdesk
// serve" behind a load balancer: env's tokens work on it.
func secondServer(t *testing.T, e *env) string {
	t.Helper()
	db := testdb.Reopen(t, e.db, models.Options{})
	svc := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
	engine, err := web.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(routes.New(routes.Config{Service: svc, Web: engine, Version: "test"}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestTwoServersLabelOneArticle has 16 clients, half on each of two
// servers, label the same sentences of one article at once: no write is
// lost or recorded twice, each sentence's versions follow each other in
// its history, and the article's chain verifies.
func TestTwoServersLabelOneArticle(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		servers := []string{e.srv.URL, secondServer(t, e)}
		targets := a.Sentences[1:7]
		send := func(base, method, path string, body any) (int, []byte) {
			var rd io.Reader
			if body != nil {
				j, _ := json.Marshal(body)
				rd = bytes.NewReader(j)
			}
			req, _ := http.NewRequestWithContext(context.Background(), method, base+path, rd)
			req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleChecker])
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return 0, nil
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, b
		}
		var (
			mu       sync.Mutex
			accepted = map[int64]map[int]string{} // sentence → version → label
			conflict int
		)
		deadline := time.Now().Add(2 * time.Second)
		var wg sync.WaitGroup
		for c := range 16 {
			wg.Go(func() {
				base := servers[c%2]
				known := map[int64]int{}
				for _, s := range targets {
					known[s.ID] = s.Version
				}
				labels := []string{"fact", "allegation", "quote", "assessment"}
				for i := 0; time.Now().Before(deadline); i++ {
					s := targets[(c+i)%len(targets)]
					label := labels[(c+i)%4]
					status, b := send(base, "PATCH", "/api/v1/sentences/"+itoa(s.ID), map[string]any{"label": label, "version": known[s.ID]})
					switch status {
					case http.StatusOK:
						var got sentenceJSON
						json.Unmarshal(b, &got)
						wrote := got.Version > known[s.ID] // else the label was already so: nothing written
						known[s.ID] = got.Version
						if !wrote {
							continue
						}
						mu.Lock()
						if accepted[s.ID] == nil {
							accepted[s.ID] = map[int]string{}
						}
						if _, dup := accepted[s.ID][got.Version]; dup {
							t.Errorf("sentence %d: version %d answered twice", s.ID, got.Version)
						}
						accepted[s.ID][got.Version] = label
						mu.Unlock()
					case http.StatusConflict:
						var c struct {
							Error struct {
								Data sentenceJSON `json:"data"`
							} `json:"error"`
						}
						json.Unmarshal(b, &c)
						known[s.ID] = c.Error.Data.Version
						mu.Lock()
						conflict++
						mu.Unlock()
					default:
						t.Errorf("PATCH on %s: %d %s", base, status, b)
						return
					}
				}
			})
		}
		wg.Wait()
		total := 0
		for _, s := range targets {
			var hist struct {
				Events []models.AuditEvent `json:"events"`
			}
			e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/sentences/%d/history", s.ID), nil).decode(t, &hist)
			if len(hist.Events) != len(accepted[s.ID]) {
				t.Errorf("sentence %d: %d events, %d writes answered", s.ID, len(hist.Events), len(accepted[s.ID]))
			}
			for k := range hist.Events {
				ev := &hist.Events[k]
				ev.Before, ev.After = string(ev.BeforeRaw), string(ev.AfterRaw)
				before, after, err := models.EventStates(ev)
				if err != nil {
					t.Fatal(err)
				}
				if before.Version != s.Version+k || after.Version != s.Version+k+1 {
					t.Errorf("sentence %d: event %d goes %d→%d", s.ID, k, before.Version, after.Version)
				}
				if accepted[s.ID][after.Version] != after.Label {
					t.Errorf("sentence %d: v%d is %q in the history, %q as answered", s.ID, after.Version, after.Label, accepted[s.ID][after.Version])
				}
			}
			total += len(accepted[s.ID])
		}
		verifies(t, e, a.ID)
		if total < 20 || conflict == 0 {
			t.Errorf("%d writes and %d conflicts: the clients no longer meet", total, conflict)
		}
		t.Logf("%d writes over two servers, %d conflicts", total, conflict)
	})
}
