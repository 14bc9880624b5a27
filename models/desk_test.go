package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// desk is a newsroom on one database: an editor, two checkers, a viewer,
// a disabled checker, and a clock the test moves.
type desk struct {
	st               *models.Store
	editor, ana, ben models.Actor
	viewer, gone     models.Actor
	mu               sync.Mutex
	now              time.Time
	articles         int
}

func newDesk(t *testing.T, k testdb.Kind) *desk {
	t.Helper()
	d := &desk{now: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	db := testdb.OpenWith(t, k, models.Options{Clock: func() time.Time {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.now
	}})
	d.st = models.NewStore(db)
	ctx := context.Background()
	mk := func(name string, role models.Role) models.Actor {
		u, err := d.st.CreateUser(ctx, models.System, models.NewUser{Email: strings.ToLower(strings.Fields(name)[0]) + "@desk.example", Name: name, Role: role, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	d.editor, d.ana, d.ben = mk("Eda Editor", models.RoleEditor), mk("Ana Ruiz", models.RoleChecker), mk("Ben Okafor", models.RoleChecker)
	d.viewer, d.gone = mk("Vic Viewer", models.RoleViewer), mk("Gus Gone", models.RoleChecker)
	disabled := true
	if _, err := d.st.UpdateUser(ctx, models.System, d.gone.ID, models.UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *desk) advance(by time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.now = d.now.Add(by)
}

// article imports a two-sentence article by the editor.
func (d *desk) article(t *testing.T, title string) *models.Article {
	t.Helper()
	d.articles++
	body := fmt.Sprintf("%s\n\nThe council met %d times. It voted.", title, d.articles)
	sum := sha256.Sum256([]byte(body))
	first := fmt.Sprintf("The council met %d times.", d.articles)
	na := models.NewArticle{Title: title, Outlet: "Daily", Format: "text", Body: body, BodySHA256: hex.EncodeToString(sum[:]), ParagraphCount: 2,
		Sentences: []models.Sentence{
			{Index: 0, Paragraph: 0, StartByte: 0, EndByte: len(title), Start: 0, End: len([]rune(title)), Text: title, Quote: "none"},
			{Index: 1, Paragraph: 1, StartByte: len(title) + 2, EndByte: len(title) + 2 + len(first), Start: len([]rune(title)) + 2, End: len([]rune(title)) + 2 + len([]rune(first)), Text: first, Quote: "none"},
		}}
	a, _, err := d.st.CreateArticle(context.Background(), d.editor, na)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (d *desk) inbox(t *testing.T, who models.Actor) []models.Notification {
	t.Helper()
	p, err := d.st.Notifications(context.Background(), who.ID, models.NotificationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return p.Notifications
}

func events(ns []models.Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Event
	}
	return out
}

func TestAssignNotifiesAndAudits(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			a := d.article(t, "Budget vote")
			due := d.now.Add(48 * time.Hour)
			as, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: d.ana.ID, DueAt: &due, Priority: models.PriorityHigh})
			if err != nil {
				t.Fatal(err)
			}
			if len(as) != 1 || as[0].Name != "Ana Ruiz" || as[0].Priority != models.PriorityHigh || !as[0].DueAt.Equal(due) {
				t.Fatalf("assignment: got %+v", as)
			}
			got, err := d.st.Article(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.DueAt == nil || !got.DueAt.Equal(due) {
				t.Errorf("article due: got %v, want %v", got.DueAt, due)
			}
			ns := d.inbox(t, d.ana)
			if len(ns) != 1 || ns[0].Event != models.EventAssigned || ns[0].Link != fmt.Sprintf("/articles/%d", a.ID) ||
				!strings.Contains(ns[0].Summary, "Eda Editor assigned you “Budget vote” — high priority, due 9 Dec 2026 09:00 UTC") {
				t.Fatalf("Ana's inbox: got %+v", ns)
			}
			if len(d.inbox(t, d.editor)) != 0 {
				t.Error("the editor was told of their own assignment")
			}
			// The same again changes nothing; a new due time is a change.
			if _, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: d.ana.ID, DueAt: &due, Priority: models.PriorityHigh}); err != nil {
				t.Fatal(err)
			}
			if n := len(d.inbox(t, d.ana)); n != 1 {
				t.Errorf("assigning again the same way: %d notifications, want 1", n)
			}
			later := due.Add(24 * time.Hour)
			if _, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: d.ana.ID, DueAt: &later}); err != nil {
				t.Fatal(err)
			}
			if ns := d.inbox(t, d.ana); len(ns) != 2 || !strings.Contains(ns[0].Summary, "changed your assignment") {
				t.Errorf("after a new due time: got %+v", ns)
			}
			// A viewer, a disabled user and nobody cannot be assigned; nothing changes.
			for _, who := range []int64{d.viewer.ID, d.gone.ID, 999999} {
				_, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: who})
				var me *models.Error
				if !errors.As(err, &me) || me.Code != models.EINVALID || me.Field != "user_id" {
					t.Errorf("assign user %d: got %v, want an invalid user_id", who, err)
				}
			}
			if _, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: d.ben.ID, Priority: "asap"}); err == nil {
				t.Error("priority asap: got nil error")
			}
			// Bulk: all or nothing.
			b := d.article(t, "Second")
			if _, err := d.st.Assign(ctx, d.editor, []int64{b.ID, 999999}, models.NewAssignment{UserID: d.ben.ID}); err == nil {
				t.Fatal("bulk with a missing article: got nil error")
			}
			if as, _ := d.st.Assignments(ctx, b.ID); len(as) != 0 {
				t.Errorf("a failed bulk assignment left %d assignments", len(as))
			}
			if _, err := d.st.Assign(ctx, d.editor, []int64{a.ID, b.ID}, models.NewAssignment{UserID: d.ben.ID}); err != nil {
				t.Fatal(err)
			}
			if n := len(d.inbox(t, d.ben)); n != 2 {
				t.Errorf("Ben after a bulk assignment of two: %d notifications, want 2", n)
			}
			if err := d.st.Unassign(ctx, d.editor, a.ID, d.ana.ID); err != nil {
				t.Fatal(err)
			}
			if ns := d.inbox(t, d.ana); ns[0].Event != models.EventUnassigned {
				t.Errorf("after unassigning: latest %s, want %s", ns[0].Event, models.EventUnassigned)
			}
			if got, _ := d.st.Article(ctx, a.ID); got.DueAt != nil {
				t.Errorf("article due after its only dated assignment went: %v, want none", got.DueAt)
			}
			if err := d.st.Unassign(ctx, d.editor, a.ID, d.ana.ID); !errors.Is(err, models.ErrNotFound) && !isCode(err, models.ENOTFOUND) {
				t.Errorf("unassigning again: got %v, want not found", err)
			}
			evs, err := d.st.ArticleEvents(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range evs {
				actions = append(actions, e.Action)
			}
			want := "article.import article.assign article.assign article.assign article.unassign"
			if got := strings.Join(actions, " "); got != want {
				t.Errorf("audit trail: got %s, want %s", got, want)
			}
			if v, err := d.st.VerifyArticle(ctx, a.ID); err != nil || len(v.Problems) > 0 {
				t.Errorf("verify: %v %+v", err, v)
			}
		})
	}
}

