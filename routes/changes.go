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

// registerChanges lists the route that tells editors what changed in an
// article during a review round.
func (h *Handler) registerChanges(_ *gin.Engine, api *gin.RouterGroup) {
	api.GET("/articles/:id/changes", h.api(reviewers.ActRead), h.roundChanges)
}

// roundChanges answers GET /api/v1/articles/{id}/changes?round=N: the
// sentences changed during round N (default: the latest round) with their
// state before and after.
func (h *Handler) roundChanges(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	round := 0
	if v := c.Query("round"); v != "" {
		round, err = strconv.Atoi(v)
		if err != nil || round < 1 {
			h.fail(c, models.FieldError("round", "round must be a review round number, 1 or more"))
			return
		}
	}
	ch, err := h.svc.RoundChanges(c.Request.Context(), actor(c), id, round)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ch)
}

// changeWords says what changed in a sentence over a round, one line per
// change: its state field by field ("label: fact → allegation"), its
// attribution ("attribution: speaker “X” → “Y”", "attribution confirmed
// (X)"), its citations ("cited Title (supports)", "removed citation of
// Title") and its threads ("comment resolved: “first words…”").
func changeWords(ch models.SentenceChange) []string {
	out := stateChanges(ch.Before, ch.After)
	if ch.Attribution != nil {
		out = append(out, attributionWords(ch.Attribution)...)
	}
	for _, c := range ch.CitationsAdded {
		out = append(out, fmt.Sprintf("cited %s (%s)", sourceTitle(c), c.Relation))
	}
	for _, c := range ch.CitationsRemoved {
		out = append(out, "removed citation of "+sourceTitle(c))
	}
	for _, c := range ch.CommentsResolved {
		out = append(out, resolvedWords(c))
	}
	return out
}

// ArticleChanges says which of the article's own threads were resolved
// during the round.
func (p *reviewPage) ArticleChanges() []string {
	if p.Changes == nil {
		return nil
	}
	var out []string
	for _, c := range p.Changes.CommentsResolved {
		out = append(out, resolvedWords(c))
	}
	return out
}

// attributionWords says how an attribution changed.
func attributionWords(ch *models.AttributionChange) []string {
	b, a := ch.Before, ch.After
	if a == nil {
		if b == nil {
			return nil
		}
		return []string{fmt.Sprintf("attribution cleared (was %s)", quoted(b.Speaker))}
	}
	if b == nil {
		b = &models.AttributionRecord{}
	}
	var out []string
	field := func(name, before, after string) {
		if before != after {
			out = append(out, fmt.Sprintf("attribution: %s %s → %s", name, quoted(before), quoted(after)))
		}
	}
	field("speaker", b.Speaker, a.Speaker)
	field("cue", b.Cue, a.Cue)
	field("medium", b.Medium, a.Medium)
	if b.CarriedOver != a.CarriedOver {
		if a.CarriedOver {
			out = append(out, "attribution: carried over from an earlier sentence")
		} else {
			out = append(out, "attribution: stated in the sentence itself")
		}
	}
	if len(out) == 0 && a.Confirmed && !b.Confirmed {
		out = append(out, fmt.Sprintf("attribution confirmed (%s)", a.Speaker))
	}
	return out
}

// quoted is a value in curly quotes, or none.
func quoted(v string) string {
	if v == "" {
		return "none"
	}
	return "“" + v + "”"
}

func sourceTitle(c models.CitationChange) string {
	if c.Title == "" {
		return fmt.Sprintf("source %d", c.SourceID)
	}
	return c.Title
}

// resolvedWords says that a thread was resolved, with its first words.
func resolvedWords(c models.ResolvedComment) string {
	what := "comment"
	if c.Kind == models.CommentChangeRequest {
		what = "change request"
	}
	return fmt.Sprintf("%s resolved: “%s”", what, firstWords(c.Body, 8, 60))
}

// firstWords shortens a text to its first words (at most words of them
// and about chars characters), marking a cut with an ellipsis.
func firstWords(s string, words, chars int) string {
	f := strings.Fields(s)
	cut := len(f) > words
	if cut {
		f = f[:words]
	}
	out := strings.Join(f, " ")
	if r := []rune(out); len(r) > chars {
		out, cut = strings.TrimSpace(string(r[:chars])), true
	}
	if cut {
		out += "…"
	}
	return out
}
