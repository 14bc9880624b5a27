package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"factdesk/migrations"
)

// SetFactCheckURL sets where the newsroom published its fact-check of an
// article, or clears it when url is "", and records the change as an
// "article.update" audit event with the value before and after, in one
// transaction. Setting the value the article already has changes nothing
// and records nothing. The caller validates url; the store only keeps it.
// It returns the article as it now is.
func (s *Store) SetFactCheckURL(ctx context.Context, actor Actor, articleID int64, url string) (*Article, error) {
	var a Article
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx
		if s.db.dialect == migrations.Postgres {
			// Two people setting it at once must each record the value
			// the other left, not the one both read.
			q = tx.Clauses(lockForUpdate())
		}
		if err := q.First(&a, articleID).Error; err != nil {
			return notFound(err, "article %d", articleID)
		}
		before := a.FactCheckURL
		var after *string
		if url != "" {
			after = &url
		}
		if before == nil && after == nil || before != nil && after != nil && *before == *after {
			return nil
		}
		now := tx.NowFunc()
		if err := tx.Model(&Article{}).Where("id = ?", a.ID).
			Updates(map[string]any{"factcheck_url": after, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("set fact-check URL of article %d: %w", a.ID, err)
		}
		a.FactCheckURL, a.UpdatedAt = after, now
		if err := s.appendEvent(tx, Event{ArticleID: a.ID, Actor: actor, Action: "article.update", Entity: "article", EntityID: a.ID,
			Before: map[string]any{"factcheck_url": before}, After: map[string]any{"factcheck_url": after}}); err != nil {
			return err
		}
		// appendEvent moved the chain's head on the row; read it back so
		// that the returned article is the stored one.
		return tx.Select("audit_seq", "audit_head").First(&a, a.ID).Error
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}
