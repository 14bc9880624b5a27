package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/migrations"
)

// Priority says how soon an assignment must be done.
type Priority string

// The priorities, least pressing first.
const (
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists the priorities, least pressing first.
var Priorities = []Priority{PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Assignment hands an article to a checker, with an optional due time and
// a priority.
type Assignment struct {
	ArticleID  int64      `gorm:"primaryKey;autoIncrement:false" json:"article_id"`
	UserID     int64      `gorm:"primaryKey;autoIncrement:false" json:"user_id"`
	Priority   Priority   `json:"priority"`
	DueAt      *time.Time `json:"due_at"`
	AssignedBy *int64     `json:"assigned_by,omitempty"`
	AssignedAt time.Time  `json:"assigned_at"`
	// DueSoonSentAt and OverdueSentAt record that the assignee was told,
	// so that each reminder goes once (see NotifyDue).
	DueSoonSentAt *time.Time `json:"-"`
	OverdueSentAt *time.Time `json:"-"`
	// Name is the assignee's name, filled by the readers.
	Name string `gorm:"-" json:"name"`
}

// Overdue reports whether the assignment's due time has passed at now.
func (a *Assignment) Overdue(now time.Time) bool { return a.DueAt != nil && a.DueAt.Before(now) }

// NewAssignment is an assignment about to be made (or changed).
type NewAssignment struct {
	UserID   int64
	DueAt    *time.Time
	Priority Priority // empty: normal
	// Unassigned makes the assignment only of articles nobody is
	// assigned to, checked under the article's lock: a checker taking an
	// article, so that two who take it at once do not both get it.
	Unassigned bool
}

// assignmentRecord is what the audit trail keeps of an assignment.
func assignmentRecord(a *Assignment) map[string]any {
	r := map[string]any{"user_id": a.UserID, "priority": a.Priority, "due_at": nil}
	if a.DueAt != nil {
		r["due_at"] = a.DueAt.UTC().Format(time.RFC3339)
	}
	return r
}

// Assign assigns articles to a person — or changes the due time and
// priority of an assignment they have — with an audit event per article
// and the notice to the assignee, all in one transaction: every article
// is assigned or none is. Only an active checker, editor or admin can be
// assigned. Assigning someone again with the same due time and priority
// changes nothing and records nothing.
func (s *Store) Assign(ctx context.Context, actor Actor, articleIDs []int64, na NewAssignment) ([]Assignment, error) {
	if na.Priority == "" {
		na.Priority = PriorityNormal
	}
	if !na.Priority.Valid() {
		return nil, FieldError("priority", "priority %q is not one of normal, high, urgent", na.Priority)
	}
	if len(articleIDs) == 0 {
		return nil, FieldError("articles", "choose at least one article")
	}
	var out []Assignment
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := assignableUser(tx, na.UserID)
		if err != nil {
			return err
		}
		for _, id := range articleIDs {
			a, err := s.assign(tx, actor, id, u, na)
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// assignableUser loads the user to assign and checks that they may be.
func assignableUser(tx *gorm.DB, id int64) (*User, error) {
	var u User
	if err := tx.First(&u, id).Error; err != nil {
		if err == gorm.ErrRecordNotFound {
			return nil, FieldError("user_id", "there is no user %d", id)
		}
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	if u.Disabled() {
		return nil, FieldError("user_id", "%s is disabled and cannot be assigned", u.Name)
	}
	if u.Role == RoleViewer {
		return nil, FieldError("user_id", "%s is a viewer; only checkers, editors and admins can be assigned", u.Name)
	}
	return &u, nil
}

func (s *Store) assign(tx *gorm.DB, actor Actor, articleID int64, u *User, na NewAssignment) (*Assignment, error) {
	var art Article
	q := tx
	if s.db.dialect == migrations.Postgres {
		q = tx.Clauses(lockForUpdate())
	}
	if err := q.Select("id", "title", "url", "outlet", "status").First(&art, articleID).Error; err != nil {
		return nil, notFound(err, "article %d", articleID)
	}
	if na.Unassigned {
		var names []string
		err := tx.Table("assignments").Joins("JOIN users ON users.id = assignments.user_id").
			Where("assignments.article_id = ?", articleID).Pluck("users.name", &names).Error
		if err != nil {
			return nil, fmt.Errorf("look up assignees: %w", err)
		}
		if len(names) > 0 {
			return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("“%s” is assigned to %s already; an editor can add you", art.Title, names[0])}
		}
	}
	a := &Assignment{ArticleID: articleID, UserID: u.ID, Priority: na.Priority, DueAt: na.DueAt,
		AssignedBy: actorID(actor), AssignedAt: tx.NowFunc(), Name: u.Name}
	var old Assignment
	res := tx.Where("article_id = ? AND user_id = ?", articleID, u.ID).Limit(1).Find(&old)
	if res.Error != nil {
		return nil, fmt.Errorf("load assignment: %w", res.Error)
	}
	var before any
	if res.RowsAffected > 0 {
		if old.Priority == a.Priority && sameTime(old.DueAt, a.DueAt) {
			old.Name = u.Name
			return &old, nil
		}
		before = assignmentRecord(&old)
		a.AssignedAt, a.AssignedBy = old.AssignedAt, old.AssignedBy
		if sameTime(old.DueAt, a.DueAt) {
			a.DueSoonSentAt, a.OverdueSentAt = old.DueSoonSentAt, old.OverdueSentAt
		}
	}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "article_id"}, {Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"priority", "due_at", "due_soon_sent_at", "overdue_sent_at"}),
	}).Create(a).Error
	if err != nil {
		return nil, fmt.Errorf("assign article %d: %w", articleID, err)
	}
	if err := setArticleDue(tx, articleID); err != nil {
		return nil, err
	}
	if err := s.appendEvent(tx, Event{ArticleID: articleID, Actor: actor, Action: "article.assign", Entity: "article", EntityID: articleID,
		Before: before, After: assignmentRecord(a)}); err != nil {
		return nil, err
	}
	what := "assigned you"
	if before != nil {
		what = "changed your assignment to"
	}
	summary := fmt.Sprintf("%s %s “%s”%s", actor.Name, what, art.Title, dueText(a))
	if err := s.notify(tx, notice{Event: EventAssigned, ArticleID: articleID, Actor: actor, Summary: summary, Recipients: []int64{u.ID}}); err != nil {
		return nil, err
	}
	return a, enqueueWebhooks(tx, "article.assigned", map[string]any{
		"article": articleData(&art), "assignee": map[string]any{"id": u.ID, "name": u.Name},
		"priority": a.Priority, "due_at": a.DueAt, "by": actor.Name,
	})
}

