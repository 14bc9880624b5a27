package models

import (
	"context"
	"fmt"
)

// SuggestionCandidate is a sentence of an article's current revision with
// the machine's suggestion for it, as a bulk accept weighs it.
type SuggestionCandidate struct {
	SentenceID int64
	Index      int
	Status     string
	Label      *string
	Version    int
	// Suggestion is the label of the sentence's most confident
	// suggestion (the one accepting takes, see SentenceEdit.Suggestion),
	// nil when it has none; Confidence is its confidence.
	Suggestion *string
	Confidence float64
}

// Open reports whether the sentence is unreviewed and unlabeled: a
// suggestion may be accepted for it without overwriting anyone's work.
func (c *SuggestionCandidate) Open() bool { return c.Status == "unreviewed" && c.Label == nil }

// SuggestionCandidates returns the sentences of an article's current
// revision with their most confident suggestions, in order, in one query.
func (s *Store) SuggestionCandidates(ctx context.Context, articleID int64) ([]SuggestionCandidate, error) {
	var out []SuggestionCandidate
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT s.id AS sentence_id, s.idx AS "index", s.status, s.label, s.version,
		g.label AS suggestion, COALESCE(g.confidence, 0) AS confidence
		FROM sentences s
		JOIN articles a ON a.id = s.article_id AND a.current_revision_id = s.revision_id
		LEFT JOIN suggestions g ON g.id = (SELECT x.id FROM suggestions x WHERE x.sentence_id = s.id ORDER BY x.confidence DESC, x.id LIMIT 1)
		WHERE s.article_id = ?
		ORDER BY s.idx`, articleID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("load the suggestions of article %d: %w", articleID, err)
	}
	return out, nil
}
