package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// allModels lists every GORM model; each must match a table in both schemas.
var allModels = []any{
	&models.User{}, &models.Session{}, &models.APIToken{}, &models.SignInThrottle{},
	&models.Article{}, &models.Revision{}, &models.Sentence{}, &models.AuditEvent{},
	&models.Attribution{}, &models.Suggestion{},
	&models.Source{}, &models.Citation{}, &models.SourceVersion{},
	&models.RevisionChange{},
	&models.ReviewRound{}, &models.Comment{}, &models.SecondOpinion{}, &models.OpinionLabel{},
	&models.Assignment{}, &models.Notification{}, &models.NotificationPref{},
}

func TestMigrateUpDownUp(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		m, err := db.Migrator()
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Reset(ctx); err != nil {
			t.Fatalf("down to 0: %v", err)
		}
		cur, latest, err := m.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if cur != 0 || latest == 0 {
			t.Fatalf("after reset: version %d of %d, want 0 of >0", cur, latest)
		}
		if err := db.Ready(ctx); err == nil {
			t.Fatal("Ready on an unmigrated database: got nil, want an error")
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		if err := db.Ready(ctx); err != nil {
			t.Fatalf("Ready after up: %v", err)
		}
		checkColumns(t, db)
	})
}

// checkColumns asserts that every field GORM would read or write exists as
// a column, so that a model and its migration cannot drift apart.
func checkColumns(t *testing.T, db *models.DB) {
	t.Helper()
	g := db.Gorm()
	for _, m := range allModels {
		stmt := g.Model(m).Statement
		if err := stmt.Parse(m); err != nil {
			t.Fatalf("parse %T: %v", m, err)
		}
		cols, err := g.Migrator().ColumnTypes(m)
		if err != nil {
			t.Fatalf("columns of %s: %v", stmt.Schema.Table, err)
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c.Name()] = true
		}
		for _, f := range stmt.Schema.Fields {
			if f.DBName == "" {
				continue
			}
			if !have[f.DBName] {
				t.Errorf("%s: model field %s has no column %q", stmt.Schema.Table, f.Name, f.DBName)
			}
		}
	}
}

func TestCreateArticleIsAtomicAndDeduplicated(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		st := models.NewStore(db)
		u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "Ann@Example.org", Name: "Ann", Role: models.RoleChecker, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ann@example.org" {
			t.Errorf("email: got %q, want it lower-cased", u.Email)
		}
		body := "Headline\n\nOne sentence. Two sentences."
		sum := sha256.Sum256([]byte(body))
		na := models.NewArticle{
			Title: "Headline", Format: "text", Body: body, BodySHA256: hex.EncodeToString(sum[:]), ParagraphCount: 2,
			Sentences: []models.Sentence{
				{Index: 0, Paragraph: 0, StartByte: 0, EndByte: 8, Start: 0, End: 8, Text: "Headline", Quote: "none"},
				{Index: 1, Paragraph: 1, StartByte: 10, EndByte: 23, Start: 10, End: 23, Text: "One sentence.", Quote: "none"},
				{Index: 2, Paragraph: 1, StartByte: 24, EndByte: 38, Start: 24, End: 38, Text: "Two sentences.", Quote: "none"},
			},
		}
		a, created, err := st.CreateArticle(ctx, u.Actor(), na)
		if err != nil || !created {
			t.Fatalf("create: %v, created %v", err, created)
		}
		again, created, err := st.CreateArticle(ctx, u.Actor(), na)
		if err != nil || created || again.ID != a.ID {
			t.Fatalf("re-import: got article %d created %v err %v, want article %d not created", again.ID, created, err, a.ID)
		}
		// A sentence that breaks a constraint rolls the whole import back.
		bad := na
		bad.BodySHA256 = hex.EncodeToString(make([]byte, 32))
		bad.Sentences = append([]models.Sentence(nil), na.Sentences...)
		bad.Sentences[2].Quote = "sideways"
		if _, _, err := st.CreateArticle(ctx, u.Actor(), bad); err == nil {
			t.Fatal("import with an invalid quote context: got nil error")
		}
		page, err := st.Articles(ctx, models.ArticleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Articles) != 1 {
			t.Fatalf("articles after a failed import: got %d, want 1", len(page.Articles))
		}
		if got := page.Articles[0]; got.Sentences != 3 || got.Revision != 1 {
			t.Errorf("row: got %d sentences revision %d, want 3 and 1", got.Sentences, got.Revision)
		}
		a2, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := st.ArticleEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Action != "article.import" {
			t.Fatalf("events: got %d (%v), want one article.import", len(evs), evs)
		}
		if p := models.VerifyChain(evs, a2.AuditSeq, a2.AuditHead); len(p) != 0 {
			t.Errorf("chain problems: %v", p)
		}
		if _, err := st.Article(ctx, 9999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("missing article: got %v, want ErrNotFound", err)
		}
	})
}
