package routes

import (
	"fmt"
	"net/http"
	"strconv"

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
	return &usersPage{Users: us, UserNames: names, Tokens: ts, Roles: models.Roles, Form: userForm{Role: string(models.RoleChecker)}}, nil
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

func (h *Handler) listUsersPage(c *gin.Context) {
	h.showUsers(c, http.StatusOK, "", "", nil)
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
	h.showUsers(c, http.StatusOK, fmt.Sprintf("Added %s as %s.", u.Name, u.Role), "", func(p *usersPage) {
		if in.Password == "" {
			p.NewSecret, p.NewSecretLabel = pw, "Password for "+u.Email
		}
	})
}

func (h *Handler) updateUserPage(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var up reviewers.UserUpdate
	var newPassword string
	switch {
	case c.PostForm("disabled") != "":
		d := c.PostForm("disabled") == "true"
		up.Disabled = &d
	case c.PostForm("reset_password") != "":
		newPassword = auth.NewPassword()
		up.Password = &newPassword
	default:
		r := models.Role(c.PostForm("role"))
		up.Role = &r
	}
	u, err := h.svc.UpdateUser(c.Request.Context(), actor(c), id, up)
	if err != nil {
		h.formFailed(c, err, func(status int, msg string) { h.showUsers(c, status, "", msg, nil) })
		return
	}
	h.showUsers(c, http.StatusOK, "Saved "+u.Name+".", "", func(p *usersPage) {
		if newPassword != "" {
			p.NewSecret, p.NewSecretLabel = newPassword, "New password for "+u.Email
		}
	})
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
	h.showUsers(c, http.StatusOK, "Token “"+t.Name+"” created.", "", func(p *usersPage) {
		p.NewSecret, p.NewSecretLabel = secret, "API token “"+t.Name+"”"
	})
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
	h.setFlash(c, "Token revoked.")
	c.Redirect(http.StatusSeeOther, "/users")
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
