package routes

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/auth"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

type usersPage struct {
	Users          []models.User
	UserNames      map[int64]string
	Tokens         []models.APIToken
	Roles          []models.Role
	Form           userForm
	NewSecret      string
	NewSecretLabel string
	// DisableNote says how soon disabling a user counts.
	DisableNote string
}

type userForm struct {
	Name, Email, Role string
}

// usersData loads what the users page shows.
func (h *Handler) usersData(c *gin.Context) (*usersPage, error) {
	ctx := c.Request.Context()
	us, err := h.svc.Users(ctx, actor(c))
	if err != nil {
		return nil, err
	}
	ts, err := h.svc.Tokens(ctx, actor(c))
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(us))
	for _, u := range us {
		names[u.ID] = u.Name
	}
	return &usersPage{Users: us, UserNames: names, Tokens: ts, Roles: models.Roles, Form: userForm{Role: string(models.RoleChecker)},
		DisableNote: h.disableNote()}, nil
}

// disableNote tells an admin how soon disabling a user counts: at once on
// this server, and on the others once they stop trusting the API tokens
// they have looked up (the token cache, models.DefaultTokenCacheTTL unless
// serve --token-cache says otherwise).
func (h *Handler) disableNote() string {
	ttl := h.store.TokenCacheTTL()
	if ttl <= 0 {
		return "Takes effect at once on every server."
	}
	return "Takes effect at once here and within " + spellDuration(ttl) + " on other servers."
}

// spellDuration writes a short duration for a sentence: "5 seconds".
func spellDuration(d time.Duration) string {
	switch {
	case d == time.Second:
		return "1 second"
	case d%time.Minute == 0 && d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%d seconds", d/time.Second)
	}
	return d.String()
}

func (h *Handler) showUsers(c *gin.Context, status int, flash, problem string, edit func(*usersPage)) {
	data, err := h.usersData(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if edit != nil {
		edit(data)
	}
	h.render(c, status, "users", web.Page{Title: "Users", Nav: "users", Flash: flash, Error: problem, Data: data})
}

// listUsersPage shows the users and tokens, and once the secret a form
// made just before (a new token, a generated password), if any.
func (h *Handler) listUsersPage(c *gin.Context) {
	data, err := h.usersData(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	sec, err := h.takeSecret(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if sec != nil {
		data.NewSecret, data.NewSecretLabel = sec.Value, sec.Label
	}
	h.render(c, http.StatusOK, "users", web.Page{Title: "Users", Nav: "users", Data: data})
}

func (h *Handler) createUserPage(c *gin.Context) {
	in := reviewers.NewUserInput{Email: c.PostForm("email"), Name: c.PostForm("name"),
		Role: models.Role(c.PostForm("role")), Password: c.PostForm("password")}
	u, pw, err := h.svc.CreateUser(c.Request.Context(), actor(c), in)
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) {
			h.showUsers(c, status, "", msg, func(p *usersPage) {
				p.Form = userForm{Name: in.Name, Email: in.Email, Role: string(in.Role)}
			})
		})
		return
	}
	var sec *models.PendingSecret
	if in.Password == "" {
		sec = &models.PendingSecret{Label: "Password for " + u.Email, Value: pw}
	}
	h.usersDone(c, fmt.Sprintf("Added %s as %s.", u.Name, u.Role), sec)
}

func (h *Handler) updateUserPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	again := func(status int, msg string) { h.showUsers(c, status, "", msg, nil) }
	if c.PostForm("disabled") == "" && c.PostForm("reset_password") != "" {
		// A new password revokes the user's API tokens: the admin is told
		// how many.
		pw := auth.NewPassword()
		u, revoked, err := h.svc.SetPassword(c.Request.Context(), actor(c), id, pw)
		if err != nil {
			h.formFailed(c, err, again)
			return
		}
		h.usersDone(c, "New password set for "+u.Name+"; "+reviewers.PasswordSetNote(revoked)+".",
			&models.PendingSecret{Label: "New password for " + u.Email, Value: pw})
		return
	}
	var up reviewers.UserUpdate
	if c.PostForm("disabled") != "" {
		d := c.PostForm("disabled") == "true"
		up.Disabled = &d
	} else {
		r := models.Role(c.PostForm("role"))
		up.Role = &r
	}
	u, err := h.svc.UpdateUser(c.Request.Context(), actor(c), id, up)
	if err != nil {
		h.formFailed(c, err, again)
		return
	}
	flash := "Saved " + u.Name + "."
	if up.Disabled != nil && *up.Disabled {
		flash = "Disabled " + u.Name + ": their sessions were ended and their API tokens revoked. " + h.disableNote()
	}
	h.usersDone(c, flash, nil)
}

