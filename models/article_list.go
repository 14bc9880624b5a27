package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// filtered is the list's query with its filters, before order and cursor.
func (s *Store) filtered(db *gorm.DB, f ArticleFilter) *gorm.DB {
	q := db.Model(&Article{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		q = q.Where("lower(title) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(t))+"%")
	}
	if t := strings.TrimSpace(f.Outlet); t != "" {
		q = q.Where("lower(outlet) = ?", strings.ToLower(t))
	}
	switch {
	case f.Unassigned:
		q = q.Where("NOT EXISTS (SELECT 1 FROM assignments a WHERE a.article_id = articles.id)")
	case f.Assignee != 0:
		q = q.Where("EXISTS (SELECT 1 FROM assignments a WHERE a.article_id = articles.id AND a.user_id = ?)", f.Assignee)
	}
	if f.Due != "" {
		now := s.now()
		q = q.Where("due_at IS NOT NULL AND status <> ?", ArticleApproved)
		switch f.Due {
		case DueOverdue:
			q = q.Where("due_at < ?", now)
		case DueToday:
			y, m, d := now.Date()
			q = q.Where("due_at < ?", time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC))
		case DueWeek:
			q = q.Where("due_at < ?", now.Add(7*24*time.Hour))
		}
	}
	const unreviewed = "EXISTS (SELECT 1 FROM sentences s WHERE s.revision_id = articles.current_revision_id AND s.status = 'unreviewed')"
	const reviewed = "EXISTS (SELECT 1 FROM sentences s WHERE s.revision_id = articles.current_revision_id AND s.status <> 'unreviewed')"
	switch f.Progress {
	case ProgressUnstarted:
		q = q.Where("NOT " + reviewed)
	case ProgressStarted:
		q = q.Where(unreviewed + " AND " + reviewed)
	case ProgressLabeled:
		q = q.Where("NOT " + unreviewed)
	}
	return q
}

// articlesPage reads one page of the list (one article more than the page
// holds, to know whether another follows), in the filter's order, after
// the cursor.
func (s *Store) articlesPage(db *gorm.DB, f ArticleFilter) ([]Article, error) {
	var as []Article
	q := s.filtered(db, f)
	switch f.Sort {
	case SortDue:
		return s.articlesByDue(db, f)
	case SortOldest:
		if f.Before > 0 {
			q = q.Where("id > ?", f.Before)
		}
		q = q.Order("id")
	default:
		if f.Before > 0 {
			q = q.Where("id < ?", f.Before)
		}
		q = q.Order("id DESC")
	}
	if err := q.Limit(f.Limit + 1).Find(&as).Error; err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return as, nil
}

// articlesByDue reads a page soonest due first and the undated articles
// after them, oldest first: the dated part by the (due_at, id) index from
// the cursor article's due time, read again, then the undated part by id.
// Two index range scans instead of sorting the whole list on every page.
func (s *Store) articlesByDue(db *gorm.DB, f ArticleFilter) ([]Article, error) {
	var last *Article
	if f.Before > 0 {
		last = &Article{}
		if err := db.Select("id", "due_at").First(last, f.Before).Error; err != nil {
			return nil, notFound(err, "the cursor's article %d", f.Before)
		}
	}
	var out []Article
	if last == nil || last.DueAt != nil {
		q := s.filtered(db, f).Where("due_at IS NOT NULL")
		if last != nil {
			q = q.Where("(due_at, id) > (?, ?)", *last.DueAt, last.ID)
		}
		if err := q.Order("due_at, id").Limit(f.Limit + 1).Find(&out).Error; err != nil {
			return nil, fmt.Errorf("list articles by due time: %w", err)
		}
	}
	if len(out) > f.Limit {
		return out, nil
	}
	q := s.filtered(db, f).Where("due_at IS NULL")
	if last != nil && last.DueAt == nil {
		q = q.Where("id > ?", last.ID)
	}
	var undated []Article
	if err := q.Order("id").Limit(f.Limit + 1 - len(out)).Find(&undated).Error; err != nil {
		return nil, fmt.Errorf("list undated articles: %w", err)
	}
	return append(out, undated...), nil
}
