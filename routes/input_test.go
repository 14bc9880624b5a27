package routes_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// badTexts are what the attack test sent: a NUL, a byte that is not
// UTF-8, a UTF-16 surrogate encoded as bytes (CESU-8), and an escape
// character; each inside ordinary words.
var badTexts = map[string]string{
	"NUL":           "Who said\x00 this?",
	"invalid UTF-8": "Who said \xff this?",
	"CESU-8":        "Who said \xed\xa0\x80 this?",
	"control":       "Who said \x1b[31m this?",
	"C1 control":    "Who said \u0085 this?",
}

// goodText is ordinary text that must go through: accents, Cyrillic,
// CJK, an emoji (four bytes in UTF-8, a surrogate pair in JSON), a tab
// and line breaks.
const goodText = "Café Ж 中文 🙂\tcolumn\nline\r\nend"

// tableRows counts a table's rows.
func tableRows(t *testing.T, e *env, table string) int64 {
	t.Helper()
	var n int64
	if err := e.db.Gorm().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// unchanged snapshots the tables a refused request must leave alone and
// returns a check that they were.
func unchanged(t *testing.T, e *env, tables ...string) func() {
	t.Helper()
	before := map[string]int64{}
	for _, tb := range append(tables, "audit_events") {
		before[tb] = tableRows(t, e, tb)
	}
	return func() {
		t.Helper()
		for tb, n := range before {
			if got := tableRows(t, e, tb); got != n {
				t.Errorf("%s: %d rows after the refused request, want %d", tb, got, n)
			}
		}
	}
}

// wantRefusedPage checks a page's answer to bad text: a 400 error page
// that names the field in words, not a redirect and not a 500.
func wantRefusedPage(t *testing.T, r apiResponse, field string) {
	t.Helper()
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d (Location %q), want 400: %.300s", r.Status, r.Header.Get("Location"), r.Body)
	}
	page := html.UnescapeString(string(r.Body))
	if !strings.Contains(page, `"`+field+`" is not valid text`) {
		t.Errorf("the page does not name %q in words: %.2000s", field, page)
	}
}

// wantRefusedAPI checks the API's answer to bad text: 400, code
// malformed, a message naming the parameter.
func wantRefusedAPI(t *testing.T, r apiResponse, field string) {
	t.Helper()
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %.300s", r.Status, r.Body)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	r.decode(t, &body)
	if body.Error.Code != models.EMALFORMED || !strings.Contains(body.Error.Message, `"`+field+`" is not valid text`) {
		t.Errorf("error %+v, want code %q and a message naming %q", body.Error, models.EMALFORMED, field)
	}
}

// formCase is one page form and the field the bad text goes in.
type formCase struct {
	name   string
	anon   bool // posted without signing in
	tables []string
	// form returns the path and the fields, with text in field.
	form  func(text string) (string, url.Values)
	field string
}

