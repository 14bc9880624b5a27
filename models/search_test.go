package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/search"
)

// searchArticle imports an article of the given sentences, one paragraph
// each, published at when (nil: not stated).
func (d *desk) searchArticle(t *testing.T, title, outlet string, when *time.Time, sentences ...string) (*models.Article, []models.Sentence) {
	t.Helper()
	body := title + "\n\n" + strings.Join(sentences, "\n\n")
	sum := sha256.Sum256([]byte(body))
	na := models.NewArticle{Title: title, Outlet: outlet, PublishedAt: when, Format: "text", Body: body, BodySHA256: hex.EncodeToString(sum[:]),
		ParagraphCount: len(sentences)}
	off, cp := len(title)+2, len([]rune(title))+2
	for i, s := range sentences {
		na.Sentences = append(na.Sentences, models.Sentence{Index: i, Paragraph: i, StartByte: off, EndByte: off + len(s),
			Start: cp, End: cp + len([]rune(s)), Text: s, Quote: "none"})
		off, cp = off+len(s)+2, cp+len([]rune(s))+2
	}
	a, _, err := d.st.CreateArticle(context.Background(), d.editor, na)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := d.st.Sentences(context.Background(), *a.CurrentRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	return a, ss
}

// edit sets a sentence's label, verdict and note.
func (d *desk) edit(t *testing.T, s models.Sentence, label codebook.Label, status codebook.Status, verdict, note string) {
	t.Helper()
	_, err := d.st.EditSentence(context.Background(), d.ana, s.ID, s.Version, "sentence.label", func(e *models.SentenceEdit) (models.SentenceState, error) {
		st := e.Sentence.State()
		st.Label, st.Status, st.Verdict, st.Note = string(label), string(status), verdict, note
		return st, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// searchFor runs a search and returns what it found as "a:title",
// "s:text" and "r:title" strings, sorted: the result set, ranking aside.
func searchFor(t *testing.T, st *models.Store, q string, f models.SearchFilter) []string {
	t.Helper()
	pq, err := search.Parse(q)
	if err != nil {
		t.Fatalf("parse %q: %v", q, err)
	}
	f.Query, f.Limit = pq, 50
	var out []string
	for range 20 {
		res, err := st.Search(context.Background(), f)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, a := range res.Articles {
			out = append(out, "a:"+a.Title)
		}
		for _, s := range res.Sentences {
			out = append(out, "s:"+s.Text)
		}
		for _, s := range res.Sources {
			out = append(out, "r:"+s.Title)
		}
		if res.Next == "" {
			sort.Strings(out)
			return out
		}
		if f.Cursor, err = models.ParseSearchCursor(res.Next); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("search %q: more than 20 pages", q)
	return nil
}

// TestSearchSameOnBothDatabases runs one set of searches, each filter and
// every piece of query syntax, on both databases: each must find what the
// test says, and both the same.
func TestSearchSameOnBothDatabases(t *testing.T) {
	type check struct {
		name, q string
		f       func(d *desk) models.SearchFilter
		want    []string
	}
	day := func(d int) *time.Time { t := time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC); return &t }
	checks := []check{
		{name: "word in text and speaker", q: "Putin", want: []string{
			"s:Putin said the sanctions had failed.", "s:The Kremlin denied it."}},
		{name: "case and accents folded", q: "MULLER", want: []string{"s:Frau Müller sagte, die Zölle seien zu hoch.", "r:Müller report on tariffs"}},
		{name: "accent in the query", q: "Zölle", want: []string{"s:Frau Müller sagte, die Zölle seien zu hoch."}},
		{name: "cyrillic", q: "санкции", want: []string{"s:Путин заявил, что санкции не работают."}},
		{name: "phrase", q: `"sanctions had failed"`, want: []string{"s:Putin said the sanctions had failed."}},
		{name: "phrase not in order", q: `"failed sanctions"`, want: nil},
		{name: "exclusion", q: "sanctions -Putin", want: []string{"s:Sanctions on grain were lifted in March.", "a:Sanctions and grain"}},
		{name: "prefix", q: "sanct*", want: []string{
			"s:Putin said the sanctions had failed.", "s:Sanctions on grain were lifted in March.", "a:Sanctions and grain"}},
		{name: "or", q: "grain OR tariffs", want: []string{
			"s:Sanctions on grain were lifted in March.", "a:Sanctions and grain", "r:Müller report on tariffs"}},
		{name: "note and address", q: "rosstat", want: []string{"s:Unemployment fell to 3.1 percent.", "r:Unemployment bulletin"}},
		{name: "comment on a sentence", q: "spokesperson", want: []string{"s:The Kremlin denied it."}},
		{name: "comment on the article", q: "headline", want: []string{"a:Sanctions and grain"}},
		{name: "source by publisher", q: "statistics office", want: []string{"r:Unemployment bulletin"}},
		{name: "source by address", q: "rosstat.gov.ru", want: []string{"r:Unemployment bulletin"}},
		{name: "label filter", q: "putin", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Label: codebook.Quote} },
			want: []string{"s:Putin said the sanctions had failed."}},
		{name: "status filter", q: "unemployment", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Status: "verified"} },
			want: []string{"s:Unemployment fell to 3.1 percent."}},
		{name: "verdict filter", q: "unemployment", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Verdict: "true"} },
			want: []string{"s:Unemployment fell to 3.1 percent."}},
		{name: "speaker filter", q: "sanctions OR kremlin", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Speaker: "putin"} },
			want: []string{"s:Putin said the sanctions had failed.", "s:The Kremlin denied it."}},
		{name: "outlet filter", q: "sanctions", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Outlet: "the wire"} },
			want: []string{"s:Sanctions on grain were lifted in March.", "a:Sanctions and grain"}},
		{name: "date range", q: "sanctions", f: func(d *desk) models.SearchFilter {
			return models.SearchFilter{From: day(1), To: day(15)}
		}, want: []string{"s:Putin said the sanctions had failed."}},
		{name: "assignee filter", q: "sanctions", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Assignee: d.ben.ID} },
			want: []string{"s:Sanctions on grain were lifted in March.", "a:Sanctions and grain"}},
		{name: "unassigned filter", q: "sanctions", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Unassigned: true} },
			want: []string{"s:Putin said the sanctions had failed."}},
		{name: "article status filter", q: "sanctions", f: func(d *desk) models.SearchFilter {
			return models.SearchFilter{ArticleStatus: models.ArticleInReview}
		}, want: []string{"s:Putin said the sanctions had failed."}},
		{name: "one group", q: "sanctions", f: func(d *desk) models.SearchFilter { return models.SearchFilter{Group: models.GroupArticles} },
			want: []string{"a:Sanctions and grain"}},
		{name: "blind second opinion hides the article", q: "kremlin OR sanctions OR unemployment", f: func(d *desk) models.SearchFilter {
			return models.SearchFilter{Reader: d.gone.ID + 100} // nobody: everything shows
		}, want: []string{"s:Putin said the sanctions had failed.", "s:The Kremlin denied it.", "s:Unemployment fell to 3.1 percent.",
			"s:Sanctions on grain were lifted in March.", "a:Sanctions and grain", "r:Unemployment bulletin"}},
		{name: "the blind reader", q: "kremlin OR sanctions OR unemployment", f: func(d *desk) models.SearchFilter {
			return models.SearchFilter{Reader: d.ben.ID}
		}, want: []string{"s:Sanctions on grain were lifted in March.", "a:Sanctions and grain", "r:Unemployment bulletin"}},
	}
	got := map[testdb.Kind]map[string][]string{}
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			a1, s1 := d.searchArticle(t, "Moscow briefing", "Daily", day(10),
				"Putin said the sanctions had failed.", "The Kremlin denied it.", "Unemployment fell to 3.1 percent.")
			a2, s2 := d.searchArticle(t, "Sanctions and grain", "The Wire", day(20),
				"Sanctions on grain were lifted in March.", "Frau Müller sagte, die Zölle seien zu hoch.", "Путин заявил, что санкции не работают.")
			d.edit(t, s1[0], codebook.Quote, "labeled", "", "")
			d.edit(t, s1[2], codebook.Fact, "verified", "true", "Checked against the Rosstat series for October.")
			for _, s := range []models.Sentence{s1[0], s1[1]} {
				if _, err := d.st.SetAttribution(ctx, d.ana, s.ID, models.AttributionEdit{Speaker: "Vladimir Putin", Cue: "said"}); err != nil {
					t.Fatal(err)
				}
			}
			// A speaker set and cleared leaves nothing behind.
			if _, err := d.st.SetAttribution(ctx, d.ana, s2[0].ID, models.AttributionEdit{Speaker: "Putin aide", Cue: "said"}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.ClearAttribution(ctx, d.ana, s2[0].ID, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: a1.ID, SentenceID: s1[1].ID, Body: "Ask the spokesperson for the transcript."}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: a2.ID, Body: "The headline overstates it."}); err != nil {
				t.Fatal(err)
			}
			for _, ns := range []models.NewSource{
				{Kind: "dataset", Title: "Unemployment bulletin", Publisher: "Federal statistics office", URL: "https://rosstat.gov.ru/bulletin"},
				{Kind: "document", Title: "Draft title", Publisher: "Institute"},
			} {
				if _, _, err := d.st.CreateSource(ctx, d.editor, ns); err != nil {
					t.Fatal(err)
				}
			}
			// A renamed source is found by its new title only.
			srcs, err := d.st.Sources(ctx, models.SourceFilter{Query: "Draft"})
			if err != nil || len(srcs.Sources) != 1 {
				t.Fatalf("sources: %+v, %v", srcs, err)
			}
			title := "Müller report on tariffs"
			if _, err := d.st.UpdateSource(ctx, d.editor, srcs.Sources[0].ID, models.SourceChange{Title: &title}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.Assign(ctx, d.editor, []int64{a2.ID}, models.NewAssignment{UserID: d.ben.ID}); err != nil {
				t.Fatal(err)
			}
			got[k] = map[string][]string{}
			for _, c := range checks {
				if c.name == "the blind reader" {
					if _, err := d.st.RequestOpinion(ctx, d.editor, a1.ID, d.ben.ID); err != nil {
						t.Fatal(err)
					}
				}
				var f models.SearchFilter
				if c.f != nil {
					f = c.f(d)
				}
				res := searchFor(t, d.st, c.q, f)
				want := append([]string(nil), c.want...)
				sort.Strings(want)
				if !reflect.DeepEqual(res, want) && (len(res) != 0 || len(want) != 0) {
					t.Errorf("%s: %q found\n%q\nwant\n%q", c.name, c.q, res, want)
				}
				got[k][c.name] = res
			}
			if res := searchFor(t, d.st, "draft", models.SearchFilter{}); len(res) != 0 {
				t.Errorf("the source's old title is still found: %q", res)
			}
		})
	}
	if len(got) == 2 && !reflect.DeepEqual(got[testdb.Postgres], got[testdb.SQLite]) {
		for name, pg := range got[testdb.Postgres] {
			if lite := got[testdb.SQLite][name]; !reflect.DeepEqual(pg, lite) {
				t.Errorf("%s: PostgreSQL found %q, SQLite %q", name, pg, lite)
			}
		}
	}
}

