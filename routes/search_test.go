package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// searchJSON is the API's answer to a search.
type searchJSON struct {
	Query    string   `json:"query"`
	Ignored  []string `json:"ignored_words"`
	Notice   string   `json:"notice"`
	Articles []struct {
		ID        int64  `json:"id"`
		Title     string `json:"title"`
		Highlight string `json:"highlight"`
	} `json:"articles"`
	Sentences []struct {
		ID        int64    `json:"id"`
		ArticleID int64    `json:"article_id"`
		Number    int      `json:"number"`
		Text      string   `json:"text"`
		Highlight string   `json:"highlight"`
		Label     string   `json:"label"`
		Matched   []string `json:"matched"`
	} `json:"sentences"`
	Sources []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	} `json:"sources"`
	Next string `json:"next_cursor"`
}

func (e *env) search(t *testing.T, c tokenClient, query string) searchJSON {
	t.Helper()
	r := c.api("GET", "/api/v1/search?"+query, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("search %s: %d %s", query, r.Status, r.Body)
	}
	var s searchJSON
	r.decode(t, &s)
	return s
}

// TestSearchAPI searches the example article through the API on both
// databases: the five sentences that name Putin, highlighted; a label
// filter; the answers to a query of only common words, one too long and
// one that only excludes; escaped highlights; and a blind second opinion's
// article kept out of its checker's results.
func TestSearchAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		viewer := tokenClient{e: e, token: e.tokens[models.RoleViewer]}
		a := importSeed(t, e)
		res := e.search(t, viewer, "q=Putin")
		var putin []string
		for _, s := range a.Sentences {
			if strings.Contains(s.Text, "Putin") {
				putin = append(putin, s.Text)
			}
		}
		if len(putin) != 5 {
			t.Fatalf("the example article has %d sentences naming Putin, the test expects 5", len(putin))
		}
		// The five name him; the machine's attributions give him as the
		// speaker of more (a quote of his, "he threatened…").
		inText := 0
		for _, s := range res.Sentences {
			matched := strings.Join(s.Matched, ",")
			switch {
			case s.ArticleID != a.ID || s.Number < 1:
				t.Errorf("result %+v: not a sentence of the article", s)
			case strings.Contains(matched, "text"):
				inText++
				if !strings.Contains(s.Highlight, "<mark>Putin</mark>") {
					t.Errorf("result %+v: Putin not marked", s)
				}
			case matched != "speaker":
				t.Errorf("result %+v: matched neither by text nor by speaker", s)
			}
		}
		if inText != len(putin) {
			t.Errorf("search for Putin found %d sentences naming him, want %d: %+v", inText, len(putin), res.Sentences)
		}
		// Labeling one of them and filtering by the label finds it alone.
		var first sentenceJSON
		for _, s := range a.Sentences {
			if strings.Contains(s.Text, "Putin") {
				first = s
				break
			}
		}
		if r := patch(e, models.RoleChecker, first.ID, map[string]any{"label": "fact", "version": first.Version, "note": "Kremlin readout of 30 July"}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
		if got := e.search(t, viewer, "q=putin&label=fact"); len(got.Sentences) != 1 || got.Sentences[0].ID != first.ID || got.Sentences[0].Label != "fact" {
			t.Errorf("label filter: %+v", got.Sentences)
		}
		if got := e.search(t, viewer, "q=readout"); len(got.Sentences) != 1 || got.Sentences[0].ID != first.ID || strings.Join(got.Sentences[0].Matched, ",") != "note" {
			t.Errorf("search in notes: %+v", got.Sentences)
		}
		// Only common words: an empty answer that says why.
		if got := e.search(t, viewer, "q="+url.QueryEscape("the of and")); got.Notice == "" || len(got.Sentences)+len(got.Articles)+len(got.Sources) != 0 || len(got.Ignored) != 3 {
			t.Errorf("stop words only: %+v", got)
		}
		// Too long, only exclusions, a bad filter: errors in words.
		for q, want := range map[string]int{
			"q=" + strings.Repeat("a", 1001):                  http.StatusBadRequest,
			"q=-putin":                                        http.StatusUnprocessableEntity,
			"q=putin&label=opinion":                           http.StatusUnprocessableEntity,
			"q=putin&from=yesterday":                          http.StatusUnprocessableEntity,
			"q=putin&cursor=not-a-cursor":                     http.StatusUnprocessableEntity,
			"q=putin&limit=500":                               http.StatusUnprocessableEntity,
			"q=putin&from=2026-12-07&to=2026-12-01":           http.StatusUnprocessableEntity,
			"q=" + url.QueryEscape("nul\x00"):                 http.StatusBadRequest,
			"q=putin&speaker=" + strings.Repeat("x", 201):     http.StatusUnprocessableEntity,
			"q=putin&group=" + url.QueryEscape("<script>"):    http.StatusUnprocessableEntity,
			"q=" + url.QueryEscape(strings.Repeat("é", 1000)): http.StatusOK,
		} {
			r := viewer.api("GET", "/api/v1/search?"+q, nil)
			if r.Status != want {
				t.Errorf("%.40s: %d, want %d (%s)", q, r.Status, want, r.Body)
			} else if want != http.StatusOK {
				r.errorCode(t)
			}
		}
		// Highlights are escaped HTML.
		e.importSmall(t, `<img src=x onerror=alert(1)> Putin`, "A harmless sentence about the weather. Another one follows here.")
		got := e.search(t, viewer, "q=putin&group=articles")
		if len(got.Articles) != 1 || got.Articles[0].Highlight != "&lt;img src=x onerror=alert(1)&gt; <mark>Putin</mark>" {
			t.Errorf("article highlight: %+v", got.Articles)
		}
		// A new revision replaces its article's sentences in search.
		harbour := e.importSmall(t, "Harbour works", "The harbour tender went to a firm from Genoa. Dredging began in May.")
		if got := e.search(t, viewer, "q=genoa"); len(got.Sentences) != 1 || got.Sentences[0].ArticleID != harbour.ID {
			t.Errorf("before the revision: %+v", got.Sentences)
		}
		if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/revisions", harbour.ID),
			map[string]any{"body": "The harbour tender went to a firm from Naples. Dredging began in May."}); r.Status != http.StatusCreated {
			t.Fatalf("revise: %d %s", r.Status, r.Body)
		}
		if got := e.search(t, viewer, "q=genoa"); len(got.Sentences) != 0 {
			t.Errorf("the old revision's sentence is still found: %+v", got.Sentences)
		}
		if got := e.search(t, viewer, "q=naples+OR+dredging"); len(got.Sentences) != 2 {
			t.Errorf("the new revision's sentences: %+v", got.Sentences)
		}
		page := e.browser()
		page.signIn(models.RoleViewer)
		if r := page.get("/search?q=putin"); r.Status != 200 || strings.Contains(string(r.Body), "<img src=x") || !strings.Contains(string(r.Body), "&lt;img src=x") {
			t.Errorf("search page: %d, markup of a title not escaped", r.Status)
		}
		if r := page.get("/search?q=" + strings.Repeat("a", 1001)); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "longer than 1,000 characters") {
			t.Errorf("search page with a long query: %d", r.Status)
		}
		// A blind second opinion: the second checker finds nothing of the
		// article while it is open; the first still does.
		second := e.extraUser(t, "second@test.example", models.RoleChecker)
		r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": e.users["second@test.example"].ID})
		if r.Status != http.StatusCreated {
			t.Fatalf("ask a second opinion: %d %s", r.Status, r.Body)
		}
		for _, q := range []string{"q=putin", "q=readout", "q=putin&group=sentences", "q=putin&label=fact", "q=" + url.QueryEscape(a.Title)} {
			for _, s := range e.search(t, second, q).Sentences {
				if s.ArticleID == a.ID {
					t.Errorf("%s: the blind second checker found sentence %d of the article", q, s.ID)
				}
			}
			for _, art := range e.search(t, second, q).Articles {
				if art.ID == a.ID {
					t.Errorf("%s: the blind second checker found the article", q)
				}
			}
		}
		checker := tokenClient{e: e, token: e.tokens[models.RoleChecker]}
		if got := e.search(t, checker, "q=putin&group=sentences"); len(got.Sentences) != len(res.Sentences) {
			t.Errorf("the first checker finds %d sentences, want %d", len(got.Sentences), len(res.Sentences))
		}
		sb := e.browser()
		sb.signIn("second@test.example")
		if r := sb.get("/search?q=putin"); r.Status != 200 || strings.Contains(string(r.Body), fmt.Sprintf("/articles/%d?s=", a.ID)) {
			t.Errorf("the search page shows the blind checker the article's sentences (%d)", r.Status)
		}
	})
}