func TestFormsRefuseBadText(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Council", "The council met on Monday. \"We agree,\" the mayor said. Costs rose by a tenth.")
		s := a.Sentences[0]
		viewer := itoa(e.users[models.RoleViewer].ID)
		cases := []formCase{
			{name: "comment", tables: []string{"comments"}, field: "body", form: func(x string) (string, url.Values) {
				return formPath("/articles/%d/comments", a.ID), url.Values{"body": {x}}
			}},
			{name: "source", tables: []string{"sources"}, field: "title", form: func(x string) (string, url.Values) {
				return "/sources", url.Values{"kind": {"person"}, "title": {x}}
			}},
			{name: "token", tables: []string{"api_tokens"}, field: "name", form: func(x string) (string, url.Values) {
				return "/tokens", url.Values{"user_id": {viewer}, "name": {x}}
			}},
			{name: "user", tables: []string{"users"}, field: "name", form: func(x string) (string, url.Values) {
				return "/users", url.Values{"name": {x}, "email": {"new@test.example"}, "role": {"viewer"}}
			}},
			{name: "citation", tables: []string{"citations", "sources"}, field: "excerpt", form: func(x string) (string, url.Values) {
				return formPath("/sentences/%d/citations", s.ID), url.Values{"url": {"https://minutes.example/m"}, "relation": {"supports"}, "excerpt": {x}}
			}},
			{name: "note", tables: []string{"sentences"}, field: "note", form: func(x string) (string, url.Values) {
				return formPath("/sentences/%d", s.ID), url.Values{"label": {"fact"}, "version": {itoa(int64(s.Version))}, "note": {x}}
			}},
			{name: "attribution", tables: []string{"attributions"}, field: "speaker", form: func(x string) (string, url.Values) {
				return formPath("/sentences/%d/attribution", a.Sentences[1].ID), url.Values{"speaker": {x}, "cue": {"said"}}
			}},
			{name: "sign-in", anon: true, tables: []string{"sessions", "sign_in_throttles"}, field: "email", form: func(x string) (string, url.Values) {
				return "/login", url.Values{"email": {x}, "password": {testPassword}}
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				b := e.browser()
				if tc.anon {
					b.get("/login")
				} else {
					b.signIn(models.RoleAdmin)
				}
				for what, x := range badTexts {
					t.Run(what, func(t *testing.T) {
						check := unchanged(t, e, tc.tables...)
						path, form := tc.form(x)
						wantRefusedPage(t, b.post(path, form), tc.field)
						check()
					})
				}
				// A bad field name is refused as well.
				t.Run("bad name", func(t *testing.T) {
					check := unchanged(t, e, tc.tables...)
					path, form := tc.form("fine")
					form.Set("odd\x00name", "x")
					if r := b.post(path, form); r.Status != http.StatusBadRequest {
						t.Errorf("status %d, want 400", r.Status)
					}
					check()
				})
			})
		}

		// Ordinary text goes through, and is stored as sent.
		t.Run("good text", func(t *testing.T) {
			b := e.browser()
			b.signIn(models.RoleAdmin)
			n := tableRows(t, e, "comments")
			if r := b.post(formPath("/articles/%d/comments", a.ID), url.Values{"body": {goodText}}); r.Status != http.StatusSeeOther {
				t.Fatalf("comment: %d %.300s", r.Status, r.Body)
			}
			if got := tableRows(t, e, "comments"); got != n+1 {
				t.Fatalf("comments: %d, want %d", got, n+1)
			}
			var body string
			if err := e.db.Gorm().Table("comments").Order("id DESC").Limit(1).Pluck("body", &body).Error; err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{"Café Ж 中文 🙂\tcolumn", "line", "end"} {
				if !strings.Contains(body, part) {
					t.Errorf("stored comment %q lacks %q", body, part)
				}
			}
			if r := b.post("/sources", url.Values{"kind": {"person"}, "title": {"Ж 🙂 中文 é"}}); r.Status != http.StatusSeeOther {
				t.Errorf("source: %d %.300s", r.Status, r.Body)
			}
		})
	})
}

func TestQueriesRefuseBadText(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		e.importSmall(t, "Council", "The council met on Monday. Costs rose by a tenth.")
		b := e.browser()
		b.signIn(models.RoleViewer)
		for _, path := range []string{"/?q=%00", "/sources?q=%FF", "/sources?q=%ED%A0%80", "/search?q=a%1Bb", "/?q=ok&outlet=%00"} {
			t.Run(path, func(t *testing.T) {
				field := "q"
				if strings.Contains(path, "outlet") {
					field = "outlet"
				}
				wantRefusedPage(t, b.get(path), field)
			})
		}
		t.Run("signed out", func(t *testing.T) {
			// The error page, not a sign-in redirect that would come back
			// to the same refused address.
			wantRefusedPage(t, e.browser().get("/?q=%00"), "q")
		})
		for _, path := range []string{"/api/v1/articles?q=%00", "/api/v1/articles?q=%FF", "/api/v1/sources?q=%ED%A0%80", "/api/v1/search?q=nul%00"} {
			t.Run(path, func(t *testing.T) {
				wantRefusedAPI(t, e.api(models.RoleViewer, "GET", path, nil), "q")
			})
		}
		t.Run("good text", func(t *testing.T) {
			q := url.QueryEscape(goodText)
			for _, path := range []string{"/?q=" + q, "/sources?q=" + q, "/search?q=" + q} {
				if r := b.get(path); r.Status != http.StatusOK {
					t.Errorf("%s: %d", path, r.Status)
				}
			}
			if r := e.api(models.RoleViewer, "GET", "/api/v1/articles?q="+q, nil); r.Status != http.StatusOK {
				t.Errorf("API: %d %.300s", r.Status, r.Body)
			}
		})
	})
}

