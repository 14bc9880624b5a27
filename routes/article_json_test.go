package routes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestArticleJSONAsEncodingJSON checks that GET /api/v1/articles/{id},
// which writes its sentences by hand, answers byte for byte what
// encoding/json writes for the same article: labeled and open sentences,
// notes that need escaping, machine and checker attributions, suggestions,
// assignees, and an article of two revisions read at each.
func TestArticleJSONAsEncodingJSON(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		id := itoa(a.ID)
		for i, s := range a.Sentences[:4] {
			if s.Status == "excluded" {
				continue
			}
			body := map[string]any{"label": "fact", "note": fmt.Sprintf("<b>%d</b> & \"so\"\u2028\t é", i), "version": s.Version}
			if r := patch(e, models.RoleChecker, s.ID, body); r.Status != http.StatusOK {
				t.Fatalf("label %d: %d %s", s.ID, r.Status, r.Body)
			}
		}
		if r := e.api(models.RoleChecker, "PUT", "/api/v1/sentences/"+itoa(a.Sentences[5].ID)+"/attribution",
			map[string]any{"speaker": "the <ministry>", "cue": "according to", "version": 0}); r.Status != http.StatusOK {
			t.Fatalf("attribution: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleEditor, "POST", "/api/v1/articles/"+id+"/assignees",
			map[string]any{"user_id": e.users[models.RoleChecker].ID, "due_at": "2030-01-02T15:04:05+01:00", "priority": "urgent"}); r.Status != http.StatusCreated {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+id+"/revisions", map[string]any{"body": reviseSeed(t, seedArticle(t))}); r.Status != http.StatusCreated {
			t.Fatalf("revision: %d %s", r.Status, r.Body)
		}
		who := e.users[models.RoleChecker].Actor()
		for _, number := range []int{0, 1, 2} {
			path := "/api/v1/articles/" + id
			if number > 0 {
				path += fmt.Sprintf("?revision=%d", number)
			}
			r := e.api(models.RoleChecker, "GET", path, nil)
			if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("GET %s: %d %q %s", path, r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			d, err := e.svc.ArticleAtRevision(context.Background(), who, a.ID, number)
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.Body, want) {
				i := 0
				for i < min(len(r.Body), len(want)) && r.Body[i] == want[i] {
					i++
				}
				t.Fatalf("GET %s differs from encoding/json at byte %d of %d:\n got …%.200s\nwant …%.200s", path, i, len(want), r.Body[max(i-100, 0):], want[max(i-100, 0):])
			}
			var shape struct {
				Sentences []struct {
					Attribution *struct {
						Spans []json.RawMessage `json:"spans"`
					} `json:"attribution"`
					Suggestion *struct{} `json:"suggestion"`
				} `json:"sentences"`
				Assignees []struct{} `json:"assignees"`
			}
			r.decode(t, &shape)
			attrs, spans, sugs := 0, 0, 0
			for _, s := range shape.Sentences {
				if s.Attribution != nil {
					attrs++
					spans += len(s.Attribution.Spans)
				}
				if s.Suggestion != nil {
					sugs++
				}
			}
			// An earlier revision is shown without the article's assignees.
			if len(shape.Sentences) < 10 || attrs == 0 || spans == 0 || sugs == 0 || (len(shape.Assignees) != 1) != (number == 1) {
				t.Errorf("GET %s: %d sentences, %d attributions with %d spans, %d suggestions, %d assignees: the article does not exercise the encoder",
					path, len(shape.Sentences), attrs, spans, sugs, len(shape.Assignees))
			}
		}
	})
}