func isCode(err error, code string) bool {
	var me *models.Error
	return errors.As(err, &me) && me.Code == code
}

func TestMentionsRepliesAndBlindness(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			a := d.article(t, "Rates")
			// "@Ana Ruiz" mentions Ana; "@Ben" alone mentions nobody (Ben
			// is "Ben Okafor"); "@Ana Ruizz" would not be Ana either.
			c, err := d.st.AddComment(ctx, d.editor, models.NewComment{ArticleID: a.ID, Body: "@ana ruiz, is this sourced? cc @Ben"})
			if err != nil {
				t.Fatal(err)
			}
			if got := events(d.inbox(t, d.ana)); strings.Join(got, ",") != models.EventMention {
				t.Errorf("Ana: got %v, want one mention", got)
			}
			if n := len(d.inbox(t, d.ben)); n != 0 {
				t.Errorf("Ben (not mentioned by full name): %d notifications", n)
			}
			// Ben replies in the editor's thread: the editor hears of it.
			if _, err := d.st.AddComment(ctx, d.ben, models.NewComment{ArticleID: a.ID, ParentID: c.ID, Body: "It is, see the minutes."}); err != nil {
				t.Fatal(err)
			}
			ns := d.inbox(t, d.editor)
			if len(ns) != 1 || ns[0].Event != models.EventReply || ns[0].Link != fmt.Sprintf("/articles/%d#c-%d", a.ID, c.ID) {
				t.Fatalf("editor after a reply: got %+v", ns)
			}
			// Ana replies mentioning Ben: Ben hears a mention, the editor
			// a reply, and Ben not also a reply.
			if _, err := d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: a.ID, ParentID: c.ID, Body: "Thanks @Ben Okafor"}); err != nil {
				t.Fatal(err)
			}
			if got := events(d.inbox(t, d.ben)); strings.Join(got, ",") != models.EventMention {
				t.Errorf("Ben: got %v, want one mention (not also a reply)", got)
			}
			if got := events(d.inbox(t, d.editor)); strings.Join(got, ",") != "comment.reply,comment.reply" {
				t.Errorf("editor: got %v, want two replies", got)
			}
			// A mention on a sentence links to it, selected, at the thread.
			a2 := d.article(t, "Sentences")
			ss2, err := d.st.Sentences(ctx, *a2.CurrentRevisionID)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := d.st.AddComment(ctx, d.editor, models.NewComment{ArticleID: a2.ID, SentenceID: ss2[1].ID, Body: "@Ben Okafor the figure?"})
			if err != nil {
				t.Fatal(err)
			}
			bn := d.inbox(t, d.ben)
			if want := fmt.Sprintf("/articles/%d?s=2#c-%d", a2.ID, sc.ID); bn[0].Link != want || !strings.Contains(bn[0].Summary, "on sentence 2 of “Sentences”") {
				t.Errorf("mention on a sentence: got %q %q, want the link %s", bn[0].Link, bn[0].Summary, want)
			}
			// Ana gives a blind second opinion: comments on the article do
			// not reach her while it is open.
			o, err := d.st.RequestOpinion(ctx, d.editor, a.ID, d.ana.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ns := d.inbox(t, d.ana); ns[0].Event != models.EventOpinionRequested || ns[0].Link != fmt.Sprintf("/opinions/%d", o.ID) {
				t.Errorf("Ana after the request: got %+v", ns[0])
			}
			before := len(d.inbox(t, d.ana))
			if _, err := d.st.AddComment(ctx, d.ben, models.NewComment{ArticleID: a.ID, Body: "@Ana Ruiz the first reading says fact"}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.AddComment(ctx, d.ben, models.NewComment{ArticleID: a.ID, ParentID: c.ID, Body: "more in the thread"}); err != nil {
				t.Fatal(err)
			}
			if after := len(d.inbox(t, d.ana)); after != before {
				t.Errorf("Ana, blind: %d notifications after comments, want %d", after, before)
			}
			// Handing it back tells the editor.
			ss, err := d.st.Sentences(ctx, *a.CurrentRevisionID)
			if err != nil {
				t.Fatal(err)
			}
			labels := map[int64]codebook.Label{}
			for _, s := range ss {
				labels[s.ID] = codebook.Fact
			}
			if err := d.st.SetOpinionLabels(ctx, d.ana, o.ID, labels); err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.CompleteOpinion(ctx, d.ana, o.ID); err != nil {
				t.Fatal(err)
			}
			if ns := d.inbox(t, d.editor); ns[0].Event != models.EventOpinionReturned {
				t.Errorf("editor after the hand-back: latest %s", ns[0].Event)
			}
		})
	}
}

