package ingest

import (
	"path/filepath"
	"strings"
)

// Format is the form an imported article comes in.
type Format string

// The formats factdesk imports.
const (
	FormatText     Format = "text"     // plain text, stored as imported
	FormatMarkdown Format = "markdown" // rendered to plain text
	FormatHTML     Format = "html"     // main text extracted from the page
	FormatJSONL    Format = "jsonl"    // many articles, one JSON object per line (see ReadJSONL)
)

// Valid reports whether f is one of the formats above.
func (f Format) Valid() bool {
	switch f {
	case FormatText, FormatMarkdown, FormatHTML, FormatJSONL:
		return true
	}
	return false
}

// ParseFormat reads a format name as a user gives it: the names above in any
// case, and the usual aliases ("txt", "plain", "md", "htm", "ndjson").
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "text", "txt", "plain":
		return FormatText, true
	case "markdown", "md":
		return FormatMarkdown, true
	case "html", "htm", "xhtml":
		return FormatHTML, true
	case "jsonl", "ndjson":
		return FormatJSONL, true
	}
	return "", false
}

// FormatFromFilename tells the format from a file name's extension: .txt,
// .md and .markdown, .html, .htm and .xhtml, .jsonl and .ndjson (in any case).
func FormatFromFilename(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return FormatText, true
	case ".md", ".markdown":
		return FormatMarkdown, true
	case ".html", ".htm", ".xhtml":
		return FormatHTML, true
	case ".jsonl", ".ndjson":
		return FormatJSONL, true
	}
	return "", false
}

// FormatFromMediaType tells the format of a fetched page from its media type
// (without parameters, as fetch.Page.MediaType gives it).
func FormatFromMediaType(mediaType string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(mediaType)) {
	case "text/html", "application/xhtml+xml":
		return FormatHTML, true
	case "text/plain":
		return FormatText, true
	case "text/markdown", "text/x-markdown":
		return FormatMarkdown, true
	}
	return "", false
}
