package routes_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"factdesk/fetch"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

type sourceJSON struct {
	ID             int64   `json:"id"`
	Kind           string  `json:"kind"`
	Title          string  `json:"title"`
	URL            string  `json:"url"`
	Publisher      string  `json:"publisher"`
	PublishedAt    *string `json:"published_at"`
	Reliability    *string `json:"reliability"`
	Credibility    *int    `json:"credibility"`
	Withheld       bool    `json:"withheld"`
	WithheldReason string  `json:"withheld_reason"`
	RetrievedAt    *string `json:"retrieved_at"`
	HTTPStatus     *int    `json:"http_status"`
	ContentType    string  `json:"content_type"`
	SHA256         string  `json:"sha256"`
	FinalURL       string  `json:"final_url"`
	Created        bool    `json:"created"`
	Citations      int     `json:"citations"`
}

type citationJSON struct {
	ID             int64      `json:"id"`
	SentenceID     int64      `json:"sentence_id"`
	ArticleID      int64      `json:"article_id"`
	SourceID       int64      `json:"source_id"`
	Relation       string     `json:"relation"`
	Excerpt        string     `json:"excerpt"`
	Locator        string     `json:"locator"`
	Source         sourceJSON `json:"source"`
	SourceCreated  bool       `json:"source_created"`
	ArticleTitle   string     `json:"article_title"`
	SentenceNumber int        `json:"sentence_number"`
	SentenceText   string     `json:"sentence_text"`
}

// apiError is a decoded JSON error.
type apiError struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Field   string          `json:"field"`
	Data    json.RawMessage `json:"data"`
}

func (r apiResponse) apiError(t *testing.T) apiError {
	t.Helper()
	var e struct {
		Error apiError `json:"error"`
	}
	r.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not a JSON error: %s", r.Body)
	}
	return e.Error
}

// createSource adds a source over the API and fails the test otherwise.
func (e *env) createSource(t *testing.T, body map[string]any) sourceJSON {
	t.Helper()
	r := e.api(models.RoleChecker, "POST", "/api/v1/sources", body)
	if r.Status != http.StatusCreated && r.Status != http.StatusOK {
		t.Fatalf("create source %v: %d %s", body, r.Status, r.Body)
	}
	var s sourceJSON
	r.decode(t, &s)
	return s
}

// importSmall imports a short article and returns it with its sentences.
func (e *env) importSmall(t *testing.T, title, body string) articleJSON {
	t.Helper()
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"title": title, "body": body})
	if r.Status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var a articleJSON
	r.decode(t, &a)
	return a
}

func (e *env) countRows(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := e.db.Gorm().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) globalActions(t *testing.T, entity string) []string {
	t.Helper()
	evs, err := e.store.GlobalEvents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		if ev.Entity == entity {
			out = append(out, ev.Action)
		}
	}
	return out
}

func TestSourcesAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		r := e.api(models.RoleChecker, "POST", "/api/v1/sources", map[string]any{
			"kind": "official_record", "title": " H.R.3364 text ", "url": "HTTPS://Congress.Example:443/bill/3364/?utm_source=feed&utm_medium=x#text",
			"publisher": "US Congress", "published_at": "2017-08-02", "reliability": "a", "credibility": 1,
		})
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var bill sourceJSON
		r.decode(t, &bill)
		if bill.URL != "https://congress.example/bill/3364" || bill.Title != "H.R.3364 text" || !bill.Created ||
			bill.Reliability == nil || *bill.Reliability != "A" || bill.Credibility == nil || *bill.Credibility != 1 ||
			bill.PublishedAt == nil || !strings.HasPrefix(*bill.PublishedAt, "2017-08-02") {
			t.Errorf("created: %+v", bill)
		}
		if got, want := r.Header.Get("Location"), "/api/v1/sources/"+itoa(bill.ID); got != want {
			t.Errorf("Location: got %q, want %q", got, want)
		}

		t.Run("the same page under another spelling is the same source", func(t *testing.T) {
			r := e.api(models.RoleEditor, "POST", "/api/v1/sources", map[string]any{"kind": "document", "title": "Other", "url": "https://congress.example/bill/3364/#top"})
			var again sourceJSON
			r.decode(t, &again)
			if r.Status != http.StatusOK || again.ID != bill.ID || again.Created || again.Title != "H.R.3364 text" {
				t.Errorf("got %d %+v, want 200 with source %d, created false, unchanged", r.Status, again, bill.ID)
			}
		})

		t.Run("a URL alone makes a web page titled by its URL", func(t *testing.T) {
			s := e.createSource(t, map[string]any{"url": "https://tass.example/politics/1"})
			if s.Kind != "web_page" || s.Title != "https://tass.example/politics/1" {
				t.Errorf("got %+v", s)
			}
		})

		before := e.countRows(t, "sources")
		invalid := []struct {
			name  string
			body  string
			field string
		}{
			{"malformed URL", `{"kind":"web_page","title":"x","url":"http://exa mple.org/"}`, "url"},
			{"not a URL", `{"kind":"web_page","title":"x","url":"example"}`, "url"},
			{"ftp URL", `{"kind":"web_page","title":"x","url":"ftp://example.org/file"}`, "url"},
			{"malformed archived URL", `{"kind":"web_page","title":"x","archived_url":"archive"}`, "archived_url"},
			{"unknown kind", `{"kind":"rumour","title":"x"}`, "kind"},
			{"no kind and no URL", `{"title":"x"}`, "kind"},
			{"no title and no URL", `{"kind":"person"}`, "title"},
			{"reliability G", `{"kind":"person","title":"x","reliability":"G"}`, "reliability"},
			{"reliability AB", `{"kind":"person","title":"x","reliability":"AB"}`, "reliability"},
			{"credibility 0", `{"kind":"person","title":"x","credibility":0}`, "credibility"},
			{"credibility 7", `{"kind":"person","title":"x","credibility":7}`, "credibility"},
			{"credibility 2.5", `{"kind":"person","title":"x","credibility":2.5}`, "credibility"},
			{"credibility word", `{"kind":"person","title":"x","credibility":"high"}`, "credibility"},
			{"withheld without reason", `{"kind":"person","title":"x","withheld":true}`, "withheld_reason"},
			{"withheld not a boolean", `{"kind":"person","title":"x","withheld":"yes"}`, "withheld"},
			{"title too long", `{"kind":"person","title":"` + strings.Repeat("t", models.MaxSourceTitle+1) + `"}`, "title"},
			{"title not a string", `{"kind":"person","title":5}`, "title"},
			{"not a date", `{"kind":"person","title":"x","published_at":"last week"}`, "published_at"},
			{"unknown field", `{"kind":"person","title":"x","colour":"red"}`, "colour"},
			{"retrieval is factdesk's", `{"kind":"person","title":"x","sha256":"00"}`, "sha256"},
		}
		for _, tt := range invalid {
			t.Run(tt.name, func(t *testing.T) {
				r := e.api(models.RoleChecker, "POST", "/api/v1/sources", tt.body)
				if r.Status != http.StatusUnprocessableEntity {
					t.Fatalf("got %d %s, want 422", r.Status, r.Body)
				}
				if got := r.apiError(t); got.Field != tt.field || got.Code != models.EINVALID {
					t.Errorf("got %s on %q, want invalid on %q", got.Code, got.Field, tt.field)
				}
			})
		}
		for _, tt := range []struct {
			name, body string
			status     int
		}{
			{"malformed JSON", `{"kind":`, http.StatusBadRequest},
			{"not an object", `["web_page"]`, http.StatusBadRequest},
		} {
			if r := e.api(models.RoleChecker, "POST", "/api/v1/sources", tt.body); r.Status != tt.status {
				t.Errorf("%s: got %d, want %d", tt.name, r.Status, tt.status)
			}
		}
		if got := e.countRows(t, "sources"); got != before {
			t.Errorf("refused requests changed the library: %d sources, want %d", got, before)
		}
		if r := e.api(models.RoleViewer, "POST", "/api/v1/sources", `{"kind":"person","title":"x"}`); r.Status != http.StatusForbidden {
			t.Errorf("viewer adds a source: got %d, want 403", r.Status)
		}

		t.Run("PATCH changes what is sent and nothing else", func(t *testing.T) {
			path := "/api/v1/sources/" + itoa(bill.ID)
			var s sourceJSON
			r := e.api(models.RoleChecker, "PATCH", path, `{"reliability":"b","credibility":"2","notes":"checked against the Congress site"}`)
			r.decode(t, &s)
			if r.Status != 200 || *s.Reliability != "B" || *s.Credibility != 2 || s.Title != bill.Title || s.URL != bill.URL {
				t.Errorf("patch grades: %d %+v", r.Status, s)
			}
			r = e.api(models.RoleChecker, "PATCH", path, `{"credibility":null,"published_at":null}`)
			s = sourceJSON{}
			r.decode(t, &s)
			if r.Status != 200 || s.Credibility != nil || s.PublishedAt != nil || s.Reliability == nil {
				t.Errorf("null clears: %d %+v", r.Status, s)
			}
			other := e.createSource(t, map[string]any{"kind": "web_page", "title": "Other", "url": "https://other.example/"})
			r = e.api(models.RoleChecker, "PATCH", path, `{"url":"https://OTHER.example"}`)
			if r.Status != http.StatusConflict {
				t.Fatalf("taking another source's URL: got %d, want 409", r.Status)
			}
			var data struct {
				SourceID int64 `json:"source_id"`
			}
			if e := r.apiError(t); e.Field != "url" || json.Unmarshal(e.Data, &data) != nil || data.SourceID != other.ID {
				t.Errorf("conflict: %+v, want it to name source %d", e, other.ID)
			}
			for body, field := range map[string]string{
				`{"withheld":true}`:   "withheld_reason",
				`{"kind":"gossip"}`:   "kind",
				`{"title":""}`:        "title",
				`{"reliability":"Z"}`: "reliability",
				`{"url":"mailto:x"}`:  "url",
				`{"http_status":200}`: "http_status",
			} {
				r := e.api(models.RoleChecker, "PATCH", path, body)
				if r.Status != http.StatusUnprocessableEntity || r.apiError(t).Field != field {
					t.Errorf("PATCH %s: got %d %s, want 422 on %s", body, r.Status, r.Body, field)
				}
			}
			if r := e.api(models.RoleViewer, "PATCH", path, `{"notes":"x"}`); r.Status != http.StatusForbidden {
				t.Errorf("viewer patch: %d", r.Status)
			}
			if r := e.api(models.RoleChecker, "PATCH", "/api/v1/sources/999999", `{"notes":"x"}`); r.Status != http.StatusNotFound {
				t.Errorf("missing source: %d", r.Status)
			}
		})

		t.Run("withheld sources keep their reason", func(t *testing.T) {
			s := e.createSource(t, map[string]any{"kind": "interview", "title": "Official in the ministry", "withheld": true, "withheld_reason": "would identify the informant"})
			var got sourceJSON
			r := e.api(models.RoleViewer, "GET", "/api/v1/sources/"+itoa(s.ID), nil)
			r.decode(t, &got)
			if r.Status != 200 || !got.Withheld || got.WithheldReason != "would identify the informant" {
				t.Errorf("withheld source: %d %+v", r.Status, got)
			}
			r = e.api(models.RoleChecker, "PATCH", "/api/v1/sources/"+itoa(s.ID), `{"withheld":false}`)
			got = sourceJSON{}
			r.decode(t, &got)
			if r.Status != 200 || got.Withheld {
				t.Errorf("un-withhold: %d %+v", r.Status, got)
			}
		})

		t.Run("search and filters", func(t *testing.T) {
			list := func(query string) (int, []string) {
				r := e.api(models.RoleViewer, "GET", "/api/v1/sources"+query, nil)
				var p struct {
					Sources []sourceJSON `json:"sources"`
					Next    int64        `json:"next_cursor"`
				}
				if r.Status == 200 {
					r.decode(t, &p)
				}
				var titles []string
				for _, s := range p.Sources {
					titles = append(titles, s.Title)
				}
				return r.Status, titles
			}
			for _, tt := range []struct{ query, want string }{
				{"?q=h.r.", "H.R.3364 text"},
				{"?q=congress.example", "H.R.3364 text"},
				{"?q=us+cong", "H.R.3364 text"},
				{"?kind=official_record", "H.R.3364 text"},
				{"?reliability=b", "H.R.3364 text"},
				{"?kind=interview&q=official", "Official in the ministry"},
				{"?q=nothing+like+this", ""},
			} {
				if status, got := list(tt.query); status != 200 || strings.Join(got, " | ") != tt.want {
					t.Errorf("%s: got %d %q, want %q", tt.query, status, got, tt.want)
				}
			}
			for _, q := range []string{"?kind=rumour", "?reliability=Z", "?credibility=9", "?cursor=-1", "?limit=0", "?limit=1000"} {
				if status, _ := list(q); status != http.StatusUnprocessableEntity {
					t.Errorf("%s: got %d, want 422", q, status)
				}
			}
			var all []string
			cursor := ""
			for range 10 {
				r := e.api(models.RoleViewer, "GET", "/api/v1/sources?limit=2"+cursor, nil)
				var p struct {
					Sources []sourceJSON `json:"sources"`
					Next    int64        `json:"next_cursor"`
				}
				r.decode(t, &p)
				for _, s := range p.Sources {
					all = append(all, s.Title)
				}
				if p.Next == 0 {
					break
				}
				cursor = "&cursor=" + itoa(p.Next)
			}
			if len(all) != int(e.countRows(t, "sources")) {
				t.Errorf("paging saw %d sources, want %d: %v", len(all), e.countRows(t, "sources"), all)
			}
		})

		if r := e.api(models.RoleViewer, "GET", "/api/v1/sources/999999", nil); r.Status != http.StatusNotFound {
			t.Errorf("missing source: %d", r.Status)
		}
		got := strings.Join(e.globalActions(t, "source"), ",")
		want := "source.create,source.create,source.update,source.update,source.create,source.create,source.update"
		if got != want {
			t.Errorf("audit events:\n got %s\nwant %s", got, want)
		}
	})
}

func TestCitationsAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Bridge opens", "The bridge opened on Monday. It cost $4.2bn. Critics said it was late.")
		s1, s2, s3 := a.Sentences[0].ID, a.Sentences[1].ID, a.Sentences[2].ID
		src := e.createSource(t, map[string]any{"kind": "official_record", "title": "City press release", "url": "https://city.example/bridge"})
		cite := func(role models.Role, sentence int64, body any) apiResponse {
			return e.api(role, "POST", "/api/v1/sentences/"+itoa(sentence)+"/citations", body)
		}

		r := cite(models.RoleChecker, s1, map[string]any{"source_id": src.ID, "relation": "supports", "excerpt": "opened on Monday", "locator": "para. 2"})
		if r.Status != http.StatusCreated {
			t.Fatalf("cite: %d %s", r.Status, r.Body)
		}
		var c1 citationJSON
		r.decode(t, &c1)
		if c1.SentenceID != s1 || c1.ArticleID != a.ID || c1.Relation != "supports" || c1.Source.Title != "City press release" || c1.SourceCreated {
			t.Errorf("citation: %+v", c1)
		}

		r = cite(models.RoleEditor, s2, map[string]any{"url": "https://News.example/bridge-cost/?utm_campaign=x", "relation": "contradicts"})
		var c2 citationJSON
		r.decode(t, &c2)
		if r.Status != http.StatusCreated || !c2.SourceCreated || c2.Source.URL != "https://news.example/bridge-cost" {
			t.Fatalf("cite a new URL: %d %s", r.Status, r.Body)
		}
		r = cite(models.RoleChecker, s3, map[string]any{"url": "https://news.example/bridge-cost#comments", "relation": "context"})
		var c3 citationJSON
		r.decode(t, &c3)
		if r.Status != http.StatusCreated || c3.SourceCreated || c3.SourceID != c2.SourceID {
			t.Errorf("cite a known URL: %d, created %v, source %d want %d", r.Status, c3.SourceCreated, c3.SourceID, c2.SourceID)
		}
		r = cite(models.RoleChecker, s3, map[string]any{"source": map[string]any{"kind": "person", "title": "A critic"}, "relation": "origin"})
		var c4 citationJSON
		r.decode(t, &c4)
		if r.Status != http.StatusCreated || !c4.SourceCreated || c4.Source.Kind != "person" {
			t.Errorf("cite a new source: %d %s", r.Status, r.Body)
		}

		sourcesBefore, citationsBefore := e.countRows(t, "sources"), e.countRows(t, "citations")
		for _, tt := range []struct {
			name     string
			sentence int64
			body     string
			status   int
			field    string
		}{
			{"unknown relation", s1, `{"source_id":` + itoa(src.ID) + `,"relation":"endorses"}`, 422, "relation"},
			{"no relation", s1, `{"source_id":` + itoa(src.ID) + `}`, 422, "relation"},
			{"excerpt too long", s1, `{"source_id":` + itoa(src.ID) + `,"relation":"context","excerpt":"` + strings.Repeat("x", models.MaxExcerpt+1) + `"}`, 422, "excerpt"},
			{"locator too long", s1, `{"source_id":` + itoa(src.ID) + `,"relation":"context","locator":"` + strings.Repeat("x", models.MaxLocator+1) + `"}`, 422, "locator"},
			{"no source", s1, `{"relation":"context"}`, 422, "source_id"},
			{"two sources", s1, `{"source_id":` + itoa(src.ID) + `,"url":"https://x.example/","relation":"context"}`, 422, "source_id"},
			{"unknown source", s1, `{"source_id":999999,"relation":"context"}`, 422, "source_id"},
			{"malformed URL", s1, `{"url":"not a url","relation":"context"}`, 422, "url"},
			{"new source of unknown kind", s1, `{"source":{"kind":"rumour","title":"x"},"relation":"context"}`, 422, "source.kind"},
			{"new source with a bad grade", s1, `{"source":{"kind":"person","title":"x","credibility":9},"relation":"context"}`, 422, "source.credibility"},
			{"unknown field", s1, `{"source_id":` + itoa(src.ID) + `,"relation":"context","page":3}`, 422, "page"},
			{"cited twice for one relation", s1, `{"source_id":` + itoa(src.ID) + `,"relation":"supports"}`, 409, "relation"},
			{"unknown sentence", 999999, `{"source_id":` + itoa(src.ID) + `,"relation":"context"}`, 404, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := cite(models.RoleChecker, tt.sentence, tt.body)
				if r.Status != tt.status {
					t.Fatalf("got %d %s, want %d", r.Status, r.Body, tt.status)
				}
				if got := r.apiError(t).Field; got != tt.field {
					t.Errorf("field: got %q, want %q", got, tt.field)
				}
			})
		}
		if r := cite(models.RoleViewer, s1, map[string]any{"source_id": src.ID, "relation": "context"}); r.Status != http.StatusForbidden {
			t.Errorf("viewer cites: %d", r.Status)
		}
		if s, c := e.countRows(t, "sources"), e.countRows(t, "citations"); s != sourcesBefore || c != citationsBefore {
			t.Errorf("refused citations changed something: %d sources %d citations, want %d and %d", s, c, sourcesBefore, citationsBefore)
		}

		t.Run("the status a sentence has keeps its last evidence", func(t *testing.T) {
			patch := func(sentence int64, status string, version int) apiResponse {
				return e.api(models.RoleChecker, "PATCH", "/api/v1/sentences/"+itoa(sentence),
					map[string]any{"label": "fact", "status": status, "version": version})
			}
			if r := patch(s1, "verified", 1); r.Status != 200 {
				t.Fatalf("verify a supported sentence: %d %s", r.Status, r.Body)
			}
			r := e.api(models.RoleChecker, "DELETE", "/api/v1/citations/"+itoa(c1.ID), nil)
			if r.Status != http.StatusConflict || !strings.Contains(r.apiError(t).Message, "change the sentence's status first") {
				t.Errorf("remove the last support of a verified sentence: got %d %s, want 409 saying why", r.Status, r.Body)
			}
			if r := cite(models.RoleChecker, s1, map[string]any{"source_id": c2.SourceID, "relation": "origin"}); r.Status != 201 {
				t.Fatalf("second evidence: %d", r.Status)
			}
			if r := e.api(models.RoleChecker, "DELETE", "/api/v1/citations/"+itoa(c1.ID), nil); r.Status != http.StatusNoContent {
				t.Errorf("remove one of two: got %d %s, want 204", r.Status, r.Body)
			}
			if r := patch(s2, "disputed", 1); r.Status != 200 {
				t.Fatalf("dispute a contradicted sentence: %d %s", r.Status, r.Body)
			}
			if r := e.api(models.RoleChecker, "DELETE", "/api/v1/citations/"+itoa(c2.ID), nil); r.Status != http.StatusConflict {
				t.Errorf("remove the last contradiction of a disputed sentence: got %d, want 409", r.Status)
			}
			// Once the status changes, the citation may go.
			if r := patch(s2, "labeled", 2); r.Status != 200 {
				t.Fatalf("relabel: %d %s", r.Status, r.Body)
			}
			if r := e.api(models.RoleChecker, "DELETE", "/api/v1/citations/"+itoa(c2.ID), nil); r.Status != http.StatusNoContent {
				t.Errorf("remove after the status changed: %d %s", r.Status, r.Body)
			}
			if r := e.api(models.RoleChecker, "DELETE", "/api/v1/citations/"+itoa(c2.ID), nil); r.Status != http.StatusNotFound {
				t.Errorf("remove twice: %d", r.Status)
			}
			if r := e.api(models.RoleViewer, "DELETE", "/api/v1/citations/"+itoa(c3.ID), nil); r.Status != http.StatusForbidden {
				t.Errorf("viewer removes: %d", r.Status)
			}
		})

		t.Run("submitted and approved articles refuse citation changes", func(t *testing.T) {
			for _, status := range []string{"submitted", "approved"} {
				// Set directly: the workflow is not what this test is about.
				if err := db.Gorm().Exec(`UPDATE articles SET status = ? WHERE id = ?`, status, a.ID).Error; err != nil {
					t.Fatal(err)
				}
				r := cite(models.RoleChecker, s2, map[string]any{"source_id": src.ID, "relation": "context"})
				if r.Status != http.StatusConflict || !strings.Contains(r.apiError(t).Message, status) {
					t.Errorf("%s: cite got %d %s, want 409 naming the state", status, r.Status, r.Body)
				}
				if r := e.api(models.RoleChecker, "DELETE", "/api/v1/citations/"+itoa(c3.ID), nil); r.Status != http.StatusConflict {
					t.Errorf("%s: remove got %d, want 409", status, r.Status)
				}
			}
			if err := db.Gorm().Exec(`UPDATE articles SET status = 'in_review' WHERE id = ?`, a.ID).Error; err != nil {
				t.Fatal(err)
			}
		})

		t.Run("lists", func(t *testing.T) {
			var list struct {
				Citations []citationJSON `json:"citations"`
			}
			r := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"/citations", nil)
			r.decode(t, &list)
			var got []string
			for _, c := range list.Citations {
				got = append(got, itoa(c.SentenceID)+":"+c.Relation+":"+c.Source.Title)
			}
			want := []string{itoa(s1) + ":origin:https://news.example/bridge-cost", itoa(s3) + ":context:https://news.example/bridge-cost", itoa(s3) + ":origin:A critic"}
			if r.Status != 200 || strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("article citations: %d\n got %v\nwant %v", r.Status, got, want)
			}
			r = e.api(models.RoleViewer, "GET", "/api/v1/sources/"+itoa(c2.SourceID)+"/citations", nil)
			list.Citations = nil
			r.decode(t, &list)
			if r.Status != 200 || len(list.Citations) != 2 || list.Citations[0].ArticleTitle != "Bridge opens" ||
				list.Citations[0].SentenceNumber != 1 || list.Citations[1].SentenceText != "Critics said it was late." {
				t.Errorf("source citations: %d %s", r.Status, r.Body)
			}
			if r := e.api(models.RoleViewer, "GET", "/api/v1/sources/999999/citations", nil); r.Status != http.StatusNotFound {
				t.Errorf("citations of a missing source: %d", r.Status)
			}
		})

		evs, err := e.store.ArticleEvents(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, ev := range evs {
			if ev.Entity == "citation" {
				acts = append(acts, ev.Action)
			}
		}
		if got, want := strings.Join(acts, ","), "citation.add,citation.add,citation.add,citation.add,citation.add,citation.delete,citation.delete"; got != want {
			t.Errorf("citation events:\n got %s\nwant %s", got, want)
		}
		art, err := e.store.Article(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := models.VerifyChain(evs, art.AuditSeq, art.AuditHead); len(p) != 0 {
			t.Errorf("article chain: %v", p)
		}
		if got := e.globalActions(t, "source"); len(got) != 3 {
			t.Errorf("source events: %v, want 3 creations (one for the library, two inline)", got)
		}
	})
}

