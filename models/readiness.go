package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ArticleReadiness is what stands between an article's current revision
// and its submission, as its sentences, attributions and comments are.
// Sentences are listed by their 1-based numbers.
type ArticleReadiness struct {
	Sentences int `json:"sentences"`
	// Open lists the sentences neither labeled nor excluded.
	Open []int `json:"open"`
	// Unattributed lists the allegations and quotes (not excluded) with
	// no speaker and cue.
	Unattributed []int `json:"unattributed"`
	// UnconfirmedAttributions lists the sentences (not excluded) whose
	// attribution is the machine's and nobody has confirmed.
	UnconfirmedAttributions []int `json:"unconfirmed_attributions"`
	// Claims counts the facts and allegations (not excluded), Checked
	// those of them verified, disputed or unverifiable; Unchecked lists
	// the others.
	Claims    int   `json:"claims"`
	Checked   int   `json:"checked"`
	Unchecked []int `json:"unchecked"`
	// OpenThreads counts the article's open threads (Comment.OpenThread).
	OpenThreads int `json:"open_threads"`
}

// Readiness reads what submitting an article needs (see ArticleReadiness)
// in one snapshot of three queries, whatever the article's length.
func (s *Store) Readiness(ctx context.Context, articleID int64) (*ArticleReadiness, error) {
	var out *ArticleReadiness
	err := s.snapshot(ctx, func(db *gorm.DB) error {
		var a Article
		if err := db.Select("id", "current_revision_id").First(&a, articleID).Error; err != nil {
			return notFound(err, "article %d", articleID)
		}
		var err error
		out, err = readiness(db, a.ID, a.CurrentRevisionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Readiness is Store.Readiness inside the transition's transaction, for
// its guard.
func (w *WorkflowState) Readiness() (*ArticleReadiness, error) {
	return readiness(w.tx, w.Article.ID, w.Article.CurrentRevisionID)
}

// readinessRow is one sentence as readiness reads it.
type readinessRow struct {
	Idx         int
	Status      string
	Label       *string
	Attributed  int // a speaker and a cue
	Unconfirmed int // the machine's attribution, unconfirmed
}

// readiness reads an article's readiness in two queries: the sentences of
// the revision with their attributions, and the count of open threads.
func readiness(db *gorm.DB, articleID int64, revisionID *int64) (*ArticleReadiness, error) {
	out := &ArticleReadiness{Open: []int{}, Unattributed: []int{}, UnconfirmedAttributions: []int{}, Unchecked: []int{}}
	if revisionID != nil {
		var rows []readinessRow
		err := db.Raw(`SELECT s.idx, s.status, s.label,
			CASE WHEN a.speaker <> '' AND a.cue <> '' THEN 1 ELSE 0 END AS attributed,
			CASE WHEN a.origin = ? AND a.confirmed_at IS NULL THEN 1 ELSE 0 END AS unconfirmed
			FROM sentences s LEFT JOIN attributions a ON a.sentence_id = s.id
			WHERE s.revision_id = ? ORDER BY s.idx`, AttributionMachine, *revisionID).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("read the sentences of article %d: %w", articleID, err)
		}
		for _, r := range rows {
			out.count(r)
		}
	}
	var n int64
	if err := db.Model(&Comment{}).Where("article_id = ? AND "+openThreadSQL, articleID).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("count the open threads of article %d: %w", articleID, err)
	}
	out.OpenThreads = int(n)
	return out, nil
}

// count adds one sentence to the readiness.
func (r *ArticleReadiness) count(row readinessRow) {
	r.Sentences++
	number := row.Idx + 1
	switch row.Status {
	case "excluded":
		return
	case "unreviewed":
		r.Open = append(r.Open, number)
	}
	if row.Unconfirmed == 1 {
		r.UnconfirmedAttributions = append(r.UnconfirmedAttributions, number)
	}
	if row.Label == nil {
		return
	}
	switch *row.Label {
	case "allegation", "quote":
		if row.Attributed == 0 {
			r.Unattributed = append(r.Unattributed, number)
		}
	}
	switch *row.Label {
	case "fact", "allegation":
		r.Claims++
		switch row.Status {
		case "verified", "disputed", "unverifiable":
			r.Checked++
		default:
			r.Unchecked = append(r.Unchecked, number)
		}
	}
}
