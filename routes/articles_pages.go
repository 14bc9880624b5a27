package routes

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

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
		Statuses: models.ArticleStatuses, Next: page.Next}
	if page.Next != 0 {
		q := url.Values{}
		if f.Query != "" {
			q.Set("q", f.Query)
		}
		if f.Status != "" {
			q.Set("status", string(f.Status))
		}
		q.Set("cursor", fmt.Sprint(page.Next))
		data.NextURL = "/?" + q.Encode()
	}
	h.render(c, http.StatusOK, "articles", web.Page{Title: "Articles", Nav: "articles", Data: data})
}

type paragraphView struct {
	Index     int
	Sentences []*reviewers.SentenceView
}

type articleCounts struct {
	Sentences, Labeled, Excluded int
}

type articlePage struct {
	Article    *models.Article
	Revision   *models.Revision
	Paragraphs []paragraphView
	Counts     articleCounts
}

func (h *Handler) showArticle(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	d, err := h.svc.ArticleDetail(c.Request.Context(), actor(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := articlePage{Article: d.Article, Revision: d.Rev}
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if n := len(p.Paragraphs); n == 0 || p.Paragraphs[n-1].Index != s.Paragraph {
			p.Paragraphs = append(p.Paragraphs, paragraphView{Index: s.Paragraph})
		}
		last := &p.Paragraphs[len(p.Paragraphs)-1]
		last.Sentences = append(last.Sentences, s)
		p.Counts.Sentences++
		switch s.Status {
		case "excluded":
			p.Counts.Excluded++
		case "unreviewed":
		default:
			p.Counts.Labeled++
		}
	}
	h.render(c, http.StatusOK, "article", web.Page{Title: d.Title, Nav: "articles", Data: p})
}
