package models_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

func TestCitationRules(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		a := f.source(t, "Source A", "https://a.example/")
		b := f.source(t, "Source B", "https://b.example/")
		s1 := f.sents[0].ID
		cite := func(sentence, source int64, rel codebook.Relation) (*models.Citation, error) {
			c, _, err := f.st.AddCitation(ctx, f.checker, sentence, models.NewCitation{SourceID: source, Relation: rel, Excerpt: "  the part  ", Locator: "p. 3"})
			return c, err
		}
		c1, err := cite(s1, a.ID, codebook.Supports)
		if err != nil {
			t.Fatal(err)
		}
		if c1.ArticleID != f.article.ID || c1.Excerpt != "the part" || c1.Source == nil || c1.Source.ID != a.ID {
			t.Errorf("citation: %+v", c1)
		}
		if _, err := cite(s1, a.ID, codebook.Context); err != nil {
			t.Errorf("same source, another relation: %v", err)
		}
		checks := []struct {
			name      string
			sentence  int64
			source    int64
			rel       codebook.Relation
			code, fld string
		}{
			{"same source twice for one relation", s1, a.ID, codebook.Supports, models.ECONFLICT, "relation"},
			{"unknown relation", s1, b.ID, "endorses", models.EINVALID, "relation"},
			{"unknown source", s1, 9999, codebook.Supports, models.EINVALID, "source_id"},
			{"unknown sentence", 9999, b.ID, codebook.Supports, models.ENOTFOUND, ""},
		}
		for _, tt := range checks {
			t.Run(tt.name, func(t *testing.T) {
				_, err := cite(tt.sentence, tt.source, tt.rel)
				e, ok := models.AsError(err)
				if !ok || e.Code != tt.code || e.Field != tt.fld {
					t.Errorf("got %v, want %s on %q", err, tt.code, tt.fld)
				}
			})
		}
		long := strings.Repeat("é", models.MaxExcerpt+1)
		if _, _, err := f.st.AddCitation(ctx, f.checker, s1, models.NewCitation{SourceID: b.ID, Relation: codebook.Supports, Excerpt: long}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("excerpt too long: got %v", err)
		}

		// Verified stands on its last supporting citation; a second one
		// makes the first removable.
		f.setSentenceStatus(t, s1, "verified")
		if _, err := f.st.DeleteCitation(ctx, f.checker, c1.ID); models.ErrorCode(err) != models.ECONFLICT || !strings.Contains(models.ErrorMessage(err), "change the sentence's status first") {
			t.Errorf("removing the last support of a verified sentence: got %v", err)
		}
		c2, err := cite(s1, b.ID, codebook.Origin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.DeleteCitation(ctx, f.checker, c1.ID); err != nil {
			t.Errorf("removing one of two supports: %v", err)
		}
		if _, err := f.st.DeleteCitation(ctx, f.checker, c2.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("removing the last origin of a verified sentence: got %v", err)
		}
		// Disputed stands on its last contradicting citation; other
		// relations come and go.
		s2 := f.sents[1].ID
		c3, err := cite(s2, a.ID, codebook.Contradicts)
		if err != nil {
			t.Fatal(err)
		}
		c4, err := cite(s2, b.ID, codebook.Supports)
		if err != nil {
			t.Fatal(err)
		}
		f.setSentenceStatus(t, s2, "disputed")
		if _, err := f.st.DeleteCitation(ctx, f.checker, c3.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("removing the last contradiction of a disputed sentence: got %v", err)
		}
		if _, err := f.st.DeleteCitation(ctx, f.checker, c4.ID); err != nil {
			t.Errorf("removing a support of a disputed sentence: %v", err)
		}
		if _, err := f.st.DeleteCitation(ctx, f.checker, c4.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("removing twice: got %v", err)
		}

		// Submitted and approved articles refuse both ways.
		for _, status := range []models.ArticleStatus{models.ArticleSubmitted, models.ArticleApproved} {
			f.setArticleStatus(t, status)
			if _, err := cite(f.sents[2].ID, a.ID, codebook.Context); models.ErrorCode(err) != models.ECONFLICT {
				t.Errorf("cite on a %s article: got %v", status, err)
			}
			if _, err := f.st.DeleteCitation(ctx, f.checker, c2.ID+100); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("missing citation on a %s article: got %v", status, err)
			}
		}
		f.setArticleStatus(t, models.ArticleInReview)

		evs, err := f.st.ArticleEvents(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(actions(evs, "citation"), ",")
		want := "citation.add,citation.add,citation.add,citation.delete,citation.add,citation.add,citation.delete"
		if got != want {
			t.Errorf("citation events:\n got %s\nwant %s", got, want)
		}
		art, err := f.st.Article(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := models.VerifyChain(evs, art.AuditSeq, art.AuditHead); len(p) != 0 {
			t.Errorf("article chain: %v", p)
		}
	})
}

