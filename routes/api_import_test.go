package routes_test

import (
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"

	"factdesk/fetch"
	"factdesk/internal/shared"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

type sentenceJSON struct {
	ID            int64   `json:"id"`
	Index         int     `json:"index"`
	Paragraph     int     `json:"paragraph"`
	Start         int     `json:"start"`
	End           int     `json:"end"`
	Text          string  `json:"text"`
	Quote         string  `json:"quote"`
	Status        string  `json:"status"`
	ExcludeReason string  `json:"exclude_reason"`
	Version       int     `json:"version"`
	Label         *string `json:"label"`
	Attribution   *struct {
		Speaker string `json:"speaker"`
		Cue     string `json:"cue"`
	} `json:"attribution"`
}

// scriptLabel is the label a test script gives sentence i: the four labels
// in turn, except that a sentence whose claim the article attributes to
// nobody is not made an allegation or a quote (submitting refuses those).
func scriptLabel(i int, s sentenceJSON) string {
	l := []string{"fact", "allegation", "quote", "assessment"}[i%4]
	if (l == "allegation" || l == "quote") && (s.Attribution == nil || s.Attribution.Speaker == "" || s.Attribution.Cue == "") {
		return "fact"
	}
	return l
}

type articleJSON struct {
	ID         int64          `json:"id"`
	Title      string         `json:"title"`
	Outlet     string         `json:"outlet"`
	Status     string         `json:"status"`
	Revision   int            `json:"revision"`
	BodySHA256 string         `json:"body_sha256"`
	Sentences  []sentenceJSON `json:"sentences"`
}

func seedArticle(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func countArticles(t *testing.T, e *env) int {
	t.Helper()
	var n int64
	if err := e.db.Gorm().Model(&models.Article{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	var s int64
	if err := e.db.Gorm().Model(&models.Sentence{}).Count(&s).Error; err != nil {
		t.Fatal(err)
	}
	if n == 0 && s != 0 {
		t.Fatalf("%d sentences without articles", s)
	}
	return int(n)
}

func TestImportSeedArticleOverAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		body := seedArticle(t)
		r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{
			"body": body, "format": "text", "outlet": "Example News", "published_at": "2017-07-31",
		})
		if r.Status != http.StatusCreated {
			t.Fatalf("import: status %d: %s", r.Status, r.Body)
		}
		var a articleJSON
		r.decode(t, &a)
		if a.Title != "755 US diplomats ousted" {
			t.Errorf("title: got %q, want the first line", a.Title)
		}
		if len(a.Sentences) != 30 {
			t.Fatalf("sentences: got %d, want 30", len(a.Sentences))
		}
		excluded := map[int]string{}
		for _, s := range a.Sentences {
			if s.Status == "excluded" {
				excluded[s.Index+1] = s.ExcludeReason
			}
			if s.Version != 1 || s.Label != nil {
				t.Errorf("sentence %d: version %d label %v, want 1 and none", s.Index, s.Version, s.Label)
			}
			if got := string([]rune(body)[s.Start:s.End]); got != s.Text {
				t.Errorf("sentence %d: code point span gives %q, text is %q", s.Index, got, s.Text)
			}
		}
		if len(excluded) != 2 || !strings.Contains(excluded[5], "truncated") || !strings.Contains(excluded[6], "duplicate") {
			t.Errorf("excluded: got %v, want 5 truncated and 6 duplicate", excluded)
		}
		if r.Header.Get("Location") == "" {
			t.Error("no Location header on 201")
		}

		// The same body again: the existing article, 200, nothing new.
		again := e.api(models.RoleEditor, "POST", "/api/v1/articles", map[string]any{"body": body})
		var b articleJSON
		again.decode(t, &b)
		if again.Status != http.StatusOK || b.ID != a.ID {
			t.Errorf("re-import: status %d id %d, want 200 and %d", again.Status, b.ID, a.ID)
		}
		if n := countArticles(t, e); n != 1 {
			t.Errorf("articles after re-import: %d, want 1", n)
		}

		got := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID), nil)
		var c articleJSON
		got.decode(t, &c)
		if got.Status != 200 || len(c.Sentences) != 30 || c.BodySHA256 != a.BodySHA256 {
			t.Errorf("GET article: status %d, %d sentences", got.Status, len(c.Sentences))
		}
		if r := e.api(models.RoleViewer, "GET", "/api/v1/articles/999999", nil); r.Status != 404 || r.errorCode(t) != "not_found" {
			t.Errorf("missing article: %d %s", r.Status, r.Body)
		}
	})
}

