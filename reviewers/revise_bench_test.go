package reviewers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/realign"
	"factdesk/reviewers"
	"factdesk/segment"
)

// correctedStory edits a generated story the way corrections do, all
// through it: a figure corrected in every 97th sentence (a word added
// where it has no digit), every 211th sentence removed, a sentence added
// after every 307th, and the fifth paragraph moved further down.
func correctedStory(st newsgen.Story) newsgen.Story {
	out := newsgen.Story{Title: st.Title}
	k := 0
	for _, p := range st.Paragraphs {
		var q []string
		for _, s := range p {
			k++
			switch {
			case k%211 == 0:
				continue
			case k%97 == 0:
				s = correctFigure(s)
			}
			q = append(q, s)
			if k%307 == 0 {
				q = append(q, fmt.Sprintf("Officials declined to comment on the %d figures published on Monday.", k))
			}
		}
		if len(q) > 0 {
			out.Paragraphs = append(out.Paragraphs, q)
		}
	}
	if len(out.Paragraphs) > 40 {
		moved := out.Paragraphs[5]
		out.Paragraphs = append(out.Paragraphs[:5], out.Paragraphs[6:]...)
		out.Paragraphs = append(out.Paragraphs[:40], append([][]string{moved}, out.Paragraphs[40:]...)...)
	}
	return out
}

// correctFigure changes the first digit of s, or adds a word after its
// first one when it has none.
func correctFigure(s string) string {
	if i := strings.IndexFunc(s, unicode.IsDigit); i >= 0 {
		return s[:i] + string('0'+(s[i]-'0'+1)%10) + s[i+1:]
	}
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i] + " reportedly" + s[i:]
	}
	return s
}

// sentencesOf segments a body for realign.
func sentencesOf(body string) []realign.Sentence {
	ss := segment.Split(body)
	out := make([]realign.Sentence, len(ss))
	for i, s := range ss {
		out[i] = realign.Sentence{Index: s.Index, Paragraph: s.Paragraph, Text: s.Text}
	}
	return out
}

// BenchmarkRevision5000 measures a revision of a generated article of
// about 5,000 sentences: the matching alone (realign.Align of the two
// segmentations), and the whole of AddRevision on both databases —
// conversion, segmentation and the machine's reading of the new body,
// the matching, and storing the revision with every check carried over
// (two thirds of the sentences labeled, a tenth cited) and one audit event
// per carried sentence. BenchmarkImport/*/newsgen5000 is the baseline: an
// import of an article of that size.
func BenchmarkRevision5000(b *testing.B) {
	story := newsgen.NewStory(rand.New(rand.NewPCG(8, 5000)), 5000)
	bodies := []string{story.Text(), correctedStory(story).Text()}

	b.Run("align", func(b *testing.B) {
		before, after := sentencesOf(bodies[0]), sentencesOf(bodies[1])
		var res realign.Result
		for b.Loop() {
			res = realign.Align(before, after)
		}
		b.ReportMetric(float64(len(after)), "sentences")
		b.ReportMetric(float64(res.Count(realign.Changed)), "changed")
		b.ReportMetric(float64(len(res.Removed)), "removed")
	})
	for _, kind := range testdb.Kinds {
		b.Run(string(kind)+"/revise", func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, kind)
			store := models.NewStore(db)
			svc := reviewers.New(store, reviewers.Config{}, nil, nil)
			u, err := store.CreateUser(ctx, models.System, models.NewUser{Email: "bench@test.example", Name: "Bench", Role: models.RoleChecker, PasswordHash: "x"})
			if err != nil {
				b.Fatal(err)
			}
			res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Body: bodies[0]})
			if err != nil {
				b.Fatal(err)
			}
			checkArchive(b, store, u, res.Article)
			i := 1
			var last *reviewers.RevisionResult
			for b.Loop() {
				last, err = svc.AddRevision(ctx, u.Actor(), res.Article.ID, ingest.ArticleInput{Body: bodies[i%2]})
				if err != nil {
					b.Fatal(err)
				}
				if !last.Created {
					b.Fatal("the revision was not stored")
				}
				i++
			}
			n := last.Revision.Counts
			b.ReportMetric(float64(last.Revision.SentenceCount), "sentences")
			b.ReportMetric(float64(n.Changed+n.New+n.Removed+n.Moved), "edits")
		})
	}
}

// checkArchive gives an imported article a check to carry: two thirds of
// its open sentences labeled and a tenth cited, written directly.
func checkArchive(b testing.TB, store *models.Store, u *models.User, a *models.Article) {
	b.Helper()
	ctx := context.Background()
	src, _, err := store.CreateSource(ctx, u.Actor(), models.NewSource{Kind: "document", Title: "Annual report"})
	if err != nil {
		b.Fatal(err)
	}
	g := store.DB().Gorm()
	if err := g.Exec(`UPDATE sentences SET label = 'fact', status = 'labeled', version = 2
		WHERE revision_id = ? AND status = 'unreviewed' AND idx % 3 <> 0`, *a.CurrentRevisionID).Error; err != nil {
		b.Fatal(err)
	}
	if err := g.Exec(`INSERT INTO citations (sentence_id, article_id, source_id, relation, excerpt, locator, created_by, created_at)
		SELECT id, article_id, ?, 'supports', '', '', ?, updated_at FROM sentences WHERE revision_id = ? AND idx % 10 = 0`,
		src.ID, u.ID, *a.CurrentRevisionID).Error; err != nil {
		b.Fatal(err)
	}
}
