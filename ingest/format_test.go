package ingest

import "testing"

func TestFormatFromFilename(t *testing.T) {
	tests := []struct {
		name string
		want Format
		ok   bool
	}{
		{"article.txt", FormatText, true},
		{"ARTICLE.TXT", FormatText, true},
		{"notes.md", FormatMarkdown, true},
		{"notes.markdown", FormatMarkdown, true},
		{"page.html", FormatHTML, true},
		{"page.htm", FormatHTML, true},
		{"dir.d/bulk.jsonl", FormatJSONL, true},
		{"bulk.ndjson", FormatJSONL, true},
		{"report.pdf", "", false},
		{"noextension", "", false},
		{"archive.txt.gz", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FormatFromFilename(tt.name)
			if got != tt.want || ok != tt.ok {
				t.Errorf("FormatFromFilename(%q) = %q, %v, want %q, %v", tt.name, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		ok   bool
	}{
		{"text", FormatText, true}, {"TXT", FormatText, true}, {"markdown", FormatMarkdown, true},
		{"md", FormatMarkdown, true}, {" html ", FormatHTML, true}, {"jsonl", FormatJSONL, true},
		{"pdf", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseFormat(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseFormat(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
			if ok && !got.Valid() {
				t.Errorf("%q.Valid() = false, want true", got)
			}
		})
	}
}

func TestFormatFromMediaType(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		ok   bool
	}{
		{"text/html", FormatHTML, true}, {"application/xhtml+xml", FormatHTML, true},
		{"text/plain", FormatText, true}, {"text/markdown", FormatMarkdown, true},
		{"application/json", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := FormatFromMediaType(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("FormatFromMediaType(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
