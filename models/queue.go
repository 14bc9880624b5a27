package models

import (
	"context"
	"fmt"
	"time"
)

// QueueRow is a submitted article as the approval queue shows it.
type QueueRow struct {
	Article     Article   `json:"article"`
	Round       int       `json:"round"`
	SubmittedBy string    `json:"submitted_by"`
	SubmitterID int64     `json:"submitter_id"`
	SubmittedAt time.Time `json:"submitted_at"`
	Sentences   int       `json:"sentences"`
	Labeled     int       `json:"labeled"`
	Excluded    int       `json:"excluded"`
	// Claims counts facts and allegations; Checked those of them with a
	// status beyond labeled (verified, disputed, unverifiable).
	Claims  int `json:"claims"`
	Checked int `json:"checked"`
	// OpenComments counts the open threads (see Comment.OpenThread).
	OpenComments int `json:"open_comments"`
}

// ApprovalQueue lists submitted articles, oldest submission first, with
// their coverage, in a fixed number of queries.
func (s *Store) ApprovalQueue(ctx context.Context, limit int) ([]QueueRow, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	db := s.db.gorm.WithContext(ctx)
	var as []Article
	if err := db.Where("status = ?", ArticleSubmitted).Order("updated_at, id").Limit(limit).Find(&as).Error; err != nil {
		return nil, fmt.Errorf("load submitted articles: %w", err)
	}
	rows := make([]QueueRow, len(as))
	if len(as) == 0 {
		return rows, nil
	}
	ids := make([]int64, len(as))
	revs := make([]int64, 0, len(as))
	byArticle := map[int64]*QueueRow{}
	byRev := map[int64]*QueueRow{}
	for i := range as {
		rows[i].Article = as[i]
		ids[i] = as[i].ID
		byArticle[as[i].ID] = &rows[i]
		if as[i].CurrentRevisionID != nil {
			revs = append(revs, *as[i].CurrentRevisionID)
			byRev[*as[i].CurrentRevisionID] = &rows[i]
		}
	}
	var rounds []ReviewRound
	err := db.Raw(`SELECT r.* FROM review_rounds r WHERE r.article_id IN ? AND r.number =
		(SELECT max(number) FROM review_rounds x WHERE x.article_id = r.article_id)`, ids).Scan(&rounds).Error
	if err != nil {
		return nil, fmt.Errorf("load rounds: %w", err)
	}
	var submitters []int64
	for _, r := range rounds {
		row := byArticle[r.ArticleID]
		row.Round = r.Number
		if r.SubmittedBy != nil {
			row.SubmitterID = *r.SubmittedBy
			submitters = append(submitters, *r.SubmittedBy)
		}
		if r.SubmittedAt != nil {
			row.SubmittedAt = *r.SubmittedAt
		}
	}
	names, err := s.UserNames(ctx, submitters)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].SubmittedBy = names[rows[i].SubmitterID]
	}
	var counts []struct {
		RevisionID int64
		Status     string
		Label      *string
		N          int
	}
	if err := db.Model(&Sentence{}).Select("revision_id, status, label, count(*) AS n").
		Where("revision_id IN ?", revs).Group("revision_id, status, label").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count sentences: %w", err)
	}
	for _, c := range counts {
		row := byRev[c.RevisionID]
		row.Sentences += c.N
		switch c.Status {
		case "excluded":
			row.Excluded += c.N
			continue
		case "unreviewed":
			continue
		}
		row.Labeled += c.N
		if c.Label != nil && (*c.Label == "fact" || *c.Label == "allegation") {
			row.Claims += c.N
			if c.Status != "labeled" {
				row.Checked += c.N
			}
		}
	}
	var open []struct {
		ArticleID int64
		N         int
	}
	if err := db.Model(&Comment{}).Select("article_id, count(*) AS n").
		Where("article_id IN ? AND "+openThreadSQL, ids).Group("article_id").Scan(&open).Error; err != nil {
		return nil, fmt.Errorf("count open comments: %w", err)
	}
	for _, o := range open {
		byArticle[o.ArticleID].OpenComments = o.N
	}
	return rows, nil
}
