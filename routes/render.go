package routes

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// render fills the layout's part of p (who is signed in, the CSRF token,
// what they may do) and writes the page. It renders into a buffer first,
// so that a template error becomes a clean 500 instead of half a page.
func (h *Handler) render(c *gin.Context, status int, page string, p web.Page) {
	if u := userOf(c); u != nil {
		p.User = &web.User{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role)}
		p.Can = can(u.Role)
		// The header's counts; a page still renders when they fail.
		if d, err := h.svc.Desk(c.Request.Context(), u.Actor()); err == nil {
			p.Desk = &web.Desk{Unread: d.Unread, Work: d.Work}
		} else {
			h.logger(c).Warn("count the header's work", "error", err)
		}
	}
	if sess := sessionOf(c); sess != nil {
		p.CSRF = sess.CSRFToken
	} else if p.CSRF == "" {
		if v, err := c.Cookie(loginCSRF); err == nil {
			p.CSRF = v
		}
	}
	if p.Flash == "" && p.Error == "" {
		msg := h.takeFlash(c)
		if m, ok := strings.CutPrefix(msg, errorFlashPrefix); ok {
			p.Error = m
		} else {
			p.Flash = msg
		}
	}
	p.RequestID = requestIDOf(c)
	var buf bytes.Buffer
	if err := h.web.Render(&buf, page, p); err != nil {
		h.logger(c).Error("render page", "page", page, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error rendering the page; request "+requestIDOf(c)))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// can says what a role may do, for the layout and the pages.
func can(r models.Role) map[string]bool {
	return map[string]bool{
		"import":     reviewers.Allowed(r, reviewers.ActImport),
		"edit":       reviewers.Allowed(r, reviewers.ActEdit),
		"submit":     reviewers.Allowed(r, reviewers.ActSubmit),
		"decide":     reviewers.Allowed(r, reviewers.ActDecide),
		"users":      reviewers.Allowed(r, reviewers.ActManageUsers),
		"assign":     reviewers.Allowed(r, reviewers.ActAssign),
		"selfassign": reviewers.Allowed(r, reviewers.ActSelfAssign),
		"webhooks":   reviewers.Allowed(r, reviewers.ActWebhooks),
	}
}

func (h *Handler) static(c *gin.Context) {
	h.web.ServeAsset(c.Writer, c.Request, c.Param("file"))
}

const flashCookie = "factdesk_flash"

// setFlash keeps a confirmation for the page the user is redirected to.
// It travels in a short-lived cookie rather than the URL, so that nobody
// can put words in factdesk's mouth with a crafted link.
func (h *Handler) setFlash(c *gin.Context, msg string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: c.Request.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// errorFlashPrefix marks a flash that reports a problem.
const errorFlashPrefix = "!"

// setError keeps a problem to show on the page the user is redirected to.
func (h *Handler) setError(c *gin.Context, msg string) { h.setFlash(c, errorFlashPrefix+msg) }

// takeFlash reads and clears the confirmation, if any. The cookie's raw
// value is unescaped once here (gin's Cookie would unescape it too, and a
// second unescape loses every "%" and "+" of the message).
func (h *Handler) takeFlash(c *gin.Context) string {
	ck, err := c.Request.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	msg, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return ""
	}
	return msg
}
