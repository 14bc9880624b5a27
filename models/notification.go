package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// NotificationFilter selects and pages a person's inbox.
type NotificationFilter struct {
	Unread bool  // only unread notifications
	Before int64 // keyset cursor: only notifications with a smaller id
	Limit  int   // page size; 0 means 50, at most 200
}

// NotificationPage is one page of an inbox.
type NotificationPage struct {
	Unread        int64          `json:"unread"`
	Notifications []Notification `json:"notifications"`
	// Next is the cursor of the following page, 0 when this is the last.
	Next int64 `json:"next_cursor,omitempty"`
}

// Notifications returns a page of a person's inbox, newest first, with
// their unread count.
func (s *Store) Notifications(ctx context.Context, userID int64, f NotificationFilter) (*NotificationPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	db := s.db.gorm.WithContext(ctx)
	q := db.Where("user_id = ?", userID)
	if f.Unread {
		q = q.Where("read_at IS NULL")
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	page := &NotificationPage{Notifications: []Notification{}}
	if err := q.Order("id DESC").Limit(f.Limit + 1).Find(&page.Notifications).Error; err != nil {
		return nil, fmt.Errorf("load notifications: %w", err)
	}
	if len(page.Notifications) > f.Limit {
		page.Notifications = page.Notifications[:f.Limit]
		page.Next = page.Notifications[f.Limit-1].ID
	}
	for i := range page.Notifications {
		page.Notifications[i].Read = page.Notifications[i].ReadAt != nil
	}
	n, err := s.UnreadNotifications(ctx, userID)
	if err != nil {
		return nil, err
	}
	page.Unread = n
	return page, nil
}

// UnreadNotifications counts a person's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.gorm.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// Notification returns one of a person's notifications; another person's
// is not found.
func (s *Store) Notification(ctx context.Context, userID, id int64) (*Notification, error) {
	var n Notification
	if err := s.db.gorm.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).First(&n).Error; err != nil {
		return nil, notFound(err, "notification %d", id)
	}
	n.Read = n.ReadAt != nil
	return &n, nil
}

// MarkNotificationsRead marks a person's notifications read — those with
// the ids, or all of them — and returns how many stay unread. Ids of
// other people's notifications are ignored.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID int64, ids []int64, all bool) (int64, error) {
	db := s.db.gorm.WithContext(ctx)
	q := db.Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if !all {
		if len(ids) == 0 {
			return s.UnreadNotifications(ctx, userID)
		}
		q = q.Where("id IN ?", ids)
	}
	if err := q.Update("read_at", s.now()).Error; err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	return s.UnreadNotifications(ctx, userID)
}

// NotificationPrefs returns a person's choice for every event, defaults
// filled in, in the order of NotificationEvents.
func (s *Store) NotificationPrefs(ctx context.Context, userID int64) ([]NotificationPref, error) {
	var rows []NotificationPref
	if err := s.db.gorm.WithContext(ctx).Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load notification preferences: %w", err)
	}
	out := make([]NotificationPref, len(NotificationEvents))
	for i, e := range NotificationEvents {
		out[i] = NotificationPref{UserID: userID, Event: e.Name, InApp: true, Email: e.Mail}
		for _, r := range rows {
			if r.Event == e.Name {
				out[i] = r
			}
		}
	}
	return out, nil
}

// SetNotificationPrefs stores a person's choices (events not named keep
// theirs), with an audit event when anything changed.
func (s *Store) SetNotificationPrefs(ctx context.Context, actor Actor, userID int64, prefs []NotificationPref) error {
	for _, p := range prefs {
		if _, ok := notificationEvent(p.Event); !ok {
			return FieldError("event", "%q is not an event factdesk notifies of", p.Event)
		}
	}
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old []NotificationPref
		if err := tx.Where("user_id = ?", userID).Find(&old).Error; err != nil {
			return fmt.Errorf("load notification preferences: %w", err)
		}
		current := map[string]NotificationPref{}
		for _, e := range NotificationEvents {
			current[e.Name] = NotificationPref{UserID: userID, Event: e.Name, InApp: true, Email: e.Mail}
		}
		for _, o := range old {
			current[o.Event] = o
		}
		before, after := map[string]any{}, map[string]any{}
		for _, p := range prefs {
			p.UserID = userID
			c := current[p.Event]
			if c.InApp == p.InApp && c.Email == p.Email {
				continue
			}
			before[p.Event] = map[string]bool{"in_app": c.InApp, "email": c.Email}
			after[p.Event] = map[string]bool{"in_app": p.InApp, "email": p.Email}
			err := tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "user_id"}, {Name: "event"}},
				DoUpdates: clause.AssignmentColumns([]string{"in_app", "email"}),
			}).Create(&p).Error
			if err != nil {
				return fmt.Errorf("save notification preference %s: %w", p.Event, err)
			}
		}
		if len(after) == 0 {
			return nil
		}
		return s.appendEvent(tx, Event{Actor: actor, Action: "user.notifications", Entity: "user", EntityID: userID, Before: before, After: after})
	})
}

// NotifyDue tells assignees whose article is due within a day, and those
// whose due time has passed, once each; it returns how many it told.
// Several servers may run it at once: each reminder is claimed by a
// conditional update, so it goes once.
func (s *Store) NotifyDue(ctx context.Context) (int, error) {
	now := s.now()
	type due struct {
		ArticleID int64
		UserID    int64
		DueAt     time.Time
		Title     string
	}
	sent := 0
	for _, kind := range []struct {
		event, column, cond, text string
	}{
		{EventOverdue, "overdue_sent_at", "assignments.due_at <= ?", "“%s” was due %s and is not approved yet"},
		{EventDueSoon, "due_soon_sent_at", "assignments.due_at > ? AND assignments.due_at <= ?", "“%s” is due %s"},
	} {
		args := []any{now}
		if kind.event == EventDueSoon {
			args = append(args, now.Add(24*time.Hour))
		}
		var rows []due
		err := s.db.gorm.WithContext(ctx).Table("assignments").
			Select("assignments.article_id, assignments.user_id, assignments.due_at, articles.title").
			Joins("JOIN articles ON articles.id = assignments.article_id").
			Where("assignments."+kind.column+" IS NULL AND articles.status <> ?", ArticleApproved).
			Where(kind.cond, args...).Order("assignments.due_at").Limit(500).Scan(&rows).Error
		if err != nil {
			return sent, fmt.Errorf("find due assignments: %w", err)
		}
		for _, r := range rows {
			err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				res := tx.Exec("UPDATE assignments SET "+kind.column+" = ? WHERE article_id = ? AND user_id = ? AND "+kind.column+" IS NULL AND "+kind.cond,
					append([]any{now, r.ArticleID, r.UserID}, args...)...)
				if res.Error != nil {
					return fmt.Errorf("claim reminder: %w", res.Error)
				}
				if res.RowsAffected == 0 {
					return nil // another server told them, or the due time moved
				}
				sent++
				return s.notify(tx, notice{Event: kind.event, ArticleID: r.ArticleID, Actor: System,
					Summary: fmt.Sprintf(kind.text, r.Title, r.DueAt.UTC().Format("2 Jan 15:04 MST")), Recipients: []int64{r.UserID}})
			})
			if err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}
