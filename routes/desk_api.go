package routes

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/live"
	"factdesk/models"
	"factdesk/reviewers"
)

// registerDesk registers the desk: assignments, My work, the inbox and
// its live count, and notification settings.
func (h *Handler) registerDesk(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/articles/:id/assignees", h.api(reviewers.ActRead), h.listAssignees)
	api.POST("/articles/:id/assignees", h.api(reviewers.ActSelfAssign), h.addAssignee)
	api.DELETE("/articles/:id/assignees/:user_id", h.api(reviewers.ActSelfAssign), h.removeAssignee)
	api.GET("/me/work", h.api(reviewers.ActRead), h.myWork)
	api.GET("/people", h.api(reviewers.ActRead), h.listPeople)
	api.GET("/notifications", h.api(reviewers.ActRead), h.listNotifications)
	api.POST("/notifications/read", h.api(reviewers.ActRead), h.readNotifications)
	api.GET("/notifications/events", h.api(reviewers.ActRead), h.inboxEvents)
	api.GET("/me/notification-settings", h.api(reviewers.ActRead), h.getNotificationSettings)
	api.PUT("/me/notification-settings", h.api(reviewers.ActRead), h.putNotificationSettings)

	r.GET("/work", h.page(reviewers.ActRead), h.showWork)
	r.GET("/inbox", h.page(reviewers.ActRead), h.showInbox)
	r.POST("/inbox/read", h.page(reviewers.ActRead), h.readNotificationsForm)
	r.POST("/inbox/:id/open", h.page(reviewers.ActRead), h.openNotification)
	r.GET("/settings/notifications", h.page(reviewers.ActRead), h.showNotificationSettings)
	r.POST("/settings/notifications", h.page(reviewers.ActRead), h.saveNotificationSettings)
	r.POST("/articles/:id/assignees", h.page(reviewers.ActSelfAssign), h.assignForm)
	r.POST("/articles/:id/assignees/:user_id/delete", h.page(reviewers.ActSelfAssign), h.unassignForm)
	r.POST("/articles/assign", h.page(reviewers.ActAssign), h.bulkAssignForm)
}

// assigneeRequest is the body of POST /api/v1/articles/{id}/assignees.
type assigneeRequest struct {
	UserID   *int64  `json:"user_id"`
	DueAt    *string `json:"due_at"`
	Priority string  `json:"priority"`
}

func (h *Handler) listAssignees(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	h.answerAssignees(c, http.StatusOK, id)
}

// answerAssignees answers with the article's assignees.
func (h *Handler) answerAssignees(c *gin.Context, status int, articleID int64) {
	as, err := h.svc.Assignments(c.Request.Context(), actor(c), articleID)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(status, gin.H{"assignees": as})
}

func (h *Handler) addAssignee(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req assigneeRequest
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("user_id", req.UserID); err != nil {
		h.fail(c, err)
		return
	}
	na := models.NewAssignment{UserID: *req.UserID, Priority: models.Priority(req.Priority)}
	if req.DueAt != nil && *req.DueAt != "" {
		t, err := time.Parse(time.RFC3339, *req.DueAt)
		if err != nil {
			h.fail(c, models.FieldError("due_at", "due_at must be an RFC 3339 time, such as 2026-12-07T18:00:00Z"))
			return
		}
		t = t.UTC().Truncate(time.Second)
		na.DueAt = &t
	}
	if _, err := h.svc.Assign(c.Request.Context(), actor(c), []int64{id}, na); err != nil {
		h.fail(c, err)
		return
	}
	h.answerAssignees(c, http.StatusCreated, id)
}

// assigneeParams reads an assignment's path: the article and the user.
func assigneeParams(c *gin.Context) (articleID, userID int64, err error) {
	if articleID, err = idParam(c, "id"); err != nil {
		return 0, 0, err
	}
	userID, err = idParam(c, "user_id")
	return articleID, userID, err
}

