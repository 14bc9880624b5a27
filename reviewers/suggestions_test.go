package reviewers_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	"factdesk/codebook"
	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// machineEnv is a service on a fresh database with an editor who imports.
type machineEnv struct {
	db     *models.DB
	store  *models.Store
	svc    *reviewers.Service
	editor models.Actor
}

func newMachineEnv(t *testing.T, db *models.DB) *machineEnv {
	t.Helper()
	store := models.NewStore(db)
	u, err := store.CreateUser(context.Background(), models.System, models.NewUser{Email: "ed@test.example", Name: "Ed", Role: models.RoleEditor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return &machineEnv{db: db, store: store, svc: reviewers.New(store, reviewers.Config{}, nil, nil), editor: u.Actor()}
}

func (e *machineEnv) importText(t *testing.T, body string) *reviewers.ArticleDetail {
	t.Helper()
	ctx := context.Background()
	res, err := e.svc.Import(ctx, e.editor, ingest.ArticleInput{Body: body})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.ArticleDetail(ctx, e.editor, res.Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func seedText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportStoresSeedAttributions imports the example article and checks
// the attributions a careful reader finds (issue 5; n is 1-based) and a
// suggestion for every sentence.
func TestImportStoresSeedAttributions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newMachineEnv(t, db)
		d := e.importText(t, seedText(t))
		if len(d.Sentences) != 30 {
			t.Fatalf("sentences: got %d, want 30", len(d.Sentences))
		}
		want := []struct {
			from, to int // 1-based, inclusive
			speaker  string
			medium   string
			cue      string
		}{
			{4, 4, "intelligence agencies", "", "according to"},
			{7, 9, "intelligence agencies", "", ""},
			{12, 12, "Trump", "", ""},
			{15, 15, "European Union", "", ""},
			{17, 18, "Putin", "", ""},
			{22, 25, "Putin", "Vesti TV", ""},
			{28, 28, "outlet", "", "Our assessment"},
		}
		for _, w := range want {
			for n := w.from; n <= w.to; n++ {
				s := d.Sentences[n-1]
				a := s.Attribution
				if a == nil {
					t.Errorf("sentence %d: no attribution, want %s", n, w.speaker)
					continue
				}
				if !strings.Contains(a.Speaker, w.speaker) || !strings.Contains(a.Medium, w.medium) || !strings.Contains(a.Cue, w.cue) {
					t.Errorf("sentence %d %q: got %q %q %q, want speaker %q, medium %q, cue %q", n, s.Text, a.Speaker, a.Cue, a.Medium, w.speaker, w.medium, w.cue)
				}
				if a.Origin != models.AttributionMachine || a.Confirmed() || a.Version != 1 {
					t.Errorf("sentence %d: origin %s confirmed %v version %d, want the machine's, unconfirmed, version 1", n, a.Origin, a.Confirmed(), a.Version)
				}
				if a.From == nil || *a.From > s.Index || (*a.From == s.Index) == a.CarriedOver {
					t.Errorf("sentence %d: from %v carried over %v: a stated attribution comes from the sentence itself, a carried one from before", n, a.From, a.CarriedOver)
				}
			}
		}
		for n := 23; n <= 25; n++ {
			if a := d.Sentences[n-1].Attribution; a == nil || !a.CarriedOver || a.From == nil || *a.From != 21 {
				t.Errorf("sentence %d: want Putin's words carried over from sentence 22, got %+v", n, a)
			}
		}
		for _, n := range []int{1, 10, 16, 30} {
			if a := d.Sentences[n-1].Attribution; a != nil {
				t.Errorf("sentence %d: got attribution %+v, want none", n, a)
			}
		}
		labels := map[codebook.Label]int{}
		for _, s := range d.Sentences {
			g := s.Suggestion
			if g == nil {
				t.Errorf("sentence %d: no suggestion", s.Number())
				continue
			}
			labels[g.Label]++
			if g.Reviewer != "reader" || g.ReviewerVersion != e.svc.Reviewer().Version() || len(g.Reasons) == 0 || g.Confidence <= 0 || g.Confidence > 1 {
				t.Errorf("sentence %d: suggestion %+v", s.Number(), g)
			}
		}
		for _, n := range []int{23, 24, 25} {
			if g := d.Sentences[n-1].Suggestion; g != nil && g.Label != codebook.Quote {
				t.Errorf("sentence %d inside the quotation: suggested %s, want quote", n, g.Label)
			}
		}
		if len(labels) != 4 {
			t.Errorf("labels suggested: %v, want all four on the example", labels)
		}
	})
}

// TestRerunSuggestions checks that a re-run reads the attributions as
// checkers left them and replaces the suggestions, with an audit event.
func TestRerunSuggestions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		e := newMachineEnv(t, db)
		d := e.importText(t, seedText(t))
		before := map[int64]models.Suggestion{}
		for _, s := range d.Sentences {
			before[s.ID] = *s.Suggestion
		}
		// Unchanged attributions give the same suggestions.
		sum, err := e.svc.RerunSuggestions(ctx, e.editor, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Sentences != 30 || sum.Replaced != 30 || sum.Reviewer != "reader" {
			t.Errorf("summary: got %+v, want 30 replacing 30 by the reader", sum)
		}
		again, err := e.svc.ArticleDetail(ctx, e.editor, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range again.Sentences {
			b := before[s.ID]
			if s.Suggestion == nil || s.Suggestion.Label != b.Label || s.Suggestion.Confidence != b.Confidence ||
				strings.Join(s.Suggestion.Reasons, "|") != strings.Join(b.Reasons, "|") || s.Suggestion.ID == b.ID {
				t.Errorf("sentence %d: after re-run got %+v, want a new row equal to %+v", s.Number(), s.Suggestion, b)
			}
		}
		// A checker clears the attribution of an allegation: without it,
		// the machine no longer reads "according to".
		four := d.Sentences[3]
		if _, err := e.svc.ClearAttribution(ctx, e.editor, four.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RerunSuggestions(ctx, e.editor, d.ID); err != nil {
			t.Fatal(err)
		}
		again, err = e.svc.ArticleDetail(ctx, e.editor, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range again.Sentences[3].Suggestion.Reasons {
			if strings.Contains(r, "intelligence agencies") {
				t.Errorf("sentence 4 after clearing its attribution: reason %q still cites it", r)
			}
		}
		evs, err := e.store.ArticleEvents(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var runs int
		for _, ev := range evs {
			if ev.Action == "suggestions.rerun" {
				runs++
			}
		}
		if runs != 2 {
			t.Errorf("suggestions.rerun events: got %d, want 2", runs)
		}
		checker := models.Actor{ID: e.editor.ID, Name: "Ed", Role: models.RoleChecker}
		if _, err := e.svc.RerunSuggestions(ctx, checker, d.ID); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("checker re-runs: got %v, want forbidden", err)
		}
		if _, err := e.svc.RerunSuggestions(ctx, e.editor, 999999); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown article: got %v, want not found", err)
		}
	})
}

// countStatements counts the SQL statements fn runs on db, as GORM's
// logger hears of them: GORM's own, and the reads of many rows that the
// store runs through pgx on PostgreSQL and reports there.
func countStatements(t *testing.T, db *models.DB, fn func()) int {
	t.Helper()
	g := db.Gorm()
	counter := &statementCounter{Interface: g.Logger}
	g.Logger = counter
	defer func() { g.Logger = counter.Interface }()
	fn()
	return int(counter.n.Load())
}

// statementCounter is a GORM logger that counts the statements traced.
type statementCounter struct {
	logger.Interface
	n atomic.Int64
}

func (c *statementCounter) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	c.n.Add(1)
	c.Interface.Trace(ctx, begin, fc, err)
}

