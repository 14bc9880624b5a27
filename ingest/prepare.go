package ingest

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Article is an ArticleInput validated and converted: what the store keeps.
type Article struct {
	Title       string // given, else detected, else the start of the body's first line
	Body        string // see Document.Body
	Format      Format
	URL         string     // normalised, "" when none
	Outlet      string     // given, else from the page's metadata
	Byline      string     // given, else from the page's metadata
	PublishedAt *time.Time // given, else from the page's metadata; nil when unknown
}

// fallbackTitleRunes is the length of a title made from the body.
const fallbackTitleRunes = 120

// Prepare validates a and converts its body: the one path from client input
// to an article, shared by the API, the import form and the CLI. a must
// carry its body: when the client gave only a URL, the caller fetches the
// page first and sets Body and Format (FormatFromMediaType). Errors are
// *Error values (see Validate and Convert).
func Prepare(a ArticleInput, limits Limits) (Article, error) {
	v, err := a.Validate()
	if err != nil {
		return Article{}, err
	}
	if strings.TrimSpace(a.Body) == "" {
		return Article{}, newError(Invalid, "body", "the body is empty (the page at the url must be fetched first)")
	}
	doc, err := Convert(v.Format, []byte(a.Body), limits)
	if err != nil {
		return Article{}, err
	}
	art := Article{
		Title:       firstNonEmpty(collapseSpace(a.Title), doc.Title, fallbackTitle(doc.Body)),
		Body:        doc.Body,
		Format:      doc.Format,
		URL:         v.URL,
		Outlet:      firstNonEmpty(collapseSpace(a.Outlet), doc.Outlet),
		Byline:      firstNonEmpty(collapseSpace(a.Byline), doc.Byline),
		PublishedAt: v.PublishedAt,
	}
	if art.PublishedAt == nil {
		art.PublishedAt = doc.PublishedAt
	}
	return art, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// fallbackTitle is the body's first non-blank line, cut at a word boundary.
func fallbackTitle(body string) string {
	s := strings.TrimPrefix(body, "\ufeff")
	for s != "" {
		var line string
		line, s = cutLine(s)
		line = collapseSpace(line)
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) <= fallbackTitleRunes {
			return line
		}
		cut := string([]rune(line)[:fallbackTitleRunes])
		if i := strings.LastIndexByte(cut, ' '); i > fallbackTitleRunes/2 {
			cut = cut[:i]
		}
		return strings.TrimRight(cut, " ,;:-") + "…"
	}
	return ""
}