func TestPreferencesAndMail(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			a := d.article(t, "Mail")
			// Without a relay, nothing is queued as mail.
			if _, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: d.ana.ID}); err != nil {
				t.Fatal(err)
			}
			if n := countOutbox(t, d.st, models.OutboxEmail); n != 0 {
				t.Fatalf("mail queued without a relay: %d", n)
			}
			d.st.SetMail(models.MailSettings{Enabled: true, BaseURL: "https://desk.example/"})
			if _, err := d.st.Assign(ctx, d.editor, []int64{a.ID}, models.NewAssignment{UserID: d.ben.ID}); err != nil {
				t.Fatal(err)
			}
			mails := outboxMail(t, d.st)
			if len(mails) != 1 || mails[0].To != "ben@desk.example" || !strings.Contains(mails[0].Text, fmt.Sprintf("https://desk.example/articles/%d", a.ID)) ||
				!strings.HasPrefix(mails[0].Subject, "[factdesk] Eda Editor assigned you") {
				t.Fatalf("mail: got %+v", mails)
			}
			// Replies are in the app only by default; Ben turns them off
			// in the app and on by mail.
			prefs, err := d.st.NotificationPrefs(ctx, d.ben.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range prefs {
				if p.Event == models.EventReply && (!p.InApp || p.Email) {
					t.Errorf("reply default: %+v, want in the app only", p)
				}
			}
			if err := d.st.SetNotificationPrefs(ctx, d.ben, d.ben.ID, []models.NotificationPref{{Event: models.EventReply, InApp: false, Email: true}}); err != nil {
				t.Fatal(err)
			}
			if err := d.st.SetNotificationPrefs(ctx, d.ben, d.ben.ID, []models.NotificationPref{{Event: "article.exploded"}}); err == nil {
				t.Error("an unknown event: got nil error")
			}
			c, err := d.st.AddComment(ctx, d.ben, models.NewComment{ArticleID: a.ID, Body: "Opening a thread."})
			if err != nil {
				t.Fatal(err)
			}
			inbox := len(d.inbox(t, d.ben))
			if _, err := d.st.AddComment(ctx, d.ana, models.NewComment{ArticleID: a.ID, ParentID: c.ID, Body: "A reply."}); err != nil {
				t.Fatal(err)
			}
			if n := len(d.inbox(t, d.ben)); n != inbox {
				t.Errorf("Ben's inbox grew with replies turned off in the app")
			}
			if mails := outboxMail(t, d.st); len(mails) != 2 || !strings.Contains(mails[1].Subject, "Ana Ruiz replied") {
				t.Errorf("reply by mail: got %+v", mails)
			}
			// The preference change is in the global audit chain.
			evs, err := d.st.GlobalEvents(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if last := evs[len(evs)-1]; last.Action != "user.notifications" || last.EntityID != d.ben.ID {
				t.Errorf("last global event: %s on %d", last.Action, last.EntityID)
			}
		})
	}
}

