package reviewers

import (
	"context"
	"slices"

	"factdesk/live"
	"factdesk/models"
)

// Assign assigns articles to a person, or changes their due time and
// priority. Editors and admins assign anyone who can label; a checker may
// take an article nobody is assigned to for themselves, unless the
// newsroom turned that off (Config.NoSelfAssign).
func (s *Service) Assign(ctx context.Context, actor models.Actor, articleIDs []int64, na models.NewAssignment) ([]models.Assignment, error) {
	if !Allowed(actor.Role, ActAssign) {
		if err := s.maySelfAssign(actor, na.UserID); err != nil {
			return nil, err
		}
		na.Unassigned = true
	}
	ctx, told := s.collectInboxes(ctx)
	defer told()
	as, err := s.store.Assign(ctx, actor, articleIDs, na)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		s.publish(ctx, actor, "assignment", a.ArticleID, a.UserID, 0, a)
	}
	return as, nil
}

// maySelfAssign says whether actor, who may not assign others, may take
// an article for userID; that it is unassigned the store checks.
func (s *Service) maySelfAssign(actor models.Actor, userID int64) error {
	if err := Authorize(actor, ActSelfAssign); err != nil {
		return err
	}
	if userID != actor.ID {
		return &models.Error{Code: models.EFORBIDDEN, Message: "a checker may take an article for themselves only; an editor assigns others"}
	}
	if s.cfg.NoSelfAssign {
		return &models.Error{Code: models.EFORBIDDEN, Message: "this newsroom's editors assign the articles; ask one to assign you"}
	}
	return nil
}

// Unassign takes an article from a person. Editors and admins unassign
// anyone; a checker may give back an article they are assigned to.
func (s *Service) Unassign(ctx context.Context, actor models.Actor, articleID, userID int64) error {
	if !Allowed(actor.Role, ActAssign) {
		if err := Authorize(actor, ActSelfAssign); err != nil {
			return err
		}
		if userID != actor.ID {
			return &models.Error{Code: models.EFORBIDDEN, Message: "a checker may give back their own assignment only"}
		}
	}
	ctx, told := s.collectInboxes(ctx)
	defer told()
	if err := s.store.Unassign(ctx, actor, articleID, userID); err != nil {
		return err
	}
	s.publish(ctx, actor, "assignment", articleID, userID, 0, map[string]any{"user_id": userID, "removed": true})
	return nil
}

// Assignments returns the people an article is assigned to.
func (s *Service) Assignments(ctx context.Context, actor models.Actor, articleID int64) ([]models.Assignment, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, articleID); err != nil {
		return nil, err
	}
	as, err := s.store.Assignments(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if as == nil {
		as = []models.Assignment{}
	}
	return as, nil
}

// People lists the active users, by name, for @mentions.
func (s *Service) People(ctx context.Context, actor models.Actor) ([]models.User, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := users[:0:0]
	for _, u := range users {
		if !u.Disabled() {
			out = append(out, u)
		}
	}
	return out, nil
}

// Assignable lists the people an article can be assigned to: active
// checkers, editors and admins, by name.
func (s *Service) Assignable(ctx context.Context, actor models.Actor) ([]models.User, error) {
	people, err := s.People(ctx, actor)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(people, func(u models.User) bool { return u.Role == models.RoleViewer }), nil
}

// Notifications returns a page of the actor's own inbox.
func (s *Service) Notifications(ctx context.Context, actor models.Actor, f models.NotificationFilter) (*models.NotificationPage, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	page, err := s.store.Notifications(ctx, actor.ID, f)
	if err != nil {
		return nil, err
	}
	blind, err := s.blindArticles(ctx, actor)
	if err != nil {
		return nil, err
	}
	for i := range page.Notifications {
		blindSummary(&page.Notifications[i], blind)
	}
	return page, nil
}

// hiddenWhileBlind replaces the summary of a notice about an article its
// reader gives a blind second opinion on.
const hiddenWhileBlind = "Hidden while you give a blind second opinion on this article."

// blindSummary hides what a notice about one of the blind articles says
// (a mention or a reply quotes its comment, a decision the editor's
// request): notices written before the opinion was asked are still in the
// inbox. The request for the opinion itself says nothing of the reading.
func blindSummary(n *models.Notification, blind map[int64]bool) {
	if n == nil || n.ArticleID == nil || !blind[*n.ArticleID] || n.Event == models.EventOpinionRequested {
		return
	}
	n.Summary = hiddenWhileBlind
}