func TestRetrieveSource(t *testing.T) {
	const page = "<!DOCTYPE html><html><head><title>Release</title></head><body><p>The bridge opened.</p></body></html>"
	srv := httptestServer(t, page)
	sum := sha256.Sum256([]byte(page))
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{}, fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
		s := e.createSource(t, map[string]any{"url": srv.URL + "/release"})
		r := e.api(models.RoleChecker, "POST", "/api/v1/sources/"+itoa(s.ID)+"/retrieve", nil)
		var got sourceJSON
		r.decode(t, &got)
		if r.Status != 200 || got.RetrievedAt == nil || got.HTTPStatus == nil || *got.HTTPStatus != 200 ||
			got.SHA256 != hex.EncodeToString(sum[:]) || got.ContentType != "text/html; charset=utf-8" || got.FinalURL != srv.URL+"/release" {
			t.Errorf("retrieve: %d %+v", r.Status, got)
		}
		if r := e.api(models.RoleViewer, "POST", "/api/v1/sources/"+itoa(s.ID)+"/retrieve", nil); r.Status != http.StatusForbidden {
			t.Errorf("viewer retrieves: %d", r.Status)
		}
		person := e.createSource(t, map[string]any{"kind": "person", "title": "Nobody online"})
		if r := e.api(models.RoleChecker, "POST", "/api/v1/sources/"+itoa(person.ID)+"/retrieve", nil); r.Status != 422 || r.apiError(t).Field != "url" {
			t.Errorf("retrieve without URL: %d %s", r.Status, r.Body)
		}
		if got := e.globalActions(t, "source"); strings.Join(got, ",") != "source.create,source.retrieve,source.create" {
			t.Errorf("events: %v", got)
		}

		// Without an allow-list, a loopback address is refused and nothing recorded.
		strict := newEnvWith(t, testdb.Open(t, testdb.SQLite), reviewers.Config{}, fetch.New(fetch.Config{}))
		s2 := strict.createSource(t, map[string]any{"url": srv.URL + "/release"})
		r = strict.api(models.RoleChecker, "POST", "/api/v1/sources/"+itoa(s2.ID)+"/retrieve", nil)
		if r.Status != 422 || r.apiError(t).Field != "url" {
			t.Errorf("loopback without allow-list: %d %s", r.Status, r.Body)
		}
		// A server that does not fetch says so.
		none := newEnv(t, testdb.Open(t, testdb.SQLite))
		s3 := none.createSource(t, map[string]any{"url": "https://example.org/"})
		if r := none.api(models.RoleChecker, "POST", "/api/v1/sources/"+itoa(s3.ID)+"/retrieve", nil); r.Status != http.StatusUnsupportedMediaType {
			t.Errorf("no fetcher: %d %s", r.Status, r.Body)
		}
	})
}

func TestRetrieveRecordsErrorStatus(t *testing.T) {
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "withdrawn", http.StatusGone)
	}))
	t.Cleanup(gone.Close)
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnvWith(t, db, reviewers.Config{}, fetch.New(fetch.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
		s := e.createSource(t, map[string]any{"url": gone.URL + "/withdrawn"})
		r := e.api(models.RoleChecker, "POST", "/api/v1/sources/"+itoa(s.ID)+"/retrieve", nil)
		var got sourceJSON
		r.decode(t, &got)
		if r.Status != 200 || got.HTTPStatus == nil || *got.HTTPStatus != http.StatusGone || got.SHA256 != "" || got.RetrievedAt == nil {
			t.Errorf("410 page: %d %+v", r.Status, got)
		}
	})
}
