package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// csvHeader names the CSV columns, one row per sentence.
var csvHeader = []string{
	"article_id", "number", "paragraph", "start", "end", "text", "quote",
	"label", "accepted_suggestion", "speaker", "speaker_kind", "cue", "medium", "attribution_carried_over",
	"status", "exclude_reason", "verdict", "claim_reviewed", "note",
	"labeled_by", "labeled_at", "checked_by", "checked_at",
	"citations", "supports", "contradicts", "context", "origin", "sources", "excerpts",
}

// WriteCSV writes one row per sentence (RFC 4180, UTF-8 without a byte
// order mark, CRLF line ends, a header row). Start and end are code point
// offsets; a sentence's sources and excerpts are each one cell with a line
// per citation. Cells that a spreadsheet would run as a formula are
// neutralised with a leading single quote.
func WriteCSV(w io.Writer, r *Report) error {
	p := prepare(r)
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	id := strconv.FormatInt(p.Article.ID, 10)
	for i := range p.Sentences {
		row := csvRow(id, &p.Sentences[i])
		for j, cell := range row {
			row[j] = neutralise(cell)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write CSV row of sentence %d: %w", p.Sentences[i].Number, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV report of article %d: %w", r.Article.ID, err)
	}
	return nil
}

func csvRow(articleID string, s *Sentence) []string {
	var a Attribution
	if s.Attribution != nil {
		a = *s.Attribution
	}
	rel := map[string]int{}
	sources := make([]string, len(s.Citations))
	excerpts := make([]string, len(s.Citations))
	for i, c := range s.Citations {
		rel[string(c.Relation)]++
		sources[i] = string(c.Relation) + ": " + sourceLine(c.Source)
		excerpts[i] = c.Excerpt
		if c.Locator != "" {
			excerpts[i] += " (" + c.Locator + ")"
		}
	}
	return []string{
		articleID, strconv.Itoa(s.Number), strconv.Itoa(s.Paragraph),
		strconv.Itoa(s.Start), strconv.Itoa(s.End), s.Text, s.Quote,
		string(s.Label), strconv.FormatBool(s.AcceptedSuggestion),
		a.Speaker, a.SpeakerKind, a.Cue, a.Medium, boolCell(s.Attribution != nil, a.CarriedOver),
		string(s.Status), s.ExcludeReason, s.Verdict, s.ClaimReviewed, s.Note,
		s.LabeledBy, timeCell(s.LabeledAt), s.CheckedBy, timeCell(s.CheckedAt),
		strconv.Itoa(len(s.Citations)),
		strconv.Itoa(rel["supports"]), strconv.Itoa(rel["contradicts"]),
		strconv.Itoa(rel["context"]), strconv.Itoa(rel["origin"]),
		strings.Join(sources, "\n"), strings.TrimRight(strings.Join(excerpts, "\n"), "\n"),
	}
}

// sourceLine describes a source in one line: title, publisher, URL and
// grading, or that it is withheld and why.
func sourceLine(s Source) string {
	var b strings.Builder
	if s.Withheld {
		b.WriteString("withheld source")
		if s.WithheldReason != "" {
			b.WriteString(" (" + s.WithheldReason + ")")
		}
	} else {
		b.WriteString(firstNonEmpty(s.Title, s.URL, s.Kind, "untitled source"))
		if s.Publisher != "" {
			b.WriteString(", " + s.Publisher)
		}
		if s.URL != "" && s.Title != "" {
			b.WriteString(" <" + s.URL + ">")
		}
	}
	if g := grading(s); g != "" {
		b.WriteString(" [" + g + "]")
	}
	if n := sourceChangeNote(s); n != "" {
		b.WriteString(" (" + n + ")")
	}
	return b.String()
}

// grading writes a source's grade the way intelligence and newsroom
// practice does: reliability letter then credibility digit, "B2".
func grading(s Source) string {
	g := s.Reliability
	if s.Credibility > 0 {
		g += strconv.Itoa(s.Credibility)
	}
	return g
}

func boolCell(present, v bool) string {
	if !present {
		return ""
	}
	return strconv.FormatBool(v)
}

func timeCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// neutralise prefixes a cell that a spreadsheet would take for a formula
// with a single quote, as OWASP recommends against CSV injection —
// including the full-width forms (＝ ＋ － ＠) that spreadsheets in East
// Asian locales read as their ASCII twins.
func neutralise(cell string) string {
	r, _ := utf8.DecodeRuneInString(cell)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return "'" + cell
	}
	return cell
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
