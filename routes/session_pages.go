package routes

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"

	"factdesk/auth"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

type loginPage struct {
	Email string
	Next  string
	// Problem is why the last attempt did not sign in; the form shows it
	// by the password field, which gets the focus.
	Problem string
	// WrongPassword marks the password field invalid.
	WrongPassword bool
}

func (h *Handler) showLogin(c *gin.Context) {
	if userOf(c) != nil {
		c.Redirect(http.StatusSeeOther, safeNext(c.Query("next")))
		return
	}
	h.renderLoginPage(c, http.StatusOK, loginPage{Next: c.Query("next")})
}

// renderLogin shows the sign-in form again with the e-mail address kept
// and the problem by the password field.
func (h *Handler) renderLogin(c *gin.Context, status int, email, next, problem string) {
	h.renderLoginPage(c, status, loginPage{Email: email, Next: next, Problem: problem})
}

// renderLoginPage shows the sign-in form with a fresh double-submit token.
func (h *Handler) renderLoginPage(c *gin.Context, status int, p loginPage) {
	token := auth.NewSecret()
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCSRF, Value: token, Path: "/login", HttpOnly: true,
		Secure: c.Request.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	p.Next = safeNext(p.Next)
	h.render(c, status, "login", web.Page{Title: "Sign in", CSRF: token, Data: p})
}

func (h *Handler) login(c *gin.Context) {
	email, password, next := c.PostForm("email"), c.PostForm("password"), c.PostForm("next")
	u, err := h.svc.SignIn(c.Request.Context(), email, password, c.ClientIP())
	if err != nil {
		switch models.ErrorCode(err) {
		case models.EUNAUTHORIZED, models.ETHROTTLED:
			if e, ok := models.AsError(err); ok && e.Code == models.ETHROTTLED {
				if d, ok := e.Data.(time.Duration); ok {
					c.Header("Retry-After", strings.TrimSuffix(d.Round(time.Second).String(), "s"))
				}
			}
			status, d := classify(err)
			h.renderLoginPage(c, status, loginPage{Email: email, Next: next, Problem: d.Message,
				WrongPassword: models.ErrorCode(err) == models.EUNAUTHORIZED})
		default:
			h.fail(c, err)
		}
		return
	}
	secret := auth.NewSecret()
	now := h.store.Now()
	sess := &models.Session{IDHash: auth.Digest(secret), UserID: u.ID, CSRFToken: auth.NewSecret(),
		RemoteAddr: c.ClientIP(), UserAgent: truncate(c.Request.UserAgent(), 300),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(h.cfg.SessionTTL)}
	if err := h.store.SignIn(c.Request.Context(), u, sess, reviewers.SignInKeys(email, c.ClientIP())); err != nil {
		h.fail(c, err)
		return
	}
	// A new id at every sign-in: a session id planted before sign-in is
	// worth nothing after it.
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: c.Request.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt,
		MaxAge: int(h.cfg.SessionTTL.Seconds())})
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCSRF, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true})
	h.logger(c).Info("signed in", "user_id", u.ID)
	c.Redirect(http.StatusSeeOther, safeNext(next))
}

func (h *Handler) logout(c *gin.Context) {
	if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
		if err := h.store.DeleteSession(c.Request.Context(), auth.Digest(v)); err != nil {
			h.fail(c, err)
			return
		}
	}
	h.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/login")
}

func (h *Handler) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: c.Request.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// safeNext keeps a post-sign-in redirect on this site: a path, parsed,
// with no scheme or host, that does not start with "//", and that holds
// no backslash or control character anywhere — browsers drop tabs and
// newlines from a Location and read "\\" as "/", so "/\t/host" and
// "/\\host" would leave for another site. Anything else goes to My work.
func safeNext(next string) string {
	const home = "/work"
	if next == "" || strings.ContainsRune(next, '\\') || strings.IndexFunc(next, unicode.IsControl) >= 0 {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return home
	}
	// The path as the browser will see it once it decodes it.
	if strings.HasPrefix(next, "//") || strings.ContainsRune(u.Path, '\\') || strings.IndexFunc(u.Path, unicode.IsControl) >= 0 {
		return home
	}
	return next
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
