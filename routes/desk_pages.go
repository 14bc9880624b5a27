package routes

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// workPage is what the My work page shows.
type workPage struct {
	Work   *models.Work
	Editor bool
	Now    time.Time
}

func (h *Handler) showWork(c *gin.Context) {
	who := actor(c)
	w, err := h.svc.Work(c.Request.Context(), who)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "work", web.Page{Title: "My work", Nav: "work",
		Data: workPage{Work: w, Editor: userCan(c, "decide"), Now: h.store.Now()}})
}

// inboxPage is what the inbox shows.
type inboxPage struct {
	Page    *models.NotificationPage
	Unread  bool
	NextURL string
}

func (h *Handler) showInbox(c *gin.Context) {
	f, err := notificationFilter(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	page, err := h.svc.Notifications(c.Request.Context(), actor(c), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	data := inboxPage{Page: page, Unread: f.Unread}
	if page.Next != 0 {
		q := url.Values{"cursor": {fmt.Sprint(page.Next)}}
		if f.Unread {
			q.Set("unread", "true")
		}
		data.NextURL = "/inbox?" + q.Encode()
	}
	h.render(c, http.StatusOK, "inbox", web.Page{Title: "Inbox", Nav: "inbox", Data: data})
}

// readNotificationsForm marks one notification (id) or all (all=1) read.
func (h *Handler) readNotificationsForm(c *gin.Context) {
	all := c.PostForm("all") != ""
	var ids []int64
	for _, v := range c.PostFormArray("id") {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			h.formBack(c, "/inbox", models.FieldError("id", "that is not a notification"))
			return
		}
		ids = append(ids, n)
	}
	if !all && len(ids) == 0 {
		h.formBack(c, "/inbox", models.FieldError("id", "choose the notifications to mark read"))
		return
	}
	if len(ids) > maxReadIDs {
		h.formBack(c, "/inbox", models.FieldError("id", "at most %d at once", maxReadIDs))
		return
	}
	if _, err := h.svc.MarkRead(c.Request.Context(), actor(c), ids, all); err != nil {
		h.formBack(c, "/inbox", err)
		return
	}
	if all {
		h.setFlash(c, "All notifications marked read.")
	} else {
		h.setFlash(c, "Marked read.")
	}
	c.Redirect(http.StatusSeeOther, "/inbox")
}

// openNotification marks a notification read and goes where it points.
func (h *Handler) openNotification(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	n, err := h.svc.OpenNotification(c.Request.Context(), actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, notificationLink(n))
}

// settingsRow is one event on the notification settings page.
type settingsRow struct {
	models.NotificationEvent
	InApp, Email bool
}

// notificationSettingsPage is what the notification settings page shows.
type notificationSettingsPage struct {
	Rows        []settingsRow
	MailEnabled bool
	Email       string
}

func (h *Handler) showNotificationSettings(c *gin.Context) {
	prefs, err := h.svc.NotificationPrefs(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	data := notificationSettingsPage{MailEnabled: h.store.Mail().Enabled, Email: actor(c).Email}
	for i, e := range models.NotificationEvents {
		data.Rows = append(data.Rows, settingsRow{NotificationEvent: e, InApp: prefs[i].InApp, Email: prefs[i].Email})
	}
	h.render(c, http.StatusOK, "notification_settings", web.Page{Title: "Notification settings", Nav: "inbox", Data: data})
}

// saveNotificationSettings stores the checkboxes of the settings page:
// "app" and "email" list the events wanted each way.
func (h *Handler) saveNotificationSettings(c *gin.Context) {
	app, mail := map[string]bool{}, map[string]bool{}
	for _, e := range c.PostFormArray("app") {
		app[e] = true
	}
	for _, e := range c.PostFormArray("email") {
		mail[e] = true
	}
	// Without a relay the mail column is not shown: keep the person's mail
	// choices for when one is configured.
	old, err := h.svc.NotificationPrefs(c.Request.Context(), actor(c))
	if err != nil {
		h.formBack(c, "/settings/notifications", err)
		return
	}
	mailEnabled := h.store.Mail().Enabled
	prefs := make([]models.NotificationPref, len(models.NotificationEvents))
	for i, e := range models.NotificationEvents {
		prefs[i] = models.NotificationPref{Event: e.Name, InApp: app[e.Name], Email: mail[e.Name]}
		if !mailEnabled {
			prefs[i].Email = old[i].Email
		}
	}
	if err := h.svc.SetNotificationPrefs(c.Request.Context(), actor(c), prefs); err != nil {
		h.formBack(c, "/settings/notifications", err)
		return
	}
	h.setFlash(c, "Notification settings saved.")
	c.Redirect(http.StatusSeeOther, "/settings/notifications")
}

// assignmentForm reads an assignment from a form: user_id, due (a
// datetime-local value, read as UTC), priority.
func assignmentForm(c *gin.Context) (models.NewAssignment, error) {
	var na models.NewAssignment
	id, err := strconv.ParseInt(c.PostForm("user_id"), 10, 64)
	if err != nil || id <= 0 {
		return na, models.FieldError("user_id", "choose whom to assign")
	}
	na.UserID, na.Priority = id, models.Priority(c.PostForm("priority"))
	if v := strings.TrimSpace(c.PostForm("due")); v != "" {
		t, err := parseDue(v)
		if err != nil {
			return na, models.FieldError("due", "the due time %q is not a date and time", v)
		}
		na.DueAt = &t
	}
	return na, nil
}

// parseDue reads a due time as a datetime-local field sends it
// ("2026-12-07T18:00"), or as RFC 3339, in UTC.
func parseDue(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t.UTC().Truncate(time.Second), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a time: %q", v)
}

func (h *Handler) assignForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	back := fmt.Sprintf("/articles/%d#assignees", id)
	na, err := assignmentForm(c)
	if err != nil {
		h.formBack(c, back, err)
		return
	}
	as, err := h.svc.Assign(c.Request.Context(), actor(c), []int64{id}, na)
	if err != nil {
		h.formBack(c, back, err)
		return
	}
	if na.UserID == actor(c).ID {
		h.setFlash(c, "You took this article.")
	} else {
		h.setFlash(c, fmt.Sprintf("Assigned to %s.", as[0].Name))
	}
	c.Redirect(http.StatusSeeOther, back)
}

func (h *Handler) unassignForm(c *gin.Context) {
	id, userID, err := assigneeParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	back := fmt.Sprintf("/articles/%d#assignees", id)
	if err := h.svc.Unassign(c.Request.Context(), actor(c), id, userID); err != nil {
		h.formBack(c, back, err)
		return
	}
	h.setFlash(c, "Assignment removed.")
	c.Redirect(http.StatusSeeOther, back)
}

// maxBulkAssign bounds the articles of one bulk assignment.
const maxBulkAssign = 200

// bulkAssignForm assigns the articles checked in the list at once.
func (h *Handler) bulkAssignForm(c *gin.Context) {
	back := "/"
	if ref := c.PostForm("back"); strings.HasPrefix(ref, "/?") || ref == "/" {
		back = ref
	}
	var ids []int64
	for _, v := range c.PostFormArray("article") {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			h.formBack(c, back, models.FieldError("article", "that is not an article"))
			return
		}
		ids = append(ids, n)
	}
	if len(ids) == 0 {
		h.formBack(c, back, models.FieldError("article", "tick the articles to assign first"))
		return
	}
	if len(ids) > maxBulkAssign {
		h.formBack(c, back, models.FieldError("article", "at most %d articles at once", maxBulkAssign))
		return
	}
	na, err := assignmentForm(c)
	if err != nil {
		h.formBack(c, back, err)
		return
	}
	as, err := h.svc.Assign(c.Request.Context(), actor(c), ids, na)
	if err != nil {
		h.formBack(c, back, err)
		return
	}
	h.setFlash(c, fmt.Sprintf("Assigned %d %s to %s.", len(as), plural(len(as), "article", "articles"), as[0].Name))
	c.Redirect(http.StatusSeeOther, back)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// userCan reports whether the signed-in person may do what the layout
// calls key ("decide", "assign" …).
func userCan(c *gin.Context, key string) bool {
	u := userOf(c)
	if u == nil {
		return false
	}
	return can(u.Role)[key]
}

// describeAssignees adds to the review page whom the article is assigned
// to and what the person looking may do about it.
func (h *Handler) describeAssignees(ctx context.Context, p *reviewPage, who models.Actor) error {
	var err error
	if p.Assignees, err = h.svc.Assignments(ctx, who, p.Article.ID); err != nil {
		return err
	}
	p.May.Assign = reviewers.Allowed(who.Role, reviewers.ActAssign)
	p.May.Take = !p.May.Assign && len(p.Assignees) == 0 && reviewers.Allowed(who.Role, reviewers.ActSelfAssign) && !h.svc.Config().NoSelfAssign
	if p.May.Assign {
		p.Priorities = models.Priorities
		if p.Assignable, err = h.svc.Assignable(ctx, who); err != nil {
			return err
		}
	}
	return nil
}
