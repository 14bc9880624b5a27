package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeArticle(t *testing.T) {
	good := `{"title":"T","body":"B.","format":"text","url":"https://example.com/a","outlet":"O","byline":"By X","published_at":"2017-07-30"}`
	a, err := DecodeArticle([]byte(good))
	if err != nil {
		t.Fatalf("DecodeArticle: %v", err)
	}
	want := ArticleInput{Title: "T", Body: "B.", Format: "text", URL: "https://example.com/a", Outlet: "O", Byline: "By X", PublishedAt: "2017-07-30"}
	if a != want {
		t.Errorf("DecodeArticle = %+v, want %+v", a, want)
	}

	tests := []struct {
		name, in string
		kind     ErrorKind
		field    string
	}{
		{"empty", ``, Malformed, ""},
		{"not an object", `["body"]`, Malformed, ""},
		{"null", `null`, Malformed, ""},
		{"unclosed", `{"body":"x"`, Malformed, ""},
		{"syntax", `{"body":x}`, Malformed, ""},
		{"trailing data", `{"body":"x"} {"body":"y"}`, Malformed, ""},
		{"unknown field", `{"body":"x","bodyy":"y"}`, Malformed, ""},
		{"invalid utf-8", "{\"body\":\"caf\xe9\"}", Malformed, ""},
		{"lone surrogate escape", `{"body":"a\ud800b"}`, Malformed, ""},
		{"number for a string", `{"body":"x","title":5}`, Invalid, "title"},
		{"object for a string", `{"body":{"text":"x"}}`, Invalid, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeArticle([]byte(tt.in))
			wantError(t, err, tt.kind, tt.field)
		})
	}
	t.Run("replacement character kept", func(t *testing.T) {
		for _, in := range []string{`{"body":"a\ufffdb"}`, "{\"body\":\"a\uFFFDb\"}", `{"body":"\ud83d\ude00"}`} {
			if _, err := DecodeArticle([]byte(in)); err != nil {
				t.Errorf("DecodeArticle(%s): %v, want accepted", in, err)
			}
		}
	})
}