func (h *Handler) createTokenPage(c *gin.Context) {
	uid, err := strconv.ParseInt(c.PostForm("user_id"), 10, 64)
	if err != nil {
		uid = actor(c).ID
	}
	t, secret, err := h.svc.CreateToken(c.Request.Context(), actor(c), uid, c.PostForm("name"))
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) { h.showUsers(c, status, "", msg, nil) })
		return
	}
	h.usersDone(c, "Token “"+t.Name+"” created.", &models.PendingSecret{Label: "API token “" + t.Name + "”", Value: secret})
}

func (h *Handler) revokeTokenPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.RevokeToken(c.Request.Context(), actor(c), id); err != nil {
		h.formFailed(c, err, func(status int, msg string) { h.showUsers(c, status, "", msg, nil) })
		return
	}
	h.usersDone(c, "Token revoked.", nil)
}

// pendingSecretTTL is how long a new secret waits for the page that shows
// it: the redirect follows at once, so minutes are plenty.
const pendingSecretTTL = 5 * time.Minute

// usersDone ends a successful form of the users page: back to the page
// with the confirmation, and the secret the form made, if any, kept on the
// browser's session for that page to show once (never in a cookie or the
// URL, so that a reload or the history cannot show it again). Where there
// is no session to keep it on, there is no page to reload either, and the
// page with the secret comes at once: a script posting the form with an
// API token, and an admin who gave themselves a new password (which ends
// their sessions).
func (h *Handler) usersDone(c *gin.Context, flash string, sec *models.PendingSecret) {
	if sec != nil {
		held, err := h.holdSecret(c, *sec)
		if err != nil {
			h.fail(c, err)
			return
		}
		if !held {
			h.showUsers(c, http.StatusOK, flash, "", func(p *usersPage) { p.NewSecret, p.NewSecretLabel = sec.Value, sec.Label })
			return
		}
	}
	h.setFlash(c, flash)
	c.Redirect(http.StatusSeeOther, "/users")
}

// holdSecret keeps sec on the browser's session for the next page to show;
// false when there is no session to keep it on (none, or the form just
// ended it).
func (h *Handler) holdSecret(c *gin.Context, sec models.PendingSecret) (bool, error) {
	cookie, err := c.Cookie(sessionCookie)
	if sessionOf(c) == nil || err != nil {
		return false, nil
	}
	err = h.store.HoldSecret(c.Request.Context(), cookie, sec, pendingSecretTTL)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return false, nil
	}
	return err == nil, err
}

// takeSecret returns the secret held for the browser's session, clearing
// it; nil when there is none.
func (h *Handler) takeSecret(c *gin.Context) (*models.PendingSecret, error) {
	cookie, err := c.Cookie(sessionCookie)
	if sessionOf(c) == nil || err != nil {
		return nil, nil
	}
	sec, err := h.store.TakeSecret(c.Request.Context(), cookie)
	if models.ErrorCode(err) == models.ENOTFOUND {
		return nil, nil
	}
	return sec, err
}

// formFailed shows a user's mistake on the form they sent (again, with
// their input) and anything else as an error page.
func (h *Handler) formFailed(c *gin.Context, err error, again func(status int, msg string)) {
	status, d := classify(err)
	switch status {
	case http.StatusUnprocessableEntity, http.StatusConflict, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		again(status, d.Message)
	default:
		h.fail(c, err)
	}
}
