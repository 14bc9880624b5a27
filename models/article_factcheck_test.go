package models_test

import (
	"context"
	"errors"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestSetFactCheckURL checks that the fact-check URL is stored, cleared and
// audited in one step, that repeating a value records nothing, and that
// the article still verifies with the new events in its trail.
func TestSetFactCheckURL(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		const u = "https://news.example/fact-checks/rain"
		steps := []struct {
			set        string
			want       *string
			wantEvents int // article.update events so far
		}{
			{u, ptr(u), 1},
			{u, ptr(u), 1}, // the same value again: nothing to record
			{"", nil, 2},
			{"", nil, 2},
		}
		for i, st := range steps {
			a, err := f.st.SetFactCheckURL(ctx, f.checker, f.article.ID, st.set)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			stored, err := f.st.Article(ctx, f.article.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, got := range []*models.Article{a, stored} {
				if !equalPtr(got.FactCheckURL, st.want) {
					t.Errorf("step %d: fact-check URL %v, want %v", i, deref(got.FactCheckURL), deref(st.want))
				}
			}
			if a.AuditSeq != stored.AuditSeq || a.AuditHead != stored.AuditHead {
				t.Errorf("step %d: returned chain head %d/%s, stored %d/%s", i, a.AuditSeq, a.AuditHead, stored.AuditSeq, stored.AuditHead)
			}
			if got := updates(t, f.st, f.article.ID); len(got) != st.wantEvents {
				t.Errorf("step %d: %d article.update events, want %d", i, len(got), st.wantEvents)
			}
		}
		evs := updates(t, f.st, f.article.ID)
		if e := evs[0]; string(e.BeforeRaw) != `{"factcheck_url":null}` || string(e.AfterRaw) != `{"factcheck_url":"`+u+`"}` || e.Actor != f.checker.Label() {
			t.Errorf("first event: %s %s → %s, want %s null → the URL", e.Actor, e.BeforeRaw, e.AfterRaw, f.checker.Label())
		}
		if e := evs[1]; string(e.BeforeRaw) != `{"factcheck_url":"`+u+`"}` || string(e.AfterRaw) != `{"factcheck_url":null}` {
			t.Errorf("second event: %s → %s, want the URL → null", e.BeforeRaw, e.AfterRaw)
		}
		v, err := f.st.VerifyArticle(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.OK {
			t.Errorf("the article does not verify after the fact-check URL events: %+v", v.Problems)
		}
		if _, err := f.st.SetFactCheckURL(ctx, f.checker, f.article.ID+1000, u); !errors.Is(err, models.ErrNotFound) && models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown article: got %v, want not found", err)
		}
	})
}

// updates returns an article's article.update events.
func updates(t *testing.T, st *models.Store, articleID int64) []models.AuditEvent {
	t.Helper()
	evs, err := st.ArticleEvents(context.Background(), articleID)
	if err != nil {
		t.Fatal(err)
	}
	var out []models.AuditEvent
	for _, e := range evs {
		if e.Action == "article.update" {
			out = append(out, e)
		}
	}
	return out
}

func equalPtr(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
