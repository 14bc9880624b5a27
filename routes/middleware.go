package routes

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/auth"
	"factdesk/models"
	"factdesk/reviewers"
)

// Keys of the values middleware leaves in the gin context.
const (
	ctxRequestID = "request_id"
	ctxUser      = "user"
	ctxSession   = "session"
	ctxAuthKind  = "auth_kind" // "session", "token" or ""
)

const (
	sessionCookie = "factdesk_session"
	loginCSRF     = "factdesk_login_csrf"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
)

// requestID gives every request an id, in the response header and in
// every log line about it.
func (h *Handler) requestID(c *gin.Context) {
	id := auth.NewSecret()[:16]
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	c.Next()
}

func requestIDOf(c *gin.Context) string { return c.GetString(ctxRequestID) }

// logger returns the handler's logger with the request id attached.
func (h *Handler) logger(c *gin.Context) *slog.Logger {
	return h.log.With("request_id", requestIDOf(c))
}

// recoverPanic turns a panic into a logged 500 instead of a dropped
// connection; the stack goes to the log, never to the client.
func (h *Handler) recoverPanic(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.logger(c).Error("panic", "error", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				h.fail(c, fmt.Errorf("panic: %v", v))
			}
			c.Abort()
		}
	}()
	c.Next()
}

// logRequests logs one line per request: method, route, status, time.
func (h *Handler) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	if route == "/healthz" || route == "/readyz" || route == "/static/:file" {
		level = slog.LevelDebug
	}
	if h.cfg.Observe != nil {
		h.cfg.Observe(c.Request.Method, c.FullPath(), c.Writer.Status(), time.Since(start))
	}
	h.log.Log(c.Request.Context(), level, "request", "request_id", requestIDOf(c), "method", c.Request.Method,
		"route", route, "status", c.Writer.Status(), "duration_ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", c.Writer.Size())
}

// requestTimeout gives every request but an event stream a deadline
// (Config.RequestTimeout): the database calls under it end then, and the
// request is answered 503 instead of hanging while the database is away.
func (h *Handler) requestTimeout(c *gin.Context) {
	if h.cfg.RequestTimeout <= 0 || strings.HasSuffix(c.FullPath(), "/events") {
		c.Next()
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), h.cfg.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// contentSecurityPolicy allows only factdesk's own script and style: no
// inline script, no inline style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (h *Handler) securityHeaders(c *gin.Context) {
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if c.Request.TLS != nil {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if isAPI(c) {
		// Answers about a newsroom's work are nobody's to keep; the public
		// documents (the OpenAPI file, the report schema) say otherwise.
		hd.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// limitBody caps every request body; reading past the cap fails with an
// error the error mapper answers with 413.
func (h *Handler) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, h.cfg.MaxRequestBytes)
	}
	c.Next()
}

// authenticate finds who is asking: a bearer token (API clients) or a
// session cookie (browsers). A bad bearer token is refused at once; a bad
// cookie is treated as no cookie.
func (h *Handler) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	if authz := c.GetHeader("Authorization"); authz != "" {
		tok, ok := strings.CutPrefix(authz, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			h.abort(c, models.Errorf(models.EUNAUTHORIZED, "the Authorization header must be \"Bearer <token>\""))
			return
		}
		_, u, err := h.store.TokenUser(ctx, auth.Digest(strings.TrimSpace(tok)))
		if err != nil {
			if models.ErrorCode(err) == models.ENOTFOUND {
				err = models.Errorf(models.EUNAUTHORIZED, "the API token is not valid, or was revoked")
			}
			h.abort(c, err)
			return
		}
		c.Set(ctxUser, u)
		c.Set(ctxAuthKind, "token")
		c.Next()
		return
	}
	if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
		sess, u, err := h.store.SessionUser(ctx, auth.Digest(v))
		switch {
		case err == nil:
			c.Set(ctxUser, u)
			c.Set(ctxSession, sess)
			c.Set(ctxAuthKind, "session")
		case models.ErrorCode(err) == models.ENOTFOUND:
			h.clearSessionCookie(c)
		default:
			h.abort(c, err)
			return
		}
	}
	c.Next()
}

// checkCSRF guards every state-changing request a browser makes with its
// cookie: the session's token must come back in the form or a header.
// Requests authenticated by bearer token carry no ambient credentials and
// need no token. The sign-in form, made before any session exists, uses a
// double-submit cookie.
func (h *Handler) checkCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if c.GetString(ctxAuthKind) == "token" {
		c.Next()
		return
	}
	if sessionOf(c) == nil && c.FullPath() != "/login" {
		// Nobody is signed in: there is no ambient credential to abuse,
		// and the route's own check answers 401 or sends to sign-in.
		c.Next()
		return
	}
	if err := h.crossOrigin.Check(c.Request); err != nil {
		h.abort(c, models.Errorf(models.EFORBIDDEN, "cross-origin request refused"))
		return
	}
	want := ""
	if sess := sessionOf(c); sess != nil {
		want = sess.CSRFToken
	} else if v, err := c.Cookie(loginCSRF); err == nil {
		want = v
	}
	got := c.GetHeader(csrfHeader)
	if got == "" {
		got = c.PostForm(csrfField)
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		if sessionOf(c) == nil && !isAPI(c) && c.FullPath() == "/login" {
			// An expired sign-in form: show a fresh one rather than an error.
			h.renderLogin(c, http.StatusForbidden, c.PostForm("email"), c.PostForm("next"), "The sign-in form expired; please sign in again.")
			c.Abort()
			return
		}
		h.abort(c, models.Errorf(models.EFORBIDDEN, "missing or wrong CSRF token; reload the page and try again"))
		return
	}
	c.Next()
}

// userOf returns the signed-in user, or nil.
func userOf(c *gin.Context) *models.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*models.User)
	}
	return nil
}

func sessionOf(c *gin.Context) *models.Session {
	if v, ok := c.Get(ctxSession); ok {
		return v.(*models.Session)
	}
	return nil
}

// actor returns who is asking, for the business layer.
func actor(c *gin.Context) models.Actor {
	if u := userOf(c); u != nil {
		return u.Actor()
	}
	return models.Actor{}
}

// api requires a signed-in user allowed to do a, answering JSON otherwise.
func (h *Handler) api(a reviewers.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := userOf(c)
		if u == nil {
			h.abort(c, models.Errorf(models.EUNAUTHORIZED, "sign in, or send an API token as \"Authorization: Bearer <token>\""))
			return
		}
		if err := reviewers.Authorize(u.Actor(), a); err != nil {
			h.abort(c, err)
			return
		}
		c.Next()
	}
}

// page requires a signed-in user allowed to do a; anonymous visitors are
// sent to the sign-in page and come back afterwards.
func (h *Handler) page(a reviewers.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := userOf(c)
		if u == nil {
			next := c.Request.URL.RequestURI()
			c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(next))
			c.Abort()
			return
		}
		if err := reviewers.Authorize(u.Actor(), a); err != nil {
			h.abort(c, err)
			return
		}
		c.Next()
	}
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }
