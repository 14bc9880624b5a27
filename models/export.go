package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RecordExport writes the audit event of an export of an article's report.
func (s *Store) RecordExport(ctx context.Context, actor Actor, articleID int64, format string) error {
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.appendEvent(tx, Event{ArticleID: articleID, Actor: actor, Action: "report.export", Entity: "article", EntityID: articleID,
			After: map[string]any{"format": format}})
	})
}

// ArticleIDsForExport lists the ids of the articles with the given status
// (any when empty) whose last change falls in [since, until), oldest first,
// for bulk exports.
func (s *Store) ArticleIDsForExport(ctx context.Context, status ArticleStatus, since, until *time.Time) ([]int64, error) {
	q := s.db.gorm.WithContext(ctx).Model(&Article{})
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if since != nil {
		q = q.Where("updated_at >= ?", *since)
	}
	if until != nil {
		q = q.Where("updated_at < ?", *until)
	}
	var ids []int64
	if err := q.Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list articles to export: %w", err)
	}
	return ids, nil
}
