package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// sourceFixture is a store with one checker and one article of four
// sentences.
type sourceFixture struct {
	st      *models.Store
	db      *models.DB
	checker models.Actor
	article *models.Article
	sents   []models.Sentence
}

func newSourceFixture(t *testing.T, db *models.DB) *sourceFixture {
	t.Helper()
	ctx := context.Background()
	st := models.NewStore(db)
	u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "cat@example.org", Name: "Cat", Role: models.RoleChecker, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	f := &sourceFixture{st: st, db: db, checker: u.Actor()}
	f.article, f.sents = f.addArticle(t, "One claim here. Two claims here. Three claims. Four.")
	return f
}

// addArticle stores an article whose sentences are the body's pieces
// ending in ". ".
func (f *sourceFixture) addArticle(t *testing.T, body string) (*models.Article, []models.Sentence) {
	t.Helper()
	ctx := context.Background()
	sum := sha256.Sum256([]byte(body))
	na := models.NewArticle{Title: "Article " + hex.EncodeToString(sum[:3]), Format: "text", Body: body,
		BodySHA256: hex.EncodeToString(sum[:]), ParagraphCount: 1}
	start := 0
	for i, piece := range strings.SplitAfter(body, ". ") {
		text := strings.TrimSpace(piece)
		end := start + len(text)
		na.Sentences = append(na.Sentences, models.Sentence{Index: i, StartByte: start, EndByte: end, Start: start, End: end, Text: text, Quote: "none"})
		start += len(piece)
	}
	a, _, err := f.st.CreateArticle(ctx, f.checker, na)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := f.st.Sentences(ctx, *a.CurrentRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	return a, ss
}

func (f *sourceFixture) source(t *testing.T, title, url string) *models.Source {
	t.Helper()
	src, _, err := f.st.CreateSource(context.Background(), f.checker, models.NewSource{Kind: models.KindWebPage, Title: title, URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// setStatus changes what the review workflow would, directly in the
// database: that workflow is not what these tests are about.
func (f *sourceFixture) setArticleStatus(t *testing.T, status models.ArticleStatus) {
	t.Helper()
	if err := f.db.Gorm().Exec(`UPDATE articles SET status = ? WHERE id = ?`, status, f.article.ID).Error; err != nil {
		t.Fatal(err)
	}
}

func (f *sourceFixture) setSentenceStatus(t *testing.T, id int64, status string) {
	t.Helper()
	if err := f.db.Gorm().Exec(`UPDATE sentences SET label = 'fact', status = ? WHERE id = ?`, status, id).Error; err != nil {
		t.Fatal(err)
	}
}

func actions(evs []models.AuditEvent, entity string) []string {
	var out []string
	for _, e := range evs {
		if e.Entity == entity {
			out = append(out, e.Action)
		}
	}
	return out
}

func TestCreateSourceDeduplicatesByURL(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		a, created, err := f.st.CreateSource(ctx, f.checker, models.NewSource{Kind: models.KindWebPage, Title: "Bill text", URL: "https://congress.example/bill/3364"})
		if err != nil || !created {
			t.Fatalf("create: %v, created %v", err, created)
		}
		b, created, err := f.st.CreateSource(ctx, f.checker, models.NewSource{Kind: models.KindDocument, Title: "Another title", URL: "https://congress.example/bill/3364"})
		if err != nil {
			t.Fatal(err)
		}
		if created || b.ID != a.ID || b.Title != "Bill text" {
			t.Errorf("same URL again: got source %d %q created %v, want source %d unchanged and created false", b.ID, b.Title, created, a.ID)
		}
		// Sources without a URL are never merged.
		p1 := f.source(t, "Jane Doe", "")
		p2 := f.source(t, "Jane Doe", "")
		if p1.ID == p2.ID {
			t.Errorf("two sources without URL merged into %d", p1.ID)
		}
		if _, _, err := f.st.CreateSource(ctx, f.checker, models.NewSource{Kind: models.KindWebPage, Title: "x", URL: "HTTPS://Example.org/"}); err == nil {
			t.Error("a URL that is not normalised: got nil error")
		}
		evs, err := f.st.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(actions(evs, "source"), ","), "source.create,source.create,source.create"; got != want {
			t.Errorf("source events: got %s, want %s", got, want)
		}
	})
}

func TestSourceValidation(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		g := models.Reliability("G")
		seven := models.Credibility(7)
		tests := []struct {
			name  string
			ns    models.NewSource
			field string
		}{
			{"unknown kind", models.NewSource{Kind: "rumour", Title: "x"}, "kind"},
			{"no title", models.NewSource{Kind: models.KindPerson}, "title"},
			{"reliability G", models.NewSource{Kind: models.KindPerson, Title: "x", Reliability: &g}, "reliability"},
			{"credibility 7", models.NewSource{Kind: models.KindPerson, Title: "x", Credibility: &seven}, "credibility"},
			{"withheld without reason", models.NewSource{Kind: models.KindPerson, Title: "x", Withheld: true}, "withheld_reason"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := f.st.CreateSource(ctx, f.checker, tt.ns)
				e, ok := models.AsError(err)
				if !ok || e.Code != models.EINVALID || e.Field != tt.field {
					t.Errorf("got %v, want an invalid error on %s", err, tt.field)
				}
			})
		}
	})
}

