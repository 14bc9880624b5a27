package routes

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/web"
)

// statusOf maps an error code to its HTTP status: the one place where the
// business layer's words become HTTP's.
func statusOf(code string) int {
	switch code {
	case models.EINVALID:
		return http.StatusUnprocessableEntity
	case models.EMALFORMED:
		return http.StatusBadRequest
	case models.ENOTFOUND:
		return http.StatusNotFound
	case models.ECONFLICT:
		return http.StatusConflict
	case models.EFORBIDDEN:
		return http.StatusForbidden
	case models.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case models.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case models.EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case models.ETHROTTLED:
		return http.StatusTooManyRequests
	case models.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON every API error answers with.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// classify turns any error into what a client may see.
func classify(err error) (status int, d errorDetail) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, errorDetail{Code: models.ETOOLARGE,
			Message: "the request is larger than the server accepts"}
	}
	code := models.ErrorCode(err)
	d = errorDetail{Code: code, Message: models.ErrorMessage(err)}
	if e, ok := models.AsError(err); ok {
		d.Field = e.Field
		d.Data = e.Data
	}
	return statusOf(code), d
}

// fail answers with err: JSON under /api/, an error page elsewhere.
// Internal errors are logged with the request id and never shown.
func (h *Handler) fail(c *gin.Context, err error) {
	status, d := classify(err)
	if status >= 500 {
		h.logger(c).Error("request failed", "status", status, "error", err)
	}
	if status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "5")
	}
	if isAPI(c) || wantsJSON(c) {
		c.JSON(status, errorBody{Error: d})
		return
	}
	if status == http.StatusUnauthorized {
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	h.render(c, status, "error", web.Page{Title: http.StatusText(status), Data: errorPage{
		Heading: http.StatusText(status), Message: d.Message,
	}})
}

// abort answers with err and stops the handler chain.
func (h *Handler) abort(c *gin.Context, err error) {
	h.fail(c, err)
	c.Abort()
}

type errorPage struct {
	Heading string
	Message string
}

func wantsJSON(c *gin.Context) bool {
	return c.GetHeader("Accept") == "application/json"
}

func (h *Handler) notFound(c *gin.Context) {
	h.fail(c, models.Errorf(models.ENOTFOUND, "there is nothing at %s", c.Request.URL.Path))
}

func (h *Handler) methodNotAllowed(c *gin.Context) {
	err := &models.Error{Code: "method_not_allowed", Message: c.Request.Method + " is not allowed here"}
	if isAPI(c) {
		c.JSON(http.StatusMethodNotAllowed, errorBody{Error: errorDetail{Code: err.Code, Message: err.Message}})
		return
	}
	h.render(c, http.StatusMethodNotAllowed, "error", web.Page{Title: "Method not allowed", Data: errorPage{Heading: "Method not allowed", Message: err.Message}})
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