// TestSearchPagesThroughWindows pages a common word over more matches than
// one ranking window holds: every matching sentence comes once, including
// one whose comment (newer) and text (older) fall in different windows.
func TestSearchPagesThroughWindows(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			n := models.SearchWindow + 150
			texts := make([]string, n)
			for i := range texts {
				texts[i] = fmt.Sprintf("The council budget line %d was cut.", i)
			}
			_, ss := d.searchArticle(t, "Budget", "Daily", nil, texts...)
			a2, _ := d.searchArticle(t, "Other", "Daily", nil, "Nothing about money here.")
			_ = a2
			if _, err := d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: ss[0].ArticleID, SentenceID: ss[0].ID, Body: "Which budget is this?"}); err != nil {
				t.Fatal(err)
			}
			q, _ := search.Parse("budget")
			f := models.SearchFilter{Query: q, Group: models.GroupSentences, Limit: 50}
			seen := map[int64]int{}
			pages := 0
			for {
				res, err := d.st.Search(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, s := range res.Sentences {
					seen[s.ID]++
				}
				if res.Next == "" {
					break
				}
				if f.Cursor, err = models.ParseSearchCursor(res.Next); err != nil {
					t.Fatal(err)
				}
				if pages > 100 {
					t.Fatal("more than 100 pages")
				}
			}
			if len(seen) != n {
				t.Errorf("found %d sentences, want %d", len(seen), n)
			}
			for id, times := range seen {
				if times != 1 {
					t.Errorf("sentence %d shown %d times", id, times)
				}
			}
			if want := (n + 49) / 50; pages < want {
				t.Errorf("%d pages, want at least %d", pages, want)
			}
		})
	}
}

