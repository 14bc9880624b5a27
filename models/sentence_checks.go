package models

import (
	"context"
	"database/sql"
	"fmt"

	"factdesk/codebook"
)

// The attributions and suggestions of an article's sentences, as the
// article's API answer shows them next to every sentence: thousands of
// rows for a long article, so they are read in one query each and scanned
// without GORM's reflection.

// attributionColumns are the columns of an attribution as loadAttributions
// reads them; those often empty are read as NULL then (see selectList).
var attributionColumns = newSelectList(`id, sentence_id, article_id, speaker, NULLIF(cue, ''), NULLIF(medium, ''), carried_over,
	from_index, origin, confirmed_by, confirmed_at, updated_by, updated_at, version, NULLIF(spans, '[]'), confidence`,
	"speaker", "origin", "confirmed_at", "updated_at")

// ShownAttributions returns the attributions of an article's sentences
// (of any revision), in no particular order (the caller finds each
// sentence's own): Attributions without its sort, which on SQLite costs a
// sixth of the read. n is the number expected, to size the answer.
func (s *Store) ShownAttributions(ctx context.Context, articleID int64, n int) ([]Attribution, error) {
	return s.loadAttributions(ctx, n, fmt.Sprintf("attributions of article %d", articleID),
		`SELECT `+attributionColumns.of(s.db.dialect)+` FROM attributions WHERE article_id = ?`, articleID)
}

// loadAttributions reads the attributions of q (which selects
// attributionColumns), n expected.
func (s *Store) loadAttributions(ctx context.Context, n int, what, q string, args ...any) ([]Attribution, error) {
	out := make([]Attribution, 0, n)
	var (
		a           Attribution
		origin      string
		cue, medium sql.NullString
		from        sql.NullInt64
		version     int64 // database/sql converts to int through strings
	)
	d := s.db.dialect
	dest := []any{&a.ID, &a.SentenceID, &a.ArticleID, &a.Speaker, &cue, &medium, &a.CarriedOver, &from, &origin,
		&a.ConfirmedBy, nullTimeArg(d, &a.ConfirmedAt), &a.UpdatedBy, timeArg(d, &a.UpdatedAt), &version, &a.Spans, &a.Confidence}
	err := s.scanEach(ctx, what, func(r rowScanner) error {
		a = Attribution{} // fresh pointers for the row (see sentenceRow.scan)
		if err := r.Scan(dest...); err != nil {
			return err
		}
		a.Cue, a.Medium, a.Origin, a.Version = cue.String, medium.String, AttributionOrigin(origin), int(version)
		if from.Valid {
			f := int(from.Int64)
			a.From = &f
		}
		out = append(out, a)
		return nil
	}, q, args...)
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

var suggestionViewColumns = newSelectList(`id, sentence_id, reviewer_version, label, confidence, reasons, created_at`,
	"reviewer_version", "label", "reasons", "created_at")

// ShownSuggestions returns the reviewer's suggestions for an article's
// sentences (of any revision), in no particular order (the caller finds
// each sentence's own), as the article's views show them: without the
// attribution each relied on (Attribution is ""). The sentences'
// attributions are read on their own; reading each again inside its
// suggestion would double what the query carries. n is the number
// expected, to size the answer.
func (s *Store) ShownSuggestions(ctx context.Context, articleID int64, reviewer string, n int) ([]Suggestion, error) {
	out := make([]Suggestion, 0, n)
	var (
		g       Suggestion
		label   string
		reasons sql.NullString
	)
	d := s.db.dialect
	dest := []any{&g.ID, &g.SentenceID, &g.ReviewerVersion, &label, &g.Confidence, &reasons, timeArg(d, &g.CreatedAt)}
	err := s.scanEach(ctx, fmt.Sprintf("suggestions of article %d", articleID), func(r rowScanner) error {
		g = Suggestion{ArticleID: articleID, Reviewer: reviewer}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		g.Label, g.CreatedAt = codebook.Label(label), g.CreatedAt.UTC()
		if err := readReasons(&g, reasons); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	}, `SELECT `+suggestionViewColumns.of(d)+` FROM suggestions WHERE article_id = ? AND reviewer = ?`,
		articleID, reviewer)
	if len(out) == 0 {
		out = nil
	}
	return out, err
}
