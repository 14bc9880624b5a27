package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// The events people are notified of. Those that webhooks also carry have
// the webhooks' names.
const (
	EventAssigned         = "article.assigned"
	EventUnassigned       = "article.unassigned"
	EventChangesRequested = "article.changes_requested"
	EventApproved         = "article.approved"
	EventReopened         = "article.reopened"
	EventMention          = "comment.mention"
	EventReply            = "comment.reply"
	EventOpinionRequested = "opinion.requested"
	EventOpinionReturned  = "opinion.returned"
	EventDueSoon          = "article.due_soon"
	EventOverdue          = "article.overdue"
)

// NotificationEvent describes one kind of notification for the
// preferences page.
type NotificationEvent struct {
	Name  string
	Title string // "An article is assigned to me"
	// Mail is whether it goes out by mail unless the person says otherwise.
	Mail bool
}

// NotificationEvents lists the events people can be notified of, in the
// order the preferences page shows them. Every event is shown in the app
// by default; assignments, changes requested, approvals and @mentions also
// go out by mail when a relay is configured.
var NotificationEvents = []NotificationEvent{
	{EventAssigned, "An article is assigned to me, or my assignment changes", true},
	{EventUnassigned, "An article is taken off my list", false},
	{EventChangesRequested, "An editor sends my article back for changes", true},
	{EventApproved, "An editor approves my article", true},
	{EventReopened, "An approved article of mine is reopened", false},
	{EventMention, "Someone @mentions me in a comment", true},
	{EventReply, "Someone replies in a thread I am in", false},
	{EventOpinionRequested, "I am asked for a second opinion", false},
	{EventOpinionReturned, "A second opinion I asked for is handed back", false},
	{EventDueSoon, "My assignment is due within 24 hours", false},
	{EventOverdue, "My assignment is overdue", false},
}

// notificationEvent returns the description of an event, and whether it
// is one.
func notificationEvent(name string) (NotificationEvent, bool) {
	for _, e := range NotificationEvents {
		if e.Name == name {
			return e, true
		}
	}
	return NotificationEvent{}, false
}

// MailSettings says whether notifications may go out by mail and where the
// links in them point.
type MailSettings struct {
	// Enabled is true when a relay is configured (--smtp-url); without
	// one no mail is queued.
	Enabled bool
	// BaseURL is the address people reach factdesk at, for links in mail
	// ("https://factdesk.newsroom.example"); empty leaves links relative.
	BaseURL string
}

// SetMail sets how notifications go out by mail.
func (s *Store) SetMail(m MailSettings) { s.mail = m }

// Mail returns the mail settings.
func (s *Store) Mail() MailSettings { return s.mail }