func TestNotifyDueOnceEach(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			soon, later := d.now.Add(6*time.Hour), d.now.Add(72*time.Hour)
			a, b := d.article(t, "Due soon"), d.article(t, "Due later")
			for _, x := range []struct {
				id  int64
				due *time.Time
			}{{a.ID, &soon}, {b.ID, &later}} {
				if _, err := d.st.Assign(ctx, d.editor, []int64{x.id}, models.NewAssignment{UserID: d.ana.ID, DueAt: x.due}); err != nil {
					t.Fatal(err)
				}
			}
			// Two servers look at once: each reminder goes once.
			var wg sync.WaitGroup
			counts := make([]int, 2)
			for i := range counts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					n, err := d.st.NotifyDue(ctx)
					if err != nil {
						t.Error(err)
					}
					counts[i] = n
				}()
			}
			wg.Wait()
			if counts[0]+counts[1] != 1 {
				t.Errorf("reminders sent: %v, want one in all", counts)
			}
			d.advance(7 * time.Hour)
			if n, err := d.st.NotifyDue(ctx); err != nil || n != 1 {
				t.Errorf("after the due time: %d reminders, %v; want the overdue one", n, err)
			}
			if n, _ := d.st.NotifyDue(ctx); n != 0 {
				t.Errorf("again: %d reminders, want none", n)
			}
			want := []string{models.EventOverdue, models.EventDueSoon, models.EventAssigned, models.EventAssigned}
			if got := events(d.inbox(t, d.ana)); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("Ana's inbox: got %v, want %v", got, want)
			}
			// Marking read: one, then all; another person's ids are ignored.
			ns := d.inbox(t, d.ana)
			if n, err := d.st.MarkNotificationsRead(ctx, d.ben.ID, []int64{ns[0].ID}, false); err != nil || n != 0 {
				t.Fatalf("Ben marking Ana's: %d %v", n, err)
			}
			if n, _ := d.st.UnreadNotifications(ctx, d.ana.ID); n != 4 {
				t.Errorf("Ana's unread after Ben's try: %d, want 4", n)
			}
			if n, _ := d.st.MarkNotificationsRead(ctx, d.ana.ID, []int64{ns[0].ID}, false); n != 3 {
				t.Errorf("after reading one: %d unread, want 3", n)
			}
			if n, _ := d.st.MarkNotificationsRead(ctx, d.ana.ID, nil, true); n != 0 {
				t.Errorf("after reading all: %d unread, want 0", n)
			}
			if _, err := d.st.Notification(ctx, d.ben.ID, ns[0].ID); !isCode(err, models.ENOTFOUND) {
				t.Errorf("Ben reading Ana's notification: got %v, want not found", err)
			}
		})
	}
}