func (h *Handler) removeAssignee(c *gin.Context) {
	id, userID, err := assigneeParams(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.Unassign(c.Request.Context(), actor(c), id, userID); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *Handler) myWork(c *gin.Context) {
	w, err := h.svc.Work(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := gin.H{"assigned": w.Assigned, "sent_back": w.SentBack, "mentions": w.Mentions}
	if userCan(c, "decide") {
		out["to_decide"], out["overdue"], out["unassigned"] = w.ToDecide, w.Overdue, w.Unassigned
	}
	c.JSON(http.StatusOK, out)
}

// notificationFilter reads the inbox's query: ?unread=true, cursor, limit.
func notificationFilter(c *gin.Context) (models.NotificationFilter, error) {
	var f models.NotificationFilter
	if v := c.Query("unread"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, models.FieldError("unread", "unread is true or false")
		}
		f.Unread = b
	}
	before, limit, err := pageParams(c)
	if err != nil {
		return f, err
	}
	f.Before, f.Limit = before, limit
	return f, nil
}

func (h *Handler) listNotifications(c *gin.Context) {
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
	c.JSON(http.StatusOK, page)
}

// maxReadIDs bounds the ids of one mark-read request.
const maxReadIDs = 1000

func (h *Handler) readNotifications(c *gin.Context) {
	var req struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if !req.All && len(req.IDs) == 0 {
		h.fail(c, models.FieldError("ids", `name the notifications to mark read ("ids": [1, 2]) or send "all": true`))
		return
	}
	if len(req.IDs) > maxReadIDs {
		h.fail(c, models.FieldError("ids", "at most %d ids at once", maxReadIDs))
		return
	}
	n, err := h.svc.MarkRead(c.Request.Context(), actor(c), req.IDs, req.All)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unread": n})
}

func (h *Handler) getNotificationSettings(c *gin.Context) {
	prefs, err := h.svc.NotificationPrefs(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"mail_enabled": h.store.Mail().Enabled, "settings": prefs})
}

func (h *Handler) putNotificationSettings(c *gin.Context) {
	var req struct {
		Settings []models.NotificationPref `json:"settings"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.SetNotificationPrefs(c.Request.Context(), actor(c), req.Settings); err != nil {
		h.fail(c, err)
		return
	}
	h.getNotificationSettings(c)
}

// inboxEvents streams "inbox" events to the person whenever their inbox
// changes (a notification arrives, or they read one in another tab), so
// that every open page keeps its unread count without polling.
func (h *Handler) inboxEvents(c *gin.Context) {
	who := actor(c)
	ch, cancel, ok := h.subscribe(c, func(b live.Broker) (<-chan live.Event, func(), error) { return b.SubscribeUser(who.ID) })
	if !ok {
		return
	}
	defer cancel()
	n, err := h.store.UnreadNotifications(c.Request.Context(), who.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.stream(c, fmt.Sprintf(`{"unread":%d}`, n), ch, h.streamGuard(c, 0), func(live.Event) (string, string, bool) { return h.inboxEvent(c, who.ID) })
}

// notificationLink keeps a notification's link on this site.
func notificationLink(n *models.Notification) string {
	if strings.HasPrefix(n.Link, "/") && !strings.HasPrefix(n.Link, "//") {
		return n.Link
	}
	if n.ArticleID != nil {
		return fmt.Sprintf("/articles/%d", *n.ArticleID)
	}
	return "/inbox"
}

// person is someone as anyone signed in may see them: for @mentions.
type person struct {
	ID   int64       `json:"id"`
	Name string      `json:"name"`
	Role models.Role `json:"role"`
}

// listPeople lists the active users by name and role, without their
// addresses, for completing @mentions.
func (h *Handler) listPeople(c *gin.Context) {
	users, err := h.svc.People(c.Request.Context(), actor(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]person, len(users))
	for i, u := range users {
		out[i] = person{ID: u.ID, Name: u.Name, Role: u.Role}
	}
	c.JSON(http.StatusOK, gin.H{"people": out})
}
