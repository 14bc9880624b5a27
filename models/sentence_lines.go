package models

import (
	"context"
	"database/sql"
	"fmt"

	"factdesk/codebook"
)

// SentenceLine is a sentence as the review page's text shows it: its
// place (with its offsets, where the attributions' spans are found), its
// text and the state of its check, without the times the page does not
// need.
type SentenceLine struct {
	ID            int64
	Index         int
	Paragraph     int
	Start, End    int // code point offsets into the revision's body
	Text          string
	Label         string // "" when unlabeled
	Status        codebook.Status
	Verdict       string
	Note          string
	ExcludeReason string
	Version       int
}

// SentenceLines returns a revision's sentences in order, as the review
// page's text shows them. It is the page's hot path — an article can have
// thousands of sentences — so it reads one query's rows without
// reflection.
func (s *Store) SentenceLines(ctx context.Context, revisionID int64) ([]SentenceLine, error) {
	rows, err := s.db.gorm.WithContext(ctx).Raw(`SELECT id, idx, paragraph, start_cp, end_cp, text, label, status, verdict, note, exclude_reason, version
		FROM sentences WHERE revision_id = ? ORDER BY idx`, revisionID).Rows()
	if err != nil {
		return nil, fmt.Errorf("load sentences of revision %d: %w", revisionID, err)
	}
	defer rows.Close()
	var out []SentenceLine
	for rows.Next() {
		var l SentenceLine
		var label sql.NullString
		if err := rows.Scan(&l.ID, &l.Index, &l.Paragraph, &l.Start, &l.End, &l.Text, &label, &l.Status, &l.Verdict, &l.Note, &l.ExcludeReason, &l.Version); err != nil {
			return nil, fmt.Errorf("read sentence of revision %d: %w", revisionID, err)
		}
		l.Label = label.String
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load sentences of revision %d: %w", revisionID, err)
	}
	return out, nil
}

// AttributionOf returns a sentence's attribution; an ENOTFOUND error
// when it has none.
func (s *Store) AttributionOf(ctx context.Context, sentenceID int64) (*Attribution, error) {
	var a Attribution
	if err := s.db.gorm.WithContext(ctx).Where("sentence_id = ?", sentenceID).Take(&a).Error; err != nil {
		return nil, notFound(err, "attribution of sentence %d", sentenceID)
	}
	return &a, nil
}

// SuggestionOf returns the reviewer's suggestion for a sentence; an
// ENOTFOUND error when it made none.
func (s *Store) SuggestionOf(ctx context.Context, sentenceID int64, reviewer string) (*Suggestion, error) {
	var g Suggestion
	if err := s.db.gorm.WithContext(ctx).Where("sentence_id = ? AND reviewer = ?", sentenceID, reviewer).Take(&g).Error; err != nil {
		return nil, notFound(err, "suggestion for sentence %d", sentenceID)
	}
	return &g, nil
}