// setArticleDue keeps the article's due time, the soonest of its
// assignments', in step with them.
func setArticleDue(tx *gorm.DB, articleID int64) error {
	err := tx.Exec(`UPDATE articles SET due_at = (SELECT MIN(due_at) FROM assignments WHERE article_id = ?) WHERE id = ?`, articleID, articleID).Error
	if err != nil {
		return fmt.Errorf("set due time of article %d: %w", articleID, err)
	}
	return nil
}

// dueText says when an assignment is due, for notices (" — high priority,
// due 7 Dec 2026 18:00 UTC").
func dueText(a *Assignment) string {
	s := ""
	if a.Priority != PriorityNormal {
		s = fmt.Sprintf(" — %s priority", a.Priority)
	}
	if a.DueAt != nil {
		if s == "" {
			s = " —"
		} else {
			s += ","
		}
		s += " due " + a.DueAt.UTC().Format("2 Jan 2006 15:04 MST")
	}
	return s
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// Unassign takes an article away from a person, with its audit event and
// the notice to them.
func (s *Store) Unassign(ctx context.Context, actor Actor, articleID, userID int64) error {
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var art Article
		if err := tx.Select("id", "title").First(&art, articleID).Error; err != nil {
			return notFound(err, "article %d", articleID)
		}
		var old Assignment
		res := tx.Where("article_id = ? AND user_id = ?", articleID, userID).Limit(1).Find(&old)
		if res.Error != nil {
			return fmt.Errorf("load assignment: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("user %d is not assigned to article %d", userID, articleID)}
		}
		if err := tx.Where("article_id = ? AND user_id = ?", articleID, userID).Delete(&Assignment{}).Error; err != nil {
			return fmt.Errorf("unassign article %d: %w", articleID, err)
		}
		if err := setArticleDue(tx, articleID); err != nil {
			return err
		}
		if err := s.appendEvent(tx, Event{ArticleID: articleID, Actor: actor, Action: "article.unassign", Entity: "article", EntityID: articleID,
			Before: assignmentRecord(&old)}); err != nil {
			return err
		}
		return s.notify(tx, notice{Event: EventUnassigned, ArticleID: articleID, Actor: actor,
			Summary: fmt.Sprintf("%s took “%s” off your list", actor.Name, art.Title), Recipients: []int64{userID}})
	})
}

// Assignments returns the people an article is assigned to, soonest due
// first.
func (s *Store) Assignments(ctx context.Context, articleID int64) ([]Assignment, error) {
	m, err := s.AssignmentsOf(ctx, []int64{articleID})
	if err != nil {
		return nil, err
	}
	return m[articleID], nil
}

// AssignmentsOf returns the assignments of several articles, by article,
// each list soonest due first, in two queries.
func (s *Store) AssignmentsOf(ctx context.Context, articleIDs []int64) (map[int64][]Assignment, error) {
	out := map[int64][]Assignment{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	var as []Assignment
	db := s.db.gorm.WithContext(ctx)
	if err := db.Where("article_id IN ?", articleIDs).Order(dueOrder + ", user_id").Find(&as).Error; err != nil {
		return nil, fmt.Errorf("load assignments: %w", err)
	}
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.UserID)
	}
	names, err := s.UserNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		a.Name = names[a.UserID]
		out[a.ArticleID] = append(out[a.ArticleID], a)
	}
	return out, nil
}

// dueOrder sorts assignments by due time, those without one last, on both
// databases.
const dueOrder = "CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at"

// articleData is an article as webhooks and notices describe it.
func articleData(a *Article) map[string]any {
	return map[string]any{"id": a.ID, "title": a.Title, "url": a.URL, "outlet": a.Outlet, "status": a.Status}
}
