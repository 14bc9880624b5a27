package routes

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"factdesk/models"
	"factdesk/reviewers"
)

// registerReview lists the routes of the review workflow: labeling
// sentences, comments, workflow steps and the audit trail.
func (h *Handler) registerReview(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/sentences/:id", h.api(reviewers.ActRead), answerByID(h, h.svc.Sentence))
	api.PATCH("/sentences/:id", h.api(reviewers.ActEdit), h.patchSentence)
	api.PATCH("/articles/:id/sentences", h.api(reviewers.ActEdit), h.patchSentences)
	api.GET("/sentences/:id/history", h.api(reviewers.ActRead), answerByID(h, wrapped("events", h.svc.SentenceHistory)))
	api.GET("/articles/:id/undo", h.api(reviewers.ActEdit), answerByID(h, h.nextUndo))
	api.POST("/articles/:id/undo", h.api(reviewers.ActEdit), answerByID(h, h.reverse(false)))
	api.POST("/articles/:id/redo", h.api(reviewers.ActEdit), answerByID(h, h.reverse(true)))
	api.GET("/articles/:id/readiness", h.api(reviewers.ActRead), answerByID(h, h.svc.Readiness))
	api.POST("/articles/:id/start-review", h.api(reviewers.ActEdit), h.startReview)
	api.POST("/articles/:id/submit", h.api(reviewers.ActSubmit), h.submit)
	api.POST("/articles/:id/approve", h.api(reviewers.ActDecide), h.approve)
	api.POST("/articles/:id/request-changes", h.api(reviewers.ActDecide), h.requestChanges)
	api.POST("/articles/:id/reopen", h.api(reviewers.ActDecide), h.reopen)
	api.GET("/articles/:id/rounds", h.api(reviewers.ActRead), answerByID(h, wrapped("rounds", h.svc.Rounds)))
	api.GET("/articles/:id/comments", h.api(reviewers.ActRead), answerByID(h, wrapped("comments", h.svc.Comments)))
	api.POST("/articles/:id/comments", h.api(reviewers.ActComment), h.addComment)
	api.POST("/comments/:id/resolve", h.api(reviewers.ActComment), h.resolveComment)
	api.GET("/articles/:id/audit", h.api(reviewers.ActRead), answerByID(h, h.svc.Audit))
	api.GET("/articles/:id/events", h.api(reviewers.ActRead), h.events)

	h.registerReviewPages(r)
}

// sentencePatch is the body of PATCH /api/v1/sentences/{id}.
type sentencePatch struct {
	Label            *string `json:"label"`
	Status           *string `json:"status"`
	Verdict          *string `json:"verdict"`
	Note             *string `json:"note"`
	ExcludeReason    *string `json:"exclude_reason"`
	AcceptSuggestion bool    `json:"accept_suggestion"`
	Version          *int    `json:"version"`
}

func (p sentencePatch) update() reviewers.SentenceUpdate {
	return reviewers.SentenceUpdate{Label: p.Label, Status: p.Status, Verdict: p.Verdict, Note: p.Note,
		ExcludeReason: p.ExcludeReason, AcceptSuggestion: p.AcceptSuggestion, Version: *p.Version}
}

func (h *Handler) patchSentence(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req sentencePatch
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	if err := required("version", req.Version); err != nil {
		h.fail(c, err)
		return
	}
	s, err := h.svc.UpdateSentence(c.Request.Context(), actor(c), id, req.update())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s)
}

// undoAnswer is the answer of POST /api/v1/articles/{id}/undo and
// /redo: the sentence as it is now, its number, what changed in words,
// and whether undo and redo have more to reverse.
type undoAnswer struct {
	Sentence *models.Sentence `json:"sentence"`
	Number   int              `json:"number"`
	Undone   string           `json:"undone,omitempty"`
	Redone   string           `json:"redone,omitempty"`
	CanUndo  bool             `json:"can_undo"`
	CanRedo  bool             `json:"can_redo"`
}

// reverse answers POST …/undo (redo false) or …/redo.
func (h *Handler) reverse(redo bool) func(ctx context.Context, who models.Actor, id int64) (*undoAnswer, error) {
	do := h.svc.Undo
	if redo {
		do = h.svc.Redo
	}
	return func(ctx context.Context, who models.Actor, id int64) (*undoAnswer, error) {
		r, err := do(ctx, who, id)
		if err != nil {
			return nil, err
		}
		out := &undoAnswer{Sentence: r.Sentence, Number: r.Step.Number(), CanUndo: r.CanUndo, CanRedo: r.CanRedo}
		if redo {
			out.Redone = describeStep(r.Step)
		} else {
			out.Undone = describeStep(r.Step)
		}
		return out, nil
	}
}

