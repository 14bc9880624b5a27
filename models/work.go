package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// WorkItem is an article on someone's desk, with what puts it there.
type WorkItem struct {
	Article
	// Mine is the person's own assignment, on the "assigned" list.
	Mine *Assignment `json:"assignment,omitempty"`
	// Assignees are everyone the article is assigned to.
	Assignees []Assignment `json:"assignees"`
	// Comments are the editor's change requests, on the "sent back" list.
	Comments []Comment `json:"comments,omitempty"`
	// Waiting counts the unread mentions and replies, on the "mentions"
	// list; Latest is the newest of them.
	Waiting int           `json:"waiting,omitempty"`
	Latest  *Notification `json:"latest,omitempty"`
	// SubmittedBy names who submitted it, on the "to decide" list.
	SubmittedBy string `json:"submitted_by,omitempty"`
}

// Work is what lands on a person's desk: their lists, each at most
// workLimit long. The editors' lists are nil for checkers.
type Work struct {
	Assigned   []WorkItem `json:"assigned"`
	SentBack   []WorkItem `json:"sent_back"`
	Mentions   []WorkItem `json:"mentions"`
	ToDecide   []WorkItem `json:"to_decide,omitempty"`
	Overdue    []WorkItem `json:"overdue,omitempty"`
	Unassigned []WorkItem `json:"unassigned,omitempty"`
}

// workLimit bounds each list of a desk.
const workLimit = 100

// Work returns the person's desk. With editor, it adds the desk-wide
// lists: articles waiting for their decision (not those they submitted:
// four eyes), overdue and unassigned articles.
func (s *Store) Work(ctx context.Context, userID int64, editor bool) (*Work, error) {
	w := &Work{}
	var err error
	if w.Assigned, err = s.assignedWork(ctx, userID); err != nil {
		return nil, err
	}
	if w.SentBack, err = s.sentBackWork(ctx, userID); err != nil {
		return nil, err
	}
	if w.Mentions, err = s.mentionWork(ctx, userID); err != nil {
		return nil, err
	}
	if editor {
		if w.ToDecide, err = s.decisionWork(ctx, userID); err != nil {
			return nil, err
		}
		if w.Overdue, err = s.articleWork(ctx, "due_at < ? AND status <> ?", []any{s.now(), ArticleApproved}, "due_at, id"); err != nil {
			return nil, err
		}
		if w.Unassigned, err = s.articleWork(ctx, "status <> ? AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.article_id = articles.id)",
			[]any{ArticleApproved}, "id DESC"); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// assignedWork lists the articles assigned to the person that are theirs
// to work on (in draft or review), soonest due first — overdue ones come
// first by that — and the most pressing first among equals.
func (s *Store) assignedWork(ctx context.Context, userID int64) ([]WorkItem, error) {
	db := s.db.gorm.WithContext(ctx)
	var mine []Assignment
	err := db.Table("assignments").Select("assignments.*").
		Joins("JOIN articles ON articles.id = assignments.article_id").
		Where("assignments.user_id = ? AND articles.status IN ?", userID, []ArticleStatus{ArticleDraft, ArticleInReview}).
		Order("CASE WHEN assignments.due_at IS NULL THEN 1 ELSE 0 END, assignments.due_at, " +
			"CASE assignments.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, assignments.article_id").
		Limit(workLimit).Find(&mine).Error
	if err != nil {
		return nil, fmt.Errorf("load assigned work: %w", err)
	}
	ids := make([]int64, len(mine))
	for i := range mine {
		ids[i] = mine[i].ArticleID
	}
	items, err := s.workItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Mine = &mine[i]
	}
	return items, nil
}

// sentBackWork lists the articles sent back for changes that the person
// is assigned to or submitted, with the editor's change requests of the
// round that was sent back.
func (s *Store) sentBackWork(ctx context.Context, userID int64) ([]WorkItem, error) {
	items, err := s.articleWork(ctx, "status = ? AND (EXISTS (SELECT 1 FROM assignments a WHERE a.article_id = articles.id AND a.user_id = ?)"+
		" OR EXISTS (SELECT 1 FROM review_rounds r WHERE r.article_id = articles.id AND r.submitted_by = ? AND r.decision = ?))",
		[]any{ArticleChangesRequested, userID, userID, "changes_requested"}, "updated_at DESC, id DESC")
	if err != nil || len(items) == 0 {
		return items, err
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	db := s.db.gorm.WithContext(ctx)
	// The editor's requests were made with the latest decision to send the
	// article back (they hang on the round it opened).
	var rounds []ReviewRound
	if err := db.Where("article_id IN ? AND decision = ?", ids, "changes_requested").Order("article_id, number").Find(&rounds).Error; err != nil {
		return nil, fmt.Errorf("load rounds sent back: %w", err)
	}
	decided := map[int64]time.Time{}
	for _, r := range rounds {
		if r.DecidedAt != nil {
			decided[r.ArticleID] = *r.DecidedAt
		}
	}
	var cs []Comment
	if err := db.Where("article_id IN ? AND kind = ?", ids, CommentChangeRequest).Order("id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("load change requests: %w", err)
	}
	cs = slices.DeleteFunc(cs, func(c Comment) bool {
		at, ok := decided[c.ArticleID]
		return !ok || c.CreatedAt.Before(at)
	})
	authors := make([]int64, len(cs))
	for i := range cs {
		authors[i] = cs[i].AuthorID
	}
	names, err := s.UserNames(ctx, authors)
	if err != nil {
		return nil, err
	}
	for i := range items {
		for _, c := range cs {
			if c.ArticleID == items[i].ID {
				c.Author = names[c.AuthorID]
				items[i].Comments = append(items[i].Comments, c)
			}
		}
	}
	return items, nil
}

// mentionWork lists the articles with unread mentions of the person or
// replies to them, the latest first.
func (s *Store) mentionWork(ctx context.Context, userID int64) ([]WorkItem, error) {
	var ns []Notification
	err := s.db.gorm.WithContext(ctx).Where("user_id = ? AND read_at IS NULL AND event IN ? AND article_id IS NOT NULL",
		userID, []string{EventMention, EventReply}).Order("id DESC").Limit(500).Find(&ns).Error
	if err != nil {
		return nil, fmt.Errorf("load mentions: %w", err)
	}
	var ids []int64
	latest := map[int64]*Notification{}
	count := map[int64]int{}
	for i := range ns {
		a := *ns[i].ArticleID
		if latest[a] == nil {
			latest[a] = &ns[i]
			if len(ids) < workLimit {
				ids = append(ids, a)
			}
		}
		count[a]++
	}
	items, err := s.workItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Waiting, items[i].Latest = count[items[i].ID], latest[items[i].ID]
	}
	return items, nil
}

// decisionWork lists the submitted articles the person may decide: all
// but those they submitted themselves, the longest waiting first.
func (s *Store) decisionWork(ctx context.Context, userID int64) ([]WorkItem, error) {
	items, err := s.articleWork(ctx, "status = ?", []any{ArticleSubmitted}, "updated_at, id")
	if err != nil || len(items) == 0 {
		return items, err
	}
	ids := make([]int64, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	var rounds []ReviewRound
	if err := s.db.gorm.WithContext(ctx).Where("article_id IN ? AND submitted_at IS NOT NULL", ids).Order("article_id, number").Find(&rounds).Error; err != nil {
		return nil, fmt.Errorf("load submitted rounds: %w", err)
	}
	submitter := map[int64]int64{}
	var people []int64
	for _, r := range rounds {
		if r.SubmittedBy != nil {
			submitter[r.ArticleID] = *r.SubmittedBy
			people = append(people, *r.SubmittedBy)
		}
	}
	names, err := s.UserNames(ctx, people)
	if err != nil {
		return nil, err
	}
	items = slices.DeleteFunc(items, func(it WorkItem) bool { return submitter[it.ID] == userID })
	for i := range items {
		items[i].SubmittedBy = names[submitter[items[i].ID]]
	}
	return items, nil
}

// articleWork lists the articles matching where, in order, as work items.
func (s *Store) articleWork(ctx context.Context, where string, args []any, order string) ([]WorkItem, error) {
	var ids []int64
	if err := s.db.gorm.WithContext(ctx).Model(&Article{}).Where(where, args...).Order(order).Limit(workLimit).Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list work: %w", err)
	}
	return s.workItems(ctx, ids)
}

// workItems loads the articles with the ids, in that order, with their
// assignees, in two queries.
func (s *Store) workItems(ctx context.Context, ids []int64) ([]WorkItem, error) {
	items := []WorkItem{}
	if len(ids) == 0 {
		return items, nil
	}
	var as []Article
	if err := s.db.gorm.WithContext(ctx).Where("id IN ?", ids).Find(&as).Error; err != nil {
		return nil, fmt.Errorf("load articles: %w", err)
	}
	byID := make(map[int64]*Article, len(as))
	for i := range as {
		byID[as[i].ID] = &as[i]
	}
	assignees, err := s.AssignmentsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if a := byID[id]; a != nil {
			list := assignees[id]
			if list == nil {
				list = []Assignment{}
			}
			items = append(items, WorkItem{Article: *a, Assignees: list})
		}
	}
	return items, nil
}

