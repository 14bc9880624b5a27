package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// RevisionByNumber returns an article's revision by its number.
func (s *Store) RevisionByNumber(ctx context.Context, articleID int64, number int) (*Revision, error) {
	var r Revision
	err := s.db.gorm.WithContext(ctx).Where("article_id = ? AND number = ?", articleID, number).First(&r).Error
	if err != nil {
		return nil, notFound(err, "revision %d of article %d", number, articleID)
	}
	return &r, nil
}

// SentenceTexts returns the sentences of a revision in order with their
// id, index, paragraph and text only: what aligning a new revision with
// it needs.
func (s *Store) SentenceTexts(ctx context.Context, revisionID int64) ([]Sentence, error) {
	var ss []Sentence
	err := s.db.gorm.WithContext(ctx).Select("id, idx, paragraph, text").Where("revision_id = ?", revisionID).Order("idx").Find(&ss).Error
	if err != nil {
		return nil, fmt.Errorf("load the text of revision %d: %w", revisionID, err)
	}
	return ss, nil
}

// RevisionChangeView is a RevisionChange with the sentences' places and
// texts in the two revisions.
type RevisionChangeView struct {
	RevisionChange
	Index     *int   `json:"index"`      // 0-based in the new revision; nil when removed
	Number    int    `json:"number"`     // 1-based, 0 when removed
	OldIndex  *int   `json:"old_index"`  // 0-based in the revision before; nil when new
	OldNumber int    `json:"old_number"` // 1-based, 0 when new
	Text      string `json:"text"`       // the new text; "" when removed
	OldText   string `json:"old_text"`   // the old text; "" when new
}

// RevisionChanges lists what a revision did to the sentences of the one
// before, in one query: the moved, changed and new sentences in the new
// revision's order, then the removed ones in the old revision's order.
func (s *Store) RevisionChanges(ctx context.Context, revisionID int64) ([]RevisionChangeView, error) {
	by, err := s.revisionChanges(ctx, "rc.revision_id = ?", revisionID)
	if err != nil {
		return nil, fmt.Errorf("load changes of revision %d: %w", revisionID, err)
	}
	if by[revisionID] == nil {
		return []RevisionChangeView{}, nil
	}
	return by[revisionID], nil
}

// ArticleRevisionChanges returns the changes of every revision of an
// article by revision id, each list ordered as RevisionChanges orders it:
// one query for the article's whole corrections log.
func (s *Store) ArticleRevisionChanges(ctx context.Context, articleID int64) (map[int64][]RevisionChangeView, error) {
	by, err := s.revisionChanges(ctx, "rc.article_id = ?", articleID)
	if err != nil {
		return nil, fmt.Errorf("load revision changes of article %d: %w", articleID, err)
	}
	return by, nil
}

func (s *Store) revisionChanges(ctx context.Context, where string, arg int64) (map[int64][]RevisionChangeView, error) {
	var rows []struct {
		RevisionChange
		NewIdx  *int
		NewText *string
		OldIdx  *int
		OldText *string
	}
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT rc.*, ns.idx AS new_idx, ns.text AS new_text, os.idx AS old_idx, os.text AS old_text
		FROM revision_changes rc
		LEFT JOIN sentences ns ON ns.id = rc.sentence_id
		LEFT JOIN sentences os ON os.id = rc.old_sentence_id
		WHERE `+where, arg).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[int64][]RevisionChangeView{}
	for _, r := range rows {
		v := RevisionChangeView{RevisionChange: r.RevisionChange, Index: r.NewIdx, OldIndex: r.OldIdx}
		if r.NewIdx != nil {
			v.Number = *r.NewIdx + 1
		}
		if r.OldIdx != nil {
			v.OldNumber = *r.OldIdx + 1
		}
		if r.NewText != nil {
			v.Text = *r.NewText
		}
		if r.OldText != nil {
			v.OldText = *r.OldText
		}
		out[v.RevisionID] = append(out[v.RevisionID], v)
	}
	for _, vs := range out {
		slices.SortFunc(vs, func(a, b RevisionChangeView) int {
			ar, br := a.Index == nil, b.Index == nil
			switch {
			case ar != br:
				if ar {
					return 1
				}
				return -1
			case ar:
				return cmp.Compare(a.OldNumber, b.OldNumber)
			}
			return cmp.Compare(a.Number, b.Number)
		})
	}
	return out, nil
}

// RevisionSummary is a revision as the list of an article's revisions
// shows it: what it did to the revision before (nil for the first).
type RevisionSummary struct {
	Revision
	Counts *RevisionCounts `json:"changes"`
}

// RevisionSummaries lists an article's revisions, oldest first, each with
// the counts of what it changed: two queries.
func (s *Store) RevisionSummaries(ctx context.Context, articleID int64) ([]RevisionSummary, error) {
	revs, err := s.Revisions(ctx, articleID)
	if err != nil {
		return nil, err
	}
	var counts []struct {
		RevisionID int64
		Kind       string
		N          int
	}
	err = s.db.gorm.WithContext(ctx).Model(&RevisionChange{}).Select("revision_id, kind, count(*) AS n").
		Where("article_id = ?", articleID).Group("revision_id, kind").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count changes of article %d: %w", articleID, err)
	}
	by := map[int64]*RevisionCounts{}
	for _, c := range counts {
		rc := by[c.RevisionID]
		if rc == nil {
			rc = &RevisionCounts{}
			by[c.RevisionID] = rc
		}
		switch c.Kind {
		case ChangeMoved:
			rc.Moved = c.N
		case ChangeChanged:
			rc.Changed = c.N
		case ChangeNew:
			rc.New = c.N
		case ChangeRemoved:
			rc.Removed = c.N
		}
	}
	out := make([]RevisionSummary, len(revs))
	for i, r := range revs {
		out[i].Revision = r
		if r.Number == 1 {
			continue
		}
		rc := by[r.ID]
		if rc == nil {
			rc = &RevisionCounts{}
		}
		rc.Unchanged = r.SentenceCount - rc.Moved - rc.Changed - rc.New
		out[i].Counts = rc
	}
	return out, nil
}