// TestSearchIndexRebuilds rebuilds the index and finds the same as
// before; a cleared note is no longer found. (That a new revision's
// sentences replace the old ones in search is TestSearchAPI's, in routes.)
func TestSearchIndexRebuilds(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			_, ss := d.searchArticle(t, "Harbour", "Daily", nil, "The harbour tender went to Castellan.", "Dredging costs doubled.")
			d.edit(t, ss[1], codebook.Fact, "labeled", "", "Port authority ledger.")
			before := searchFor(t, d.st, "castellan OR ledger OR harbour", models.SearchFilter{})
			n, err := d.st.ReindexSearch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n < 4 {
				t.Errorf("reindexed %d texts, want at least the title, two sentences and a note", n)
			}
			if after := searchFor(t, d.st, "castellan OR ledger OR harbour", models.SearchFilter{}); !reflect.DeepEqual(after, before) {
				t.Errorf("after reindexing: %q, before %q", after, before)
			}
			empty, err := d.st.SearchIndexEmpty(ctx)
			if err != nil || empty {
				t.Errorf("index empty after reindexing: %v, %v", empty, err)
			}
			// Clearing a note takes it out of search.
			cur, err := d.st.Sentences(ctx, ss[1].RevisionID)
			if err != nil {
				t.Fatal(err)
			}
			d.edit(t, cur[1], codebook.Fact, "labeled", "", "")
			if res := searchFor(t, d.st, "ledger", models.SearchFilter{}); len(res) != 0 {
				t.Errorf("a cleared note is still found: %q", res)
			}
		})
	}
}