// DeskCounts are the numbers the header shows.
type DeskCounts struct {
	Unread int64 // unread notifications
	Work   int64 // articles assigned or sent back to the person, and for editors those waiting for a decision
}

// Desk returns the header's counts for a person in three queries or
// fewer.
func (s *Store) Desk(ctx context.Context, userID int64, editor bool) (DeskCounts, error) {
	var d DeskCounts
	var err error
	if d.Unread, err = s.UnreadNotifications(ctx, userID); err != nil {
		return d, err
	}
	// Two index-driven halves (the person's assignments; the few articles
	// sent back) rather than one OR that would read every article.
	db := s.db.gorm.WithContext(ctx)
	err = db.Raw(`SELECT COUNT(*) FROM (
		SELECT a.id FROM articles a JOIN assignments s ON s.article_id = a.id WHERE s.user_id = ? AND a.status IN ?
		UNION
		SELECT a.id FROM articles a WHERE a.status = ? AND EXISTS (SELECT 1 FROM review_rounds r WHERE r.article_id = a.id AND r.submitted_by = ? AND r.decision = ?)
	) AS mine`, userID, []ArticleStatus{ArticleDraft, ArticleInReview, ArticleChangesRequested}, ArticleChangesRequested, userID, "changes_requested").Scan(&d.Work).Error
	if err != nil {
		return d, fmt.Errorf("count work: %w", err)
	}
	if editor {
		var n int64
		err := db.Model(&Article{}).Where("status = ? AND NOT EXISTS (SELECT 1 FROM review_rounds r WHERE r.article_id = articles.id AND r.submitted_by = ? AND r.decided_at IS NULL AND r.submitted_at IS NOT NULL)",
			ArticleSubmitted, userID).Count(&n).Error
		if err != nil {
			return d, fmt.Errorf("count articles to decide: %w", err)
		}
		d.Work += n
	}
	return d, nil
}
