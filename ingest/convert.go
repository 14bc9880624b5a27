// Package ingest turns what a user imports into an article: a title and a
// plain-text body ready for the segmenter, from plain text, Markdown or HTML,
// one at a time or in bulk from JSON Lines. It validates the input fields,
// enforces the size limits, and marks the sentences a reviewer should not be
// asked to check (Exclusions). It knows nothing of HTTP or storage; its
// errors carry a kind (see ErrorKind) for the caller to map.
package ingest

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTitleRunes is the longest title, in characters, that is detected from
// a body or accepted in ArticleInput.
const MaxTitleRunes = 500

// maxDetectedTitleRunes bounds a first line taken for a title: a longer one
// is a paragraph, not a headline.
const maxDetectedTitleRunes = 300

// Document is one article converted to plain text.
type Document struct {
	Format Format
	// Title is the title found in the input ("" when none): the first line
	// of a text followed by a blank line, the first heading of Markdown,
	// the page title of HTML.
	Title string
	// Body is the text to segment and store. For FormatText it is the
	// input, byte for byte, title line included; for Markdown and HTML it
	// is the rendered text, paragraphs separated by blank lines, the title
	// as its first paragraph.
	Body string
	// Byline, Outlet and PublishedAt come from an HTML page's metadata when
	// it has them.
	Byline      string
	Outlet      string
	PublishedAt *time.Time
}

// Convert turns raw input of the given format into a Document. The input
// must be UTF-8 without NUL bytes (invalid input is an error, never
// repaired) and within limits; the body must hold some text. FormatJSONL is
// refused: a JSONL file holds many articles, read with ReadJSONL.
func Convert(format Format, raw []byte, limits Limits) (Document, error) {
	limits = limits.withDefaults()
	maxRaw := limits.MaxBytes
	switch format {
	case FormatText, FormatMarkdown:
	case FormatHTML:
		maxRaw = limits.MaxHTMLBytes
	case FormatJSONL:
		return Document{}, newError(Unsupported, "format", "jsonl holds many articles; import the file in bulk")
	default:
		return Document{}, newError(Unsupported, "format", "unknown format %q (want text, markdown or html)", string(format))
	}
	if len(raw) > maxRaw {
		return Document{}, newError(TooLarge, "body", "%d bytes, more than the limit of %d", len(raw), maxRaw)
	}
	if err := checkText("body", raw); err != nil {
		return Document{}, err
	}
	var doc Document
	switch format {
	case FormatText:
		doc = Document{Title: textTitle(string(raw)), Body: string(raw)}
	case FormatMarkdown:
		doc = convertMarkdown(raw)
	case FormatHTML:
		doc = convertHTML(raw)
	}
	doc.Format = format
	if strings.TrimSpace(doc.Body) == "" {
		if format == FormatHTML && len(bytes.TrimSpace(raw)) > 0 {
			return Document{}, newError(Invalid, "body", "no article text found in the page")
		}
		return Document{}, newError(Invalid, "body", "the body is empty")
	}
	if len(doc.Body) > limits.MaxBytes {
		return Document{}, newError(TooLarge, "body", "the extracted text has %d bytes, more than the limit of %d", len(doc.Body), limits.MaxBytes)
	}
	return doc, nil
}

// checkText refuses invalid UTF-8 and NUL bytes (which PostgreSQL cannot
// store in text), saying where the first one is.
func checkText(field string, b []byte) error {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return newError(Invalid, field, "not valid UTF-8: byte 0x%02x at offset %d", b[i], i)
		case r == 0:
			return newError(Invalid, field, "contains a NUL byte at offset %d", i)
		}
		i += size
	}
	return nil
}

// textTitle returns the first non-blank line of s, white space collapsed,
// when a blank line follows it: the convention of plain-text articles with a
// headline. A line too long to be a headline is no title.
func textTitle(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	var first string
	found := false
	for len(s) > 0 {
		line, rest := cutLine(s)
		s = rest
		blank := strings.TrimSpace(line) == ""
		switch {
		case !found && blank:
			continue
		case !found:
			first, found = line, true
			if s == "" {
				return "" // a single line is a body, not a title
			}
		default:
			if !blank {
				return ""
			}
			title := collapseSpace(first)
			if utf8.RuneCountInString(title) > maxDetectedTitleRunes {
				return ""
			}
			return title
		}
	}
	return ""
}

// cutLine splits s after its first line break (\n, \r\n or a lone \r) and
// returns the line without its break.
func cutLine(s string) (line, rest string) {
	i := strings.IndexAny(s, "\r\n")
	if i < 0 {
		return s, ""
	}
	if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
		return s[:i], s[i+2:]
	}
	return s[:i], s[i+1:]
}