// TestArticleDetailInFixedQueries loads a small and a large article and
// expects the same number of statements: no query per sentence.
func TestArticleDetailInFixedQueries(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		e := newMachineEnv(t, db)
		small := e.importText(t, seedText(t))
		_, body := newsgen.Article(rand.New(rand.NewPCG(7, 7)), 400)
		large := e.importText(t, body)
		if len(large.Sentences) < 300 {
			t.Fatalf("large article: %d sentences", len(large.Sentences))
		}
		withAttr := 0
		for _, s := range large.Sentences {
			if s.Attribution != nil {
				withAttr++
			}
			if s.Suggestion == nil {
				t.Fatalf("sentence %d of the generated article has no suggestion", s.Number())
			}
		}
		if withAttr < 20 {
			t.Errorf("generated article: %d attributions, want many (it is full of them)", withAttr)
		}
		counts := map[string]int{}
		for name, id := range map[string]int64{"small": small.ID, "large": large.ID} {
			counts[name] = countStatements(t, db, func() {
				if _, err := e.svc.ArticleDetail(ctx, e.editor, id); err != nil {
					t.Fatal(err)
				}
			})
		}
		// At least the article, its revision, sentences, attributions and
		// suggestions; the same for any number of sentences.
		if counts["small"] != counts["large"] || counts["small"] < 5 {
			t.Errorf("statements: %d for 30 sentences, %d for %d; want the same", counts["small"], counts["large"], len(large.Sentences))
		}
	})
}