func TestImportErrorsChangeNothing(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{MaxBodyBytes: 4000}, nil)
		big := strings.Repeat("A sentence of news. ", 300)
		cases := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"malformed JSON", `{"body": "x"`, 400, "malformed"},
			{"not an object", `["body"]`, 400, "malformed"},
			{"unknown field", `{"body": "Text.", "colour": "red"}`, 400, "malformed"},
			{"invalid UTF-8", []byte("{\"body\": \"caf\xe9 au lait.\"}"), 400, "malformed"},
			{"empty body", map[string]any{"body": "  \n "}, 422, "invalid"},
			{"too large", map[string]any{"body": big}, 413, "too_large"},
			{"unknown format", map[string]any{"body": "Text.", "format": "docx"}, 415, "unsupported"},
			{"bad date", map[string]any{"body": "Text here.", "published_at": "yesterday"}, 422, "invalid"},
			{"loopback URL", map[string]any{"url": "http://127.0.0.1:9/article"}, 422, "invalid"},
			{"not http", map[string]any{"url": "ftp://example.org/a.txt"}, 422, "invalid"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.api(models.RoleChecker, "POST", "/api/v1/articles", tc.body)
				if r.Status != tc.status {
					t.Fatalf("status: got %d, want %d: %s", r.Status, tc.status, r.Body)
				}
				if got := r.errorCode(t); got != tc.code {
					t.Errorf("code: got %q, want %q", got, tc.code)
				}
			})
		}
		t.Run("not JSON", func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/articles", strings.NewReader("body=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+e.tokens[models.RoleChecker])
			if r := e.do(req); r.Status != 415 {
				t.Errorf("form body: got %d, want 415", r.Status)
			}
		})
		t.Run("request over the server limit", func(t *testing.T) {
			huge := map[string]any{"body": strings.Repeat("x", 20000)}
			if r := e.api(models.RoleChecker, "POST", "/api/v1/articles", huge); r.Status != 413 {
				t.Errorf("huge request: got %d, want 413", r.Status)
			}
		})
		if n := countArticles(t, e); n != 0 {
			t.Errorf("articles after failed imports: %d, want 0", n)
		}
	})
}

func TestImportByURL(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>Fetched story</title><script>var tracking = 1;</script></head>
<body><nav>Home | World</nav><article><h1>Fetched story</h1><p>The mayor opened the bridge on Monday. It cost $4.2bn.</p>
<p>Critics said the project was late.</p></article></body></html>`
	srv := httptestServer(t, page)
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		// Without an allow-list the loopback server is refused; with one it is fetched.
		refused := newEnv(t, db)
		if r := refused.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"url": srv.URL + "/story"}); r.Status != 422 {
			t.Fatalf("loopback without allow-list: got %d, want 422: %s", r.Status, r.Body)
		}
		allowed := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{},
			fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
		r := allowed.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"url": srv.URL + "/story"})
		if r.Status != 201 {
			t.Fatalf("URL import: %d %s", r.Status, r.Body)
		}
		var a articleJSON
		r.decode(t, &a)
		var texts []string
		for _, s := range a.Sentences {
			texts = append(texts, s.Text)
		}
		joined := strings.Join(texts, " | ")
		if strings.Contains(joined, "tracking") || strings.Contains(joined, "Home | World") {
			t.Errorf("script or navigation kept: %s", joined)
		}
		if !strings.Contains(joined, "The mayor opened the bridge on Monday.") || !strings.Contains(joined, "Critics said the project was late.") {
			t.Errorf("article text missing: %s", joined)
		}
	})
}
