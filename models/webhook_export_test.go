package models

import (
	"context"

	"gorm.io/gorm"
)

// EnqueueWebhooks queues event for the subscribed webhooks in a
// transaction of its own, as an event's transaction would, for the
// external tests.
func EnqueueWebhooks(ctx context.Context, s *Store, event string, data any) error {
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return enqueueWebhooks(tx, event, data) })
}
