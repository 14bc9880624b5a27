package ingest

import (
	"errors"
	"strings"
	"testing"
)

// wantError checks that err is an *Error of the kind and field wanted.
func wantError(t *testing.T, err error, kind ErrorKind, field string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %s error on %q", kind, field)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want an *Error", err, err)
	}
	if e.Kind != kind || e.Field != field {
		t.Fatalf("error = %v (kind %q, field %q), want kind %q, field %q", e, e.Kind, e.Field, kind, field)
	}
	if e.Message == "" {
		t.Errorf("error %v has no message", e)
	}
	return e
}

func TestConvertText(t *testing.T) {
	tests := []struct {
		name, in, wantTitle string
	}{
		{"title and blank line", "Headline here\n\nFirst paragraph. Second sentence.\n", "Headline here"},
		{"leading blank lines", "\n\n755 US diplomats ousted\n\nRussian President…", "755 US diplomats ousted"},
		{"crlf", "Headline\r\n\r\nBody text.\r\n", "Headline"},
		{"old mac line ends", "Headline\r\rBody text.\r", "Headline"},
		{"white space line", "Headline  \n \t \nBody text.", "Headline"},
		{"bom", "\ufeffHeadline\n\nBody.", "Headline"},
		{"inner white space collapsed", "A  wide\theadline\n\nBody.", "A wide headline"},
		{"no blank line", "First line\nsecond line of the same paragraph.\n\nMore.", ""},
		{"single line", "Just one sentence.", ""},
		{"line then end", "Headline\n", ""},
		{"too long for a title", strings.Repeat("word ", 100) + "\n\nBody.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Convert(FormatText, []byte(tt.in), Limits{})
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if doc.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", doc.Title, tt.wantTitle)
			}
			if doc.Body != tt.in {
				t.Errorf("Body = %q, want the input byte for byte: %q", doc.Body, tt.in)
			}
			if doc.Format != FormatText {
				t.Errorf("Format = %q, want %q", doc.Format, FormatText)
			}
		})
	}
}

func TestConvertErrors(t *testing.T) {
	small := Limits{MaxBytes: 100, MaxHTMLBytes: 300}
	tests := []struct {
		name   string
		format Format
		in     string
		limits Limits
		kind   ErrorKind
		field  string
	}{
		{"empty text", FormatText, "", Limits{}, Invalid, "body"},
		{"blank text", FormatText, " \n\t\r\n ", Limits{}, Invalid, "body"},
		{"empty markdown", FormatMarkdown, "", Limits{}, Invalid, "body"},
		{"markdown without text", FormatMarkdown, "---\n\n![](pic.png)\n", Limits{}, Invalid, "body"},
		{"empty html", FormatHTML, "", Limits{}, Invalid, "body"},
		{"html without text", FormatHTML, "<html><head><script>x()</script></head><body><nav>Home</nav></body></html>", Limits{}, Invalid, "body"},
		{"invalid utf-8", FormatText, "caf\xe9 au lait", Limits{}, Invalid, "body"},
		{"truncated utf-8", FormatMarkdown, "caf\xc3", Limits{}, Invalid, "body"},
		{"surrogate in utf-8", FormatText, "a\xed\xa0\x80b", Limits{}, Invalid, "body"},
		{"nul byte", FormatText, "a\x00b", Limits{}, Invalid, "body"},
		{"invalid utf-8 html", FormatHTML, "<p>caf\xe9</p>", Limits{}, Invalid, "body"},
		{"text over limit", FormatText, strings.Repeat("a", 101), small, TooLarge, "body"},
		{"markdown over limit", FormatMarkdown, strings.Repeat("a", 101), small, TooLarge, "body"},
		{"html over limit", FormatHTML, "<p>" + strings.Repeat("a", 300) + "</p>", small, TooLarge, "body"},
		{"html text over limit", FormatHTML, "<p>" + strings.Repeat("a ", 60) + "</p>", small, TooLarge, "body"},
		{"unknown format", Format("pdf"), "x", Limits{}, Unsupported, "format"},
		{"empty format", Format(""), "x", Limits{}, Unsupported, "format"},
		{"jsonl", FormatJSONL, `{"body":"x"}`, Limits{}, Unsupported, "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Convert(tt.format, []byte(tt.in), tt.limits)
			if err == nil {
				t.Fatalf("Convert = %+v, want an error", doc)
			}
			wantError(t, err, tt.kind, tt.field)
		})
	}
}

func TestConvertLimits(t *testing.T) {
	t.Run("default size", func(t *testing.T) {
		at := strings.Repeat("a", DefaultMaxBytes)
		if _, err := Convert(FormatText, []byte(at), Limits{}); err != nil {
			t.Errorf("Convert of %d bytes: %v, want accepted", len(at), err)
		}
		_, err := Convert(FormatText, []byte(at+"a"), Limits{})
		wantError(t, err, TooLarge, "body")
	})
	t.Run("configured size", func(t *testing.T) {
		if _, err := Convert(FormatText, []byte("12345"), Limits{MaxBytes: 5}); err != nil {
			t.Errorf("Convert at the limit: %v, want accepted", err)
		}
		_, err := Convert(FormatText, []byte("123456"), Limits{MaxBytes: 5})
		wantError(t, err, TooLarge, "body")
	})
	t.Run("sentences", func(t *testing.T) {
		tests := []struct {
			limits Limits
			n      int
			ok     bool
		}{
			{Limits{}, DefaultMaxSentences, true},
			{Limits{}, DefaultMaxSentences + 1, false},
			{Limits{MaxSentences: 3}, 3, true},
			{Limits{MaxSentences: 3}, 4, false},
		}
		for _, tt := range tests {
			err := tt.limits.CheckSentences(tt.n)
			if tt.ok && err != nil {
				t.Errorf("CheckSentences(%d) with %+v = %v, want nil", tt.n, tt.limits, err)
			}
			if !tt.ok {
				wantError(t, err, TooLarge, "body")
			}
		}
	})
	t.Run("effective", func(t *testing.T) {
		got := Limits{MaxBytes: 10}.Effective()
		if got.MaxBytes != 10 || got.MaxHTMLBytes != DefaultMaxHTMLBytes || got.MaxSentences != DefaultMaxSentences || got.MaxLineBytes < got.MaxHTMLBytes {
			t.Errorf("Effective() = %+v, want MaxBytes kept and defaults for the rest", got)
		}
	})
}

func TestErrorMessage(t *testing.T) {
	_, err := Convert(FormatText, []byte("ab\xffcd"), Limits{})
	e := wantError(t, err, Invalid, "body")
	if got, want := e.Error(), "body: not valid UTF-8: byte 0xff at offset 2"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