func TestValidate(t *testing.T) {
	day := time.Date(2017, 7, 30, 0, 0, 0, 0, time.UTC)
	instant := time.Date(2017, 7, 30, 12, 5, 0, 0, time.UTC)
	tests := []struct {
		name       string
		in         ArticleInput
		wantFormat Format
		wantTime   *time.Time
		wantURL    string
	}{
		{"body only", ArticleInput{Body: "x"}, FormatText, nil, ""},
		{"markdown", ArticleInput{Body: "x", Format: "Markdown"}, FormatMarkdown, nil, ""},
		{"url only", ArticleInput{URL: "https://Example.com/a/?utm_source=x"}, "", nil, "https://example.com/a"},
		{"date", ArticleInput{Body: "x", PublishedAt: "2017-07-30"}, FormatText, &day, ""},
		{"rfc 3339", ArticleInput{Body: "x", PublishedAt: "2017-07-30T14:05:00+02:00"}, FormatText, &instant, ""},
		{"rfc 3339 fraction", ArticleInput{Body: "x", PublishedAt: "2017-07-30T12:05:00.000Z"}, FormatText, &instant, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.in.Validate()
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if v.Format != tt.wantFormat {
				t.Errorf("Format = %q, want %q", v.Format, tt.wantFormat)
			}
			if (v.PublishedAt == nil) != (tt.wantTime == nil) || (v.PublishedAt != nil && !v.PublishedAt.Equal(*tt.wantTime)) {
				t.Errorf("PublishedAt = %v, want %v", v.PublishedAt, tt.wantTime)
			}
			if v.PublishedAt != nil && v.PublishedAt.Location() != time.UTC {
				t.Errorf("PublishedAt in %v, want UTC", v.PublishedAt.Location())
			}
			if v.URL != tt.wantURL {
				t.Errorf("URL = %q, want %q", v.URL, tt.wantURL)
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    ArticleInput
		kind  ErrorKind
		field string
	}{
		{"nothing", ArticleInput{}, Invalid, "body"},
		{"blank body", ArticleInput{Body: "  \n"}, Invalid, "body"},
		{"unknown format", ArticleInput{Body: "x", Format: "docx"}, Unsupported, "format"},
		{"jsonl format", ArticleInput{Body: "x", Format: "jsonl"}, Unsupported, "format"},
		{"date words", ArticleInput{Body: "x", PublishedAt: "yesterday"}, Invalid, "published_at"},
		{"date order", ArticleInput{Body: "x", PublishedAt: "30/07/2017"}, Invalid, "published_at"},
		{"impossible date", ArticleInput{Body: "x", PublishedAt: "2017-02-30"}, Invalid, "published_at"},
		{"time without zone", ArticleInput{Body: "x", PublishedAt: "2017-07-30T12:00:00"}, Invalid, "published_at"},
		{"ftp url", ArticleInput{Body: "x", URL: "ftp://example.com/a"}, Invalid, "url"},
		{"url without scheme", ArticleInput{Body: "x", URL: "example.com/a"}, Invalid, "url"},
		{"long title", ArticleInput{Body: "x", Title: strings.Repeat("t", MaxTitleRunes+1)}, Invalid, "title"},
		{"title invalid utf-8", ArticleInput{Body: "x", Title: "caf\xe9"}, Invalid, "title"},
		{"outlet nul", ArticleInput{Body: "x", Outlet: "a\x00"}, Invalid, "outlet"},
		{"long byline", ArticleInput{Body: "x", Byline: strings.Repeat("b", MaxFieldRunes+1)}, Invalid, "byline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.in.Validate()
			wantError(t, err, tt.kind, tt.field)
		})
	}
	t.Run("all fields reported", func(t *testing.T) {
		_, err := ArticleInput{Format: "docx", URL: "mailto:x@example.com", PublishedAt: "soon"}.Validate()
		var got []string
		for _, e := range FieldErrors(err) {
			got = append(got, e.Field)
		}
		if want := "format url published_at"; strings.Join(got, " ") != want {
			t.Errorf("fields = %q, want %q", got, want)
		}
	})
}

func TestPrepare(t *testing.T) {
	t.Run("title given", func(t *testing.T) {
		art, err := Prepare(ArticleInput{Title: "  Given  title ", Body: "Detected\n\nBody.", URL: "https://example.com/a#x"}, Limits{})
		if err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		if art.Title != "Given title" || art.Body != "Detected\n\nBody." || art.URL != "https://example.com/a" || art.Format != FormatText {
			t.Errorf("Prepare = %+v, want the given title, the body as given, the URL normalised", art)
		}
	})
	t.Run("title detected", func(t *testing.T) {
		art, err := Prepare(ArticleInput{Body: "Detected\n\nBody."}, Limits{})
		if err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		if art.Title != "Detected" {
			t.Errorf("Title = %q, want %q", art.Title, "Detected")
		}
	})
	t.Run("title from the first line", func(t *testing.T) {
		body := strings.Repeat("word ", 50) + "end.\nMore."
		art, err := Prepare(ArticleInput{Body: body}, Limits{})
		if err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		if !strings.HasPrefix(art.Title, "word word") || !strings.HasSuffix(art.Title, "…") || len([]rune(art.Title)) > fallbackTitleRunes+1 {
			t.Errorf("Title = %q, want the first words of the body and an ellipsis", art.Title)
		}
	})
	t.Run("metadata from the page", func(t *testing.T) {
		art, err := Prepare(ArticleInput{Body: newsPage, Format: "html", Outlet: "Given outlet"}, Limits{})
		if err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		if art.Outlet != "Given outlet" || art.Byline != "Lois Lane" || art.PublishedAt == nil || art.Title != "Russia expels 755 US diplomats" {
			t.Errorf("Prepare = %+v, want the given outlet and the page's byline, date and title", art)
		}
	})
	t.Run("given date wins", func(t *testing.T) {
		art, err := Prepare(ArticleInput{Body: newsPage, Format: "html", PublishedAt: "2020-01-02"}, Limits{})
		if err != nil {
			t.Fatalf("Prepare: %v", err)
		}
		if want := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC); art.PublishedAt == nil || !art.PublishedAt.Equal(want) {
			t.Errorf("PublishedAt = %v, want %v", art.PublishedAt, want)
		}
	})
	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			name  string
			in    ArticleInput
			kind  ErrorKind
			field string
		}{
			{"url not fetched", ArticleInput{URL: "https://example.com/"}, Invalid, "body"},
			{"bad date", ArticleInput{Body: "x", PublishedAt: "July"}, Invalid, "published_at"},
			{"invalid utf-8 body", ArticleInput{Body: "\xff"}, Invalid, "body"},
			{"too large", ArticleInput{Body: "123456"}, TooLarge, "body"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := Prepare(tt.in, Limits{MaxBytes: 5})
				wantError(t, err, tt.kind, tt.field)
			})
		}
	})
}

func TestFieldErrors(t *testing.T) {
	a := newError(Invalid, "url", "bad")
	b := newError(Invalid, "title", "long")
	err := errors.Join(a, errors.New("other"), b)
	got := FieldErrors(err)
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Errorf("FieldErrors = %v, want [%v %v]", got, a, b)
	}
	if got := FieldErrors(nil); got != nil {
		t.Errorf("FieldErrors(nil) = %v, want nil", got)
	}
}