// Notification is one thing a person is told of, in their inbox.
type Notification struct {
	ID        int64  `gorm:"primaryKey" json:"id"`
	UserID    int64  `json:"-"`
	Event     string `json:"event"`
	ArticleID *int64 `json:"article_id"`
	CommentID *int64 `json:"comment_id,omitempty"`
	ActorID   *int64 `json:"actor_id,omitempty"`
	Actor     string `json:"actor"`
	// Link is the site-relative address of what the notice is about.
	Link      string     `json:"link"`
	Summary   string     `json:"summary"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	// Read is ReadAt != nil, for the API.
	Read bool `gorm:"-" json:"read"`
}

// NotificationPref is one person's choice for one event; events without a
// row take the defaults of NotificationEvents.
type NotificationPref struct {
	UserID int64  `gorm:"primaryKey;autoIncrement:false" json:"-"`
	Event  string `gorm:"primaryKey" json:"event"`
	InApp  bool   `json:"in_app"`
	Email  bool   `json:"email"`
}

// notice is an event to tell people of, inside the transaction of the
// change that caused it.
type notice struct {
	Event      string
	ArticleID  int64
	CommentID  *int64
	Link       string // default: the article's page
	Actor      Actor
	Summary    string
	Recipients []int64
}

// notify writes the notice into the inbox of each recipient who wants it
// in the app, and into the outbox as mail for each who wants it by mail
// when a relay is configured — in tx, so that a notice exists exactly when
// its change does. The actor is never told of their own change, nor is a
// disabled user.
func (s *Store) notify(tx *gorm.DB, n notice) error {
	ids := make([]int64, 0, len(n.Recipients))
	for _, id := range n.Recipients {
		if id != 0 && id != n.Actor.ID && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ev, ok := notificationEvent(n.Event)
	if !ok {
		return fmt.Errorf("notify: unknown event %q", n.Event)
	}
	var users []User
	if err := tx.Select("id", "email", "name").Where("id IN ? AND disabled_at IS NULL", ids).Order("id").Find(&users).Error; err != nil {
		return fmt.Errorf("load recipients: %w", err)
	}
	var prefs []NotificationPref
	if err := tx.Where("user_id IN ? AND event = ?", ids, n.Event).Find(&prefs).Error; err != nil {
		return fmt.Errorf("load notification preferences: %w", err)
	}
	link := n.Link
	if link == "" && n.ArticleID != 0 {
		link = fmt.Sprintf("/articles/%d", n.ArticleID)
	}
	var articleID *int64
	if n.ArticleID != 0 {
		articleID = &n.ArticleID
	}
	now := tx.NowFunc()
	for _, u := range users {
		inApp, mail := true, ev.Mail
		for _, p := range prefs {
			if p.UserID == u.ID {
				inApp, mail = p.InApp, p.Email
			}
		}
		var nid *int64
		if inApp {
			row := &Notification{UserID: u.ID, Event: n.Event, ArticleID: articleID, CommentID: n.CommentID, ActorID: actorID(n.Actor),
				Actor: n.Actor.Name, Link: link, Summary: n.Summary, CreatedAt: now}
			if err := tx.Create(row).Error; err != nil {
				return fmt.Errorf("write notification %s: %w", n.Event, err)
			}
			nid = &row.ID
		}
		if mail && s.mail.Enabled {
			if err := s.queueMail(tx, u, n, link, nid); err != nil {
				return err
			}
		}
		if in, ok := tx.Statement.Context.Value(inboxKey{}).(*Inboxes); ok {
			in.add(u.ID)
		}
	}
	return nil
}

// queueMail writes the notice to u into the outbox as mail.
func (s *Store) queueMail(tx *gorm.DB, u User, n notice, link string, notificationID *int64) error {
	base := strings.TrimRight(s.mail.BaseURL, "/")
	text := n.Summary + "\n\n" + base + link + "\n\n-- \nfactdesk tells you this because of your notification settings:\n" + base + "/settings/notifications\n"
	payload, err := encodeValue(OutboxMail{To: u.Email, Subject: "[factdesk] " + clip(n.Summary, 150), Text: text})
	if err != nil {
		return fmt.Errorf("encode mail: %w", err)
	}
	return enqueue(tx, &OutboxMessage{Kind: OutboxEmail, NotificationID: notificationID, Event: n.Event, Recipient: u.Email, Payload: payload})
}

// clip shortens s to at most n runes, with an ellipsis when it cut.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// inboxKey carries an *Inboxes in a context.
type inboxKey struct{}

// Inboxes collects the people a change notified, so that the caller can
// tell their open pages once the change is done, and whether it queued
// mail or webhook calls, so that it can wake the outbox's sender (see
// WithInboxes).
type Inboxes struct {
	mu     sync.Mutex
	users  []int64
	queued bool
}

func (in *Inboxes) markQueued() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.queued = true
}

// Queued reports whether the change queued anything in the outbox.
func (in *Inboxes) Queued() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.queued
}

func (in *Inboxes) add(id int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !slices.Contains(in.users, id) {
		in.users = append(in.users, id)
	}
}

// Users returns the people notified so far.
func (in *Inboxes) Users() []int64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.users)
}

// WithInboxes returns a context under which the store records whom the
// changes notify.
func WithInboxes(ctx context.Context) (context.Context, *Inboxes) {
	in := &Inboxes{}
	return context.WithValue(ctx, inboxKey{}, in), in
}

// mentionedUsers returns the active users that body @mentions by name
// ("@Ana Ruiz"), case-insensitively and followed by no further letter.
func mentionedUsers(tx *gorm.DB, body string) ([]int64, error) {
	if !strings.Contains(body, "@") {
		return nil, nil
	}
	var users []User
	if err := tx.Select("id", "name").Where("disabled_at IS NULL").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("load users for mentions: %w", err)
	}
	lower := strings.ToLower(body)
	var ids []int64
	for _, u := range users {
		if mentions(lower, "@"+strings.ToLower(u.Name)) {
			ids = append(ids, u.ID)
		}
	}
	return ids, nil
}

// mentions reports whether text holds handle not followed by a letter or
// digit (so that "@Ana" does not mention "Ana Ruiz"'s namesake "Anabel").
func mentions(text, handle string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], handle)
		if j < 0 {
			return false
		}
		end := i + j + len(handle)
		r, _ := utf8.DecodeRuneInString(text[end:])
		if end == len(text) || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return true
		}
		i = end
	}
}