func countOutbox(t *testing.T, st *models.Store, kind string) int64 {
	t.Helper()
	var n int64
	if err := st.DB().Gorm().Model(&models.OutboxMessage{}).Where("kind = ?", kind).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func outboxMail(t *testing.T, st *models.Store) []models.OutboxMail {
	t.Helper()
	var ms []models.OutboxMessage
	if err := st.DB().Gorm().Where("kind = ?", models.OutboxEmail).Order("id").Find(&ms).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]models.OutboxMail, len(ms))
	for i, m := range ms {
		if err := json.Unmarshal([]byte(m.Payload), &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestTakeOnceWhenTwoTakeAtOnce: two checkers who take an unassigned
// article at the same moment do not both get it.
func TestTakeOnceWhenTwoTakeAtOnce(t *testing.T) {
	for _, k := range testdb.Kinds {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			d := newDesk(t, k)
			for round := range 5 {
				a := d.article(t, fmt.Sprintf("Race %d", round))
				errs := make([]error, 2)
				var wg sync.WaitGroup
				for i, who := range []models.Actor{d.ana, d.ben} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[i] = d.st.Assign(ctx, who, []int64{a.ID}, models.NewAssignment{UserID: who.ID, Unassigned: true})
					}()
				}
				wg.Wait()
				as, err := d.st.Assignments(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(as) != 1 {
					t.Fatalf("round %d: %d assignees (errors %v), want 1", round, len(as), errs)
				}
				failed := 0
				for _, err := range errs {
					if err != nil {
						failed++
						if !isCode(err, models.ECONFLICT) {
							t.Errorf("round %d: the second taker got %v, want a conflict", round, err)
						}
					}
				}
				if failed != 1 {
					t.Errorf("round %d: %d takers failed, want 1", round, failed)
				}
			}
		})
	}
}