func TestUpdateSource(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		a := f.source(t, "Page A", "https://a.example/")
		b := f.source(t, "Page B", "https://b.example/")
		rel, cred := models.Reliability("B"), models.Credibility(2)
		title := "Page A, renamed"
		got, err := f.st.UpdateSource(ctx, f.checker, a.ID, models.SourceChange{Title: &title, Reliability: &rel, Credibility: &cred})
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != title || got.Grade() != "B2" || got.URL != "https://a.example/" {
			t.Errorf("after update: %q %q %q", got.Title, got.Grade(), got.URL)
		}
		// Clearing a grade takes its zero value.
		none := models.Credibility(0)
		if got, err = f.st.UpdateSource(ctx, f.checker, a.ID, models.SourceChange{Credibility: &none}); err != nil || got.Credibility != nil || got.Grade() != "B–" {
			t.Errorf("clear credibility: %v, grade %q", err, got.Grade())
		}
		// Another source's URL is a conflict naming it.
		_, err = f.st.UpdateSource(ctx, f.checker, a.ID, models.SourceChange{URL: &b.URL})
		if e, ok := models.AsError(err); !ok || e.Code != models.ECONFLICT || e.Field != "url" {
			t.Errorf("taking another source's URL: got %v, want a conflict on url", err)
		}
		// Withholding needs a reason, also when the reason was empty before.
		yes := true
		if _, err = f.st.UpdateSource(ctx, f.checker, a.ID, models.SourceChange{Withheld: &yes}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("withhold without reason: got %v", err)
		}
		reason := "names an informant"
		if got, err = f.st.UpdateSource(ctx, f.checker, a.ID, models.SourceChange{Withheld: &yes, WithheldReason: &reason}); err != nil || !got.Withheld {
			t.Errorf("withhold with reason: %v", err)
		}
		// Nothing changed, nothing recorded.
		if _, err = f.st.UpdateSource(ctx, f.checker, a.ID, models.SourceChange{Title: &title}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.UpdateSource(ctx, f.checker, 9999, models.SourceChange{Title: &title}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("missing source: got %v", err)
		}
		evs, err := f.st.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var updates []models.AuditEvent
		for _, e := range evs {
			if e.Action == "source.update" {
				updates = append(updates, e)
			}
		}
		if len(updates) != 3 {
			t.Fatalf("update events: got %d, want 3 (rename and grade, clear, withhold)", len(updates))
		}
		var before, after map[string]any
		if err := json.Unmarshal(updates[0].BeforeRaw, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(updates[0].AfterRaw, &after); err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(after))
		for k := range after {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if got := strings.Join(keys, ","); got != "credibility,reliability,title" || before["title"] != "Page A" || after["title"] != title {
			t.Errorf("first update records %v → %v, want only title and grades", before, after)
		}
		var head struct {
			Seq  int64
			Head string
		}
		if err := db.Gorm().Raw(`SELECT seq, head FROM audit_heads WHERE name = 'global'`).Scan(&head).Error; err != nil {
			t.Fatal(err)
		}
		if p := models.VerifyChain(evs, head.Seq, head.Head); len(p) != 0 {
			t.Errorf("global chain: %v", p)
		}
	})
}

func TestRecordRetrieval(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		src := f.source(t, "Page", "https://a.example/p")
		at := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
		sum := strings.Repeat("ab", 32)
		got, err := f.st.RecordRetrieval(ctx, f.checker, src.ID, models.Retrieval{At: at, HTTPStatus: 200,
			ContentType: "text/html; charset=utf-8", SHA256: sum, FinalURL: "https://a.example/p?x=1"})
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.st.Source(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []*models.Source{got, again} {
			if s.RetrievedAt == nil || !s.RetrievedAt.Equal(at.Truncate(time.Microsecond)) || s.HTTPStatus == nil || *s.HTTPStatus != 200 ||
				s.SHA256 != sum || s.FinalURL != "https://a.example/p?x=1" || s.ContentType != "text/html; charset=utf-8" {
				t.Errorf("retrieval record: %+v", s)
			}
		}
		evs, err := f.st.GlobalEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if acts := actions(evs, "source"); acts[len(acts)-1] != "source.retrieve" {
			t.Errorf("events: %v", acts)
		}
	})
}
