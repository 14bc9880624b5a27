package models

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"factdesk/codebook"
)

// Suggestion is a machine reviewer's label for a sentence, with its
// confidence and reasons. Suggestions are stored apart from the labels
// people give: a sentence has at most one per reviewer, and a re-run
// replaces them.
type Suggestion struct {
	ID              int64          `gorm:"primaryKey" json:"id"`
	SentenceID      int64          `json:"sentence_id"`
	ArticleID       int64          `json:"-"`
	Reviewer        string         `json:"reviewer"`
	ReviewerVersion string         `json:"reviewer_version"`
	Label           codebook.Label `json:"label"`
	Confidence      float64        `json:"confidence"`
	Reasons         []string       `gorm:"serializer:json" json:"reasons"`
	// Attribution is the JSON of the attribution the reviewer relied on.
	Attribution string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// check refuses a suggestion no reviewer should make.
func (g *Suggestion) check() error {
	if !g.Label.Valid() {
		return fmt.Errorf("suggestion for sentence %d: unknown label %q", g.SentenceID, g.Label)
	}
	if math.IsNaN(g.Confidence) || g.Confidence < 0 || g.Confidence > 1 {
		return fmt.Errorf("suggestion for sentence %d: confidence %v outside [0,1]", g.SentenceID, g.Confidence)
	}
	if g.Reviewer == "" {
		return fmt.Errorf("suggestion for sentence %d: no reviewer", g.SentenceID)
	}
	return nil
}

// Suggestions returns the reviewer's suggestions for an article's
// sentences (of any revision), in sentence order.
func (s *Store) Suggestions(ctx context.Context, articleID int64, reviewer string) ([]Suggestion, error) {
	return loadSuggestions(s.db.gorm.WithContext(ctx), fmt.Sprintf("suggestions of article %d", articleID),
		`SELECT `+suggestionColumns+` FROM suggestions WHERE article_id = ? AND reviewer = ? ORDER BY sentence_id`, articleID, reviewer)
}

// SuggestionRun is a reviewer's fresh set of suggestions for an article.
type SuggestionRun struct {
	Reviewer        string
	ReviewerVersion string
	// Suggestions name their sentences; Reviewer, version and article are
	// filled in from the run.
	Suggestions []Suggestion
}

// ReplaceSuggestions replaces the reviewer's suggestions for an article
// with a new run, and records the run as an audit event, in one
// transaction. It returns how many suggestions it replaced.
func (s *Store) ReplaceSuggestions(ctx context.Context, actor Actor, articleID int64, run SuggestionRun) (replaced int64, err error) {
	err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("article_id = ? AND reviewer = ?", articleID, run.Reviewer).Delete(&Suggestion{})
		if res.Error != nil {
			return fmt.Errorf("remove suggestions of article %d: %w", articleID, res.Error)
		}
		replaced = res.RowsAffected
		rows := make([]Suggestion, len(run.Suggestions))
		labels := map[codebook.Label]int{}
		now := tx.NowFunc()
		for i, g := range run.Suggestions {
			g.ID, g.ArticleID, g.Reviewer, g.ReviewerVersion, g.CreatedAt = 0, articleID, run.Reviewer, run.ReviewerVersion, now
			if err := g.check(); err != nil {
				return err
			}
			rows[i] = g
			labels[g.Label]++
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, rowsPerInsert(tx, 10)).Error; err != nil {
				return fmt.Errorf("insert %d suggestions: %w", len(rows), err)
			}
		}
		return s.appendEvent(tx, Event{ArticleID: articleID, Actor: actor, Action: "suggestions.rerun", Entity: "article", EntityID: articleID,
			Before: map[string]any{"suggestions": replaced},
			After:  map[string]any{"reviewer": run.Reviewer, "version": run.ReviewerVersion, "suggestions": len(rows), "labels": labels}})
	})
	if err != nil {
		return 0, err
	}
	return replaced, nil
}

// insertSuggestions writes the suggestions for freshly stored sentences:
// gs[i] belongs to ss[i], nil when it has none.
func insertSuggestions(tx *gorm.DB, ss []Sentence, gs []*Suggestion) error {
	rows := make([]Suggestion, 0, len(gs))
	now := tx.NowFunc()
	for i, g := range gs {
		if g == nil {
			continue
		}
		r := *g
		r.ID, r.SentenceID, r.ArticleID, r.CreatedAt = 0, ss[i].ID, ss[i].ArticleID, now
		if err := r.check(); err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(rows, rowsPerInsert(tx, 10)).Error; err != nil {
		return fmt.Errorf("insert %d suggestions: %w", len(rows), err)
	}
	return nil
}

// insertMachineReading stores the machine's attributions and suggestions
// of a new article's sentences, which must have their ids.
func (s *Store) insertMachineReading(tx *gorm.DB, na NewArticle) error {
	if len(na.Attributions) == 0 && len(na.Suggestions) == 0 {
		return nil
	}
	for _, n := range []int{len(na.Attributions), len(na.Suggestions)} {
		if n != 0 && n != len(na.Sentences) {
			return fmt.Errorf("store machine reading: %d entries for %d sentences", n, len(na.Sentences))
		}
	}
	for i := range na.Sentences {
		if na.Sentences[i].ID == 0 {
			return fmt.Errorf("store machine reading: sentence %d has no id after insert", i)
		}
	}
	if err := insertAttributions(tx, na.Sentences, na.Attributions); err != nil {
		return err
	}
	return insertSuggestions(tx, na.Sentences, na.Suggestions)
}