func TestCitationAddsSourceInline(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		ns := &models.NewSource{Kind: models.KindWebPage, Title: "https://new.example/story", URL: "https://new.example/story"}
		c, created, err := f.st.AddCitation(ctx, f.checker, f.sents[0].ID, models.NewCitation{NewSource: ns, Relation: codebook.Supports})
		if err != nil || !created {
			t.Fatalf("cite a new URL: %v, created %v", err, created)
		}
		c2, created, err := f.st.AddCitation(ctx, f.checker, f.sents[1].ID, models.NewCitation{NewSource: ns, Relation: codebook.Supports})
		if err != nil || created || c2.SourceID != c.SourceID {
			t.Errorf("cite the same URL again: %v, created %v, source %d want %d", err, created, c2.SourceID, c.SourceID)
		}
		// A refused citation adds no source either.
		f.setArticleStatus(t, models.ArticleApproved)
		other := &models.NewSource{Kind: models.KindWebPage, Title: "x", URL: "https://other.example/"}
		if _, _, err := f.st.AddCitation(ctx, f.checker, f.sents[2].ID, models.NewCitation{NewSource: other, Relation: codebook.Supports}); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("cite on an approved article: %v", err)
		}
		p, err := f.st.Sources(ctx, models.SourceFilter{Query: "https://other.example/"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Sources) != 0 {
			t.Errorf("a refused citation left source %q behind", p.Sources[0].Title)
		}
	})
}

// countQueries counts the statements run on db while fn runs.
func countQueries(t *testing.T, db *models.DB, fn func()) int {
	t.Helper()
	g := db.Gorm()
	n := 0
	name := "test:count_queries"
	if err := g.Callback().Query().After("gorm:query").Register(name, func(*gorm.DB) { n++ }); err != nil {
		t.Fatal(err)
	}
	if err := g.Callback().Raw().After("gorm:raw").Register(name, func(*gorm.DB) { n++ }); err != nil {
		t.Fatal(err)
	}
	if err := g.Callback().Row().After("gorm:row").Register(name, func(*gorm.DB) { n++ }); err != nil {
		t.Fatal(err)
	}
	defer g.Callback().Query().Remove(name)
	defer g.Callback().Raw().Remove(name)
	defer g.Callback().Row().Remove(name)
	fn()
	return n
}

func TestSentenceAndSourceCitationsLoadInFixedQueries(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newSourceFixture(t, db)
		a := f.source(t, "Source A", "https://a.example/")
		other, otherSents := f.addArticle(t, "Elsewhere one. Elsewhere two.")
		queries := map[int]int{}
		for round, n := range []int{1, 4} {
			for i := 0; i < n; i++ {
				src := f.source(t, "Extra "+string(rune('a'+round))+string(rune('a'+i)), "")
				if _, _, err := f.st.AddCitation(ctx, f.checker, f.sents[i].ID, models.NewCitation{SourceID: src.ID, Relation: codebook.Context}); err != nil {
					t.Fatal(err)
				}
			}
			var got map[int64][]models.Citation
			queries[n] = countQueries(t, db, func() {
				var err error
				if got, err = f.st.SentenceCitations(ctx, *f.article.CurrentRevisionID); err != nil {
					t.Fatal(err)
				}
			})
			for sid, cs := range got {
				for _, c := range cs {
					if c.Source == nil || c.Source.ID != c.SourceID || c.SentenceID != sid {
						t.Errorf("citation %d: source not attached or filed under sentence %d", c.ID, sid)
					}
				}
			}
		}
		if queries[1] != queries[4] || queries[4] != 2 {
			t.Errorf("queries for 1 and 5 citations: %d and %d, want 2 both times", queries[1], queries[4])
		}

		// One source cited by two articles lists both, with the sentence.
		for _, sid := range []int64{f.sents[3].ID, otherSents[1].ID} {
			if _, _, err := f.st.AddCitation(ctx, f.checker, sid, models.NewCitation{SourceID: a.ID, Relation: codebook.Supports, Locator: "§2"}); err != nil {
				t.Fatal(err)
			}
		}
		var list []models.SourceCitation
		n := countQueries(t, db, func() {
			var err error
			if list, err = f.st.SourceCitations(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
		})
		if n != 1 {
			t.Errorf("SourceCitations ran %d queries, want 1", n)
		}
		if len(list) != 2 {
			t.Fatalf("citations of source A: got %d, want 2", len(list))
		}
		first, second := list[0], list[1]
		if first.ArticleID != other.ID || first.SentenceNumber != 2 || first.SentenceText != "Elsewhere two." || !first.Current {
			t.Errorf("newest article's citation: %+v", first)
		}
		if second.ArticleID != f.article.ID || second.SentenceNumber != 4 || second.ArticleTitle != f.article.Title || second.Locator != "§2" {
			t.Errorf("older article's citation: %+v", second)
		}
	})
}
