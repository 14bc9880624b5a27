package routes

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

type articlesPage struct {
	Rows     []models.ArticleRow
	Query    string
	Status   string
	Statuses []models.ArticleStatus
	Next     int64
	NextURL  string
	// Filter is the list's filter; Assignee the assignee filter as asked
	// ("me", "none", an id); Self the list's address with its filters.
	Filter   models.ArticleFilter
	Assignee string
	Self     string
	// Assignable is whom an editor can assign the ticked articles to (nil
	// for those who may not assign).
	Assignable []models.User
	Priorities []models.Priority
	Now        time.Time
}

func (h *Handler) listArticlesPage(c *gin.Context) {
	f, err := articleFilter(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	page, err := h.svc.Articles(c.Request.Context(), actor(c), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	data := articlesPage{Rows: page.Articles, Query: f.Query, Status: string(f.Status),
		Statuses: models.ArticleStatuses, Next: page.Next, Filter: f, Assignee: c.Query("assignee"),
		Priorities: models.Priorities, Now: h.store.Now()}
	q := url.Values{}
	for _, k := range []string{"q", "status", "assignee", "due", "outlet", "progress", "sort"} {
		if v := c.Query(k); v != "" {
			q.Set(k, v)
		}
	}
	data.Self = "/"
	if len(q) > 0 {
		data.Self = "/?" + q.Encode()
	}
	if page.Next != 0 {
		q.Set("cursor", fmt.Sprint(page.Next))
		data.NextURL = "/?" + q.Encode()
	}
	if reviewers.Allowed(actor(c).Role, reviewers.ActAssign) {
		if data.Assignable, err = h.svc.Assignable(c.Request.Context(), actor(c)); err != nil {
			h.fail(c, err)
			return
		}
	}
	h.render(c, http.StatusOK, "articles", web.Page{Title: "Articles", Nav: "articles", Data: data})
}

// showArticle renders the review page: the article with every sentence,
// the panel of the selected sentence (?s=N) and the workflow controls.
func (h *Handler) showArticle(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if c.Query("revision") != "" {
		// An earlier revision, read-only (routes/revisions.go).
		h.showArticleRevision(c, id)
		return
	}
	ctx, who := c.Request.Context(), actor(c)
	d, err := h.svc.ArticleText(ctx, who, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	rounds, err := h.svc.Rounds(ctx, who, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	comments, err := h.svc.Comments(ctx, who, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := &reviewPage{Article: d.Article, Revision: d.Revision, Path: fmt.Sprintf("/articles/%d", id),
		Verdicts: verdictNames(h.svc.Scale()), Labels: labelChoices, Statuses: codebook.Statuses, Relations: codebook.Relations}
	role := who.Role
	p.May = reviewMay{Edit: reviewers.Allowed(role, reviewers.ActEdit), Comment: reviewers.Allowed(role, reviewers.ActComment),
		Cite: reviewers.Allowed(role, reviewers.ActEditSources), Submit: reviewers.Allowed(role, reviewers.ActSubmit),
		Decide:   reviewers.Allowed(role, reviewers.ActDecide),
		Editable: d.Article.Status != models.ArticleSubmitted && d.Article.Status != models.ArticleApproved}
	if err := h.describeRounds(ctx, p, rounds, who); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.describeAssignees(ctx, p, who); err != nil {
		h.fail(c, err)
		return
	}
	changed := map[int64]bool{}
	if p.May.Decide && p.Round != nil && p.Round.Number > 1 {
		if p.Changes, err = h.svc.RoundChanges(ctx, who, id, p.Round.Number); err != nil {
			h.fail(c, err)
			return
		}
		for _, ch := range p.Changes.Sentences {
			changed[ch.SentenceID] = true
		}
	}
	articleThreads, sentenceThreads, open := threadsOf(comments)
	p.ArticleThreads = articleThreads
	p.SubmitNote = submitNote(p.Round, comments)
	if err := h.describeReadiness(ctx, p, who, d.Lines, comments); err != nil {
		h.fail(c, err)
		return
	}
	sel := selectedIndex(c, p.Path, d.Lines)
	var selID int64
	if sel >= 0 {
		s, err := h.svc.SentenceView(ctx, who, d.Lines[sel].ID)
		if err != nil {
			h.fail(c, err)
			return
		}
		selID = s.ID
		panel := &sentencePanel{S: s, Total: len(d.Lines), Threads: sentenceThreads[s.ID], Lines: d.Lines}
		panel.Prev, panel.Next, panel.NextOpen = neighbours(d.Lines, sel)
		evs, err := h.svc.SentenceHistory(ctx, who, s.ID)
		if err != nil {
			h.fail(c, err)
			return
		}
		panel.History = historyOf(evs)
		if panel.Citations, err = h.sentenceCitations(c, id, s.ID); err != nil {
			h.fail(c, err)
			return
		}
		p.Panel = panel
	}
	p.buildText(d.Lines, selID, open, changed)
	h.render(c, http.StatusOK, "article", web.Page{Title: d.Article.Title, Nav: "articles", Data: p, SentenceLinks: true})
}
