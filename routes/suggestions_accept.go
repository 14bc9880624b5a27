package routes

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
)

// acceptRequest is the body of POST
// /api/v1/articles/{id}/suggestions/accept: a range of sentence numbers,
// or a least confidence, or confident.
type acceptRequest struct {
	From          *int     `json:"from"`
	To            *int     `json:"to"`
	MinConfidence *float64 `json:"min_confidence"`
	Confident     bool     `json:"confident"`
}

func (r acceptRequest) scope() (reviewers.AcceptScope, error) {
	sc := reviewers.AcceptScope{MinConfidence: r.MinConfidence, Confident: r.Confident}
	switch {
	case r.From == nil && r.To == nil:
	case r.From == nil:
		return sc, models.FieldError("from", "from is required with to")
	case r.To == nil:
		return sc, models.FieldError("to", "to is required with from")
	default:
		if *r.From < 1 {
			return sc, models.FieldError("from", "from is a sentence number, 1 or more")
		}
		sc.From, sc.To = *r.From, *r.To
	}
	return sc, nil
}

func (h *Handler) acceptSuggestions(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req acceptRequest
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	sc, err := req.scope()
	if err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.svc.AcceptSuggestions(c.Request.Context(), actor(c), id, sc)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// acceptSuggestionsForm accepts suggestions in bulk from the review page
// (fields from and to, or confident=1, or min_confidence) and comes back
// to the article saying how many.
func (h *Handler) acceptSuggestionsForm(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req acceptRequest
	number := func(name string) (*int, error) {
		v := strings.TrimSpace(c.PostForm(name))
		if v == "" {
			return nil, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, models.FieldError(name, "%s is a sentence number", name)
		}
		return &n, nil
	}
	if req.From, err = number("from"); err == nil {
		req.To, err = number("to")
	}
	if v := strings.TrimSpace(c.PostForm("min_confidence")); err == nil && v != "" {
		f, perr := strconv.ParseFloat(v, 64)
		if perr != nil {
			err = models.FieldError("min_confidence", "min_confidence is a number between 0 and 1")
		}
		req.MinConfidence = &f
	}
	req.Confident = c.PostForm("confident") != "" && c.PostForm("confident") != "0"
	var sc reviewers.AcceptScope
	if err == nil {
		sc, err = req.scope()
	}
	var res *reviewers.AcceptResult
	if err == nil {
		res, err = h.svc.AcceptSuggestions(c.Request.Context(), actor(c), id, sc)
	}
	if err != nil {
		if status, d := classify(err); status < 500 && status != http.StatusForbidden {
			// The layout says "Not done:" before every problem.
			h.backToArticle(c, id, 0, d.Message, true)
			return
		}
		h.fail(c, err)
		return
	}
	first := 0
	if len(res.Accepted) > 0 {
		first = res.Accepted[0].Number()
	}
	h.backToArticle(c, id, first, acceptedMessage(res), false)
}

// acceptedMessage says what a bulk accept did: "Accepted 12 suggestions
// (sentences 3–9); z undoes them one by one."
func acceptedMessage(res *reviewers.AcceptResult) string {
	scope := fmt.Sprintf("confidence %s or more", strconv.FormatFloat(res.MinConfidence, 'f', -1, 64))
	switch {
	case res.From != 0 && res.From == res.To:
		scope = fmt.Sprintf("sentence %d", res.From)
	case res.From != 0:
		scope = fmt.Sprintf("sentences %d–%d", res.From, res.To)
	}
	var msg string
	switch n := len(res.Accepted); n {
	case 0:
		msg = fmt.Sprintf("No suggestion accepted (%s): no sentence there is unreviewed with a suggestion.", scope)
	case 1:
		msg = fmt.Sprintf("Accepted 1 suggestion (%s); z undoes it.", scope)
	default:
		msg = fmt.Sprintf("Accepted %d suggestions (%s); z undoes them one by one.", n, scope)
	}
	switch {
	case res.Skipped == 1 && len(res.Accepted) > 0:
		msg += " 1 sentence was left as it was (already labeled or excluded, or without a suggestion)."
	case res.Skipped > 1 && len(res.Accepted) > 0:
		msg += fmt.Sprintf(" %d sentences were left as they were (already labeled or excluded, or without a suggestion).", res.Skipped)
	}
	return msg
}