func TestJSONRefusesBadText(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := e.importSmall(t, "Council", "The council met on Monday. Costs rose by a tenth.")
		comments := formPath("/api/v1/articles/%d/comments", a.ID)
		bodies := map[string]string{
			"NUL escape":         `{"body": "a\u0000b"}`,
			"lone high":          `{"body": "a\ud800b"}`,
			"lone low":           `{"body": "a\udc00b"}`,
			"high then not low":  `{"body": "a\ud800\u0041"}`,
			"escaped control":    `{"body": "a\u001bb"}`,
			"escaped form feed":  `{"body": "a\fb"}`,
			"C1 control":         "{\"body\": \"a\u0085b\"}",
			"invalid UTF-8":      "{\"body\": \"a\xffb\"}",
			"CESU-8":             "{\"body\": \"a\xed\xa0\x80b\"}",
			"in an array member": `{"body": "x", "mentions": ["a\u0000"]}`,
		}
		for name, body := range bodies {
			t.Run(name, func(t *testing.T) {
				check := unchanged(t, e, "comments")
				field := "body"
				if strings.Contains(body, "mentions") {
					field = "mentions"
				}
				wantRefusedAPI(t, e.api(models.RoleChecker, "POST", comments, body), field)
				check()
			})
		}
		t.Run("source", func(t *testing.T) {
			check := unchanged(t, e, "sources")
			wantRefusedAPI(t, e.api(models.RoleChecker, "POST", "/api/v1/sources", `{"kind": "person", "title": "\u0000"}`), "title")
			check()
		})
		t.Run("import", func(t *testing.T) {
			check := unchanged(t, e, "articles", "sentences")
			wantRefusedAPI(t, e.api(models.RoleChecker, "POST", "/api/v1/articles", `{"title": "T", "body": "The council met.\u0000"}`), "body")
			check()
		})
		t.Run("bad key", func(t *testing.T) {
			check := unchanged(t, e, "comments")
			if r := e.api(models.RoleChecker, "POST", comments, `{"b\u0000dy": "x"}`); r.Status != http.StatusBadRequest || r.errorCode(t) != models.EMALFORMED {
				t.Errorf("status %d: %s", r.Status, r.Body)
			}
			check()
		})
		t.Run("good text", func(t *testing.T) {
			n := tableRows(t, e, "comments")
			// The emoji as a surrogate pair escape and as raw UTF-8.
			body := `{"body": "Caf\u00e9 \u0416 \ud83d\ude42 ` + "中文 🙂" + `\tcolumn\nline\r\nend"}`
			if r := e.api(models.RoleChecker, "POST", comments, body); r.Status != http.StatusCreated {
				t.Fatalf("comment: %d %s", r.Status, r.Body)
			}
			// An escaped backslash before "u0000" is text about an escape.
			if r := e.api(models.RoleChecker, "POST", comments, `{"body": "JSON writes NUL as \\u0000."}`); r.Status != http.StatusCreated {
				t.Fatalf("comment about an escape: %d %s", r.Status, r.Body)
			}
			if got := tableRows(t, e, "comments"); got != n+2 {
				t.Errorf("comments: %d, want %d", got, n+2)
			}
		})
	})
}

// multipartForm encodes fields and one file as the import form does.
func multipartForm(t *testing.T, fields map[string]string, file string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if file != "" {
		fw, err := w.CreateFormFile("file", "story.txt")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte(file)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

func TestMultipartImportChecksTextFieldsOnly(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		b := e.browser()
		b.signIn(models.RoleChecker)
		upload := func(fields map[string]string, file string) apiResponse {
			fields["csrf_token"] = b.csrf
			body, ct := multipartForm(t, fields, file)
			req, err := http.NewRequest("POST", e.srv.URL+"/import", body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ct)
			return b.send(req)
		}
		for what, x := range badTexts {
			t.Run(what, func(t *testing.T) {
				check := unchanged(t, e, "articles", "sentences")
				wantRefusedPage(t, upload(map[string]string{"title": x, "format": "text"}, "The council met on Monday. It approved the budget."), "title")
				check()
			})
		}
		t.Run("upload works", func(t *testing.T) {
			n := countArticles(t, e)
			r := upload(map[string]string{"title": "Ж Council 🙂", "format": "text"}, "The council met on Monday. It approved the budget.")
			if r.Status != http.StatusSeeOther {
				t.Fatalf("upload: %d %.500s", r.Status, r.Body)
			}
			if got := countArticles(t, e); got != n+1 {
				t.Errorf("articles: %d, want %d", got, n+1)
			}
		})
		t.Run("file content is the import's to judge", func(t *testing.T) {
			// A file is not text the edge check reads: a NUL in it is
			// refused by the import, with its own message.
			r := upload(map[string]string{"title": "Nul", "format": "text"}, "The council met.\x00 It approved the budget.")
			if r.Status >= 500 || strings.Contains(string(r.Body), "is not valid text") {
				t.Errorf("upload with a NUL in the file: %d %.500s", r.Status, r.Body)
			}
		})
	})
}