// undoPreview is the answer of GET /api/v1/articles/{id}/undo: what the
// person's undo and redo would reverse, in words with the sentence's
// number ("" when nothing), and that number (0 when nothing).
type undoPreview struct {
	CanUndo    bool   `json:"can_undo"`
	CanRedo    bool   `json:"can_redo"`
	Undo       string `json:"undo"`
	Redo       string `json:"redo"`
	UndoNumber int    `json:"undo_number"`
	RedoNumber int    `json:"redo_number"`
}

func (h *Handler) nextUndo(ctx context.Context, who models.Actor, id int64) (*undoPreview, error) {
	p, err := h.svc.NextUndo(ctx, who, id)
	if err != nil {
		return nil, err
	}
	out := &undoPreview{}
	if st := p.Undo; st != nil {
		out.CanUndo, out.UndoNumber = true, st.Number()
		out.Undo = fmt.Sprintf("sentence %d: %s", st.Number(), describeStep(*st))
	}
	if st := p.Redo; st != nil {
		out.CanRedo, out.RedoNumber = true, st.Number()
		out.Redo = fmt.Sprintf("sentence %d: %s", st.Number(), describeStep(*st))
	}
	return out, nil
}

// describeStep says in words what reversing a change does to its
// sentence ("label: fact → none; status: labeled → unreviewed"), as the
// sentence's history says it.
func describeStep(st models.UndoStep) string {
	return strings.Join(stateChanges(st.From, st.To), "; ")
}

// workflowRequest is the body of the workflow steps.
type workflowRequest struct {
	Comment   string `json:"comment"`
	Sentences []struct {
		SentenceID int64  `json:"sentence_id"`
		Comment    string `json:"comment"`
	} `json:"sentences"`
}

// step runs one workflow step for the article in the path.
func (h *Handler) step(c *gin.Context, run func(id int64, req workflowRequest) (*models.Article, error)) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req workflowRequest
	if err := decodeJSON(c, &req, true); err != nil {
		h.fail(c, err)
		return
	}
	a, err := run(id, req)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (h *Handler) startReview(c *gin.Context) {
	h.step(c, func(id int64, _ workflowRequest) (*models.Article, error) {
		return h.svc.StartReview(c.Request.Context(), actor(c), id)
	})
}

func (h *Handler) submit(c *gin.Context) {
	h.step(c, func(id int64, req workflowRequest) (*models.Article, error) {
		return h.svc.Submit(c.Request.Context(), actor(c), id, req.Comment)
	})
}

func (h *Handler) approve(c *gin.Context) {
	h.step(c, func(id int64, req workflowRequest) (*models.Article, error) {
		return h.svc.Approve(c.Request.Context(), actor(c), id, req.Comment)
	})
}

func (h *Handler) requestChanges(c *gin.Context) {
	h.step(c, func(id int64, req workflowRequest) (*models.Article, error) {
		pinned := map[int64]string{}
		for _, s := range req.Sentences {
			pinned[s.SentenceID] = s.Comment
		}
		return h.svc.RequestChanges(c.Request.Context(), actor(c), id, req.Comment, pinned)
	})
}

func (h *Handler) reopen(c *gin.Context) {
	h.step(c, func(id int64, req workflowRequest) (*models.Article, error) {
		return h.svc.Reopen(c.Request.Context(), actor(c), id, req.Comment)
	})
}

// commentRequest is the body of POST /api/v1/articles/{id}/comments.
type commentRequest struct {
	Body       string `json:"body"`
	SentenceID int64  `json:"sentence_id"`
	ParentID   int64  `json:"parent_id"`
}

func (h *Handler) addComment(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	var req commentRequest
	if err := decodeJSON(c, &req, false); err != nil {
		h.fail(c, err)
		return
	}
	cm, err := h.svc.AddComment(c.Request.Context(), actor(c), models.NewComment{ArticleID: id, SentenceID: req.SentenceID, ParentID: req.ParentID, Body: req.Body})
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, cm)
}

func (h *Handler) resolveComment(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	req := struct {
		Resolved *bool `json:"resolved"`
	}{}
	if err := decodeJSON(c, &req, true); err != nil {
		h.fail(c, err)
		return
	}
	resolved := req.Resolved == nil || *req.Resolved
	cm, err := h.svc.ResolveComment(c.Request.Context(), actor(c), id, resolved)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, cm)
}