// MarkRead marks the actor's notifications read (the ids, or all) and
// returns how many stay unread; their other open pages hear of it.
func (s *Service) MarkRead(ctx context.Context, actor models.Actor, ids []int64, all bool) (int64, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return 0, err
	}
	n, err := s.store.MarkNotificationsRead(ctx, actor.ID, ids, all)
	if err != nil {
		return 0, err
	}
	s.publishInbox(ctx, actor.ID)
	return n, nil
}

// OpenNotification marks one of the actor's notifications read and
// returns it, for following its link.
func (s *Service) OpenNotification(ctx context.Context, actor models.Actor, id int64) (*models.Notification, error) {
	n, err := s.store.Notification(ctx, actor.ID, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.MarkRead(ctx, actor, []int64{id}, false); err != nil {
		return nil, err
	}
	return n, nil
}

// NotificationPrefs returns the actor's notification choices.
func (s *Service) NotificationPrefs(ctx context.Context, actor models.Actor) ([]models.NotificationPref, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	return s.store.NotificationPrefs(ctx, actor.ID)
}

// SetNotificationPrefs stores the actor's notification choices.
func (s *Service) SetNotificationPrefs(ctx context.Context, actor models.Actor, prefs []models.NotificationPref) error {
	if err := Authorize(actor, ActRead); err != nil {
		return err
	}
	return s.store.SetNotificationPrefs(ctx, actor, actor.ID, prefs)
}

// NotifyDue sends the due-soon and overdue reminders that are due, and
// tells the reminded people's open pages.
func (s *Service) NotifyDue(ctx context.Context) (int, error) {
	ctx, told := s.collectInboxes(ctx)
	defer told()
	return s.store.NotifyDue(ctx)
}

// collectInboxes returns a context under which the store records whom a
// change notifies, and a function that tells those people's open pages
// (their unread count) and wakes the outbox's sender when the change
// queued mail or webhook calls — to call once the change is done.
func (s *Service) collectInboxes(ctx context.Context) (context.Context, func()) {
	ctx, in := models.WithInboxes(ctx)
	return ctx, func() {
		for _, id := range in.Users() {
			s.publishInbox(ctx, id)
		}
		if in.Queued() && s.outboxKick != nil {
			s.outboxKick()
		}
	}
}

// SetOutboxKick names the function that wakes this process's outbox
// sender, called after a change queued mail or webhook calls, so that
// they leave at once rather than at the sender's next look.
func (s *Service) SetOutboxKick(kick func()) { s.outboxKick = kick }

// publishInbox tells a person's open pages that their inbox changed.
func (s *Service) publishInbox(ctx context.Context, userID int64) {
	if s.broker == nil {
		return
	}
	if err := s.broker.Publish(context.WithoutCancel(ctx), live.Event{Type: "inbox", UserID: userID}); err != nil {
		s.logger.Warn("publish inbox event", "user", userID, "error", err)
	}
}

// Work returns the actor's desk: what is assigned or sent back to them,
// the mentions waiting, and for editors what waits for their decision,
// what is overdue and what nobody is assigned to.
func (s *Service) Work(ctx context.Context, actor models.Actor) (*models.Work, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	w, err := s.store.Work(ctx, actor.ID, Allowed(actor.Role, ActDecide))
	if err != nil {
		return nil, err
	}
	// An article the actor gives a blind second opinion on stays on their
	// lists, without what would show them the first reading: the editor's
	// change requests and the latest mention's quote.
	blind, err := s.blindArticles(ctx, actor)
	if err != nil || len(blind) == 0 {
		return w, err
	}
	for _, list := range [][]models.WorkItem{w.Assigned, w.SentBack, w.Mentions, w.ToDecide, w.Overdue, w.Unassigned} {
		for i := range list {
			if blind[list[i].ID] {
				list[i].Comments = nil
				blindSummary(list[i].Latest, blind)
			}
		}
	}
	return w, nil
}

// Desk returns the counts the header shows the actor.
func (s *Service) Desk(ctx context.Context, actor models.Actor) (models.DeskCounts, error) {
	return s.store.Desk(ctx, actor.ID, Allowed(actor.Role, ActDecide))
}

// publishAccess tells a person's open streams that what they may see
// changed (they were disabled, their role changed, a blind second
// opinion was asked of them), so that each checks again at once whether
// it may go on.
func (s *Service) publishAccess(ctx context.Context, userID int64) {
	if s.broker == nil {
		return
	}
	if err := s.broker.Publish(context.WithoutCancel(ctx), live.Event{Type: live.AccessChanged, UserID: userID}); err != nil {
		s.logger.Warn("publish access event", "user", userID, "error", err)
	}
}
