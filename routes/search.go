package routes

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// registerSearch registers search across the archive: the API and the
// page the header's search box opens.
func (h *Handler) registerSearch(r *gin.Engine, api *gin.RouterGroup) {
	api.GET("/search", h.api(reviewers.ActRead), h.searchAPI)
	r.GET("/search", h.page(reviewers.ActRead), h.showSearch)
}

// searchParams are the parameters of a search, in the API and the page.
var searchParams = []string{"q", "label", "status", "verdict", "speaker", "article_status", "outlet", "from", "to", "assignee", "group", "cursor", "limit"}

// searchRequest reads a search from the query string.
func searchRequest(c *gin.Context) reviewers.SearchRequest {
	return reviewers.SearchRequest{
		Q: c.Query("q"), Label: c.Query("label"), Status: c.Query("status"), Verdict: c.Query("verdict"),
		Speaker: c.Query("speaker"), ArticleStatus: c.Query("article_status"), Outlet: c.Query("outlet"),
		From: c.Query("from"), To: c.Query("to"), Assignee: c.Query("assignee"), Group: c.Query("group"),
		Cursor: c.Query("cursor"), Limit: c.Query("limit"),
	}
}

func (h *Handler) searchAPI(c *gin.Context) {
	ans, err := h.svc.Search(c.Request.Context(), actor(c), searchRequest(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ans)
}

// searchPage is what the search page shows.
type searchPage struct {
	Req     reviewers.SearchRequest
	Answer  *reviewers.SearchAnswer
	Filters bool // a filter is set: the filters show open
	// NextURL is the next page; GroupURL the address of one group alone.
	NextURL  string
	GroupURL map[string]string
	Labels   []codebook.Label
	Statuses []codebook.Status
	Ratings  []codebook.Rating
	Articles []models.ArticleStatus
	People   []models.User
}

func (h *Handler) showSearch(c *gin.Context) {
	ctx := c.Request.Context()
	who := actor(c)
	req := searchRequest(c)
	data := searchPage{Req: req, Labels: codebook.Labels, Statuses: codebook.Statuses, Ratings: h.svc.Scale().Ratings,
		Articles: models.ArticleStatuses, GroupURL: map[string]string{}}
	data.Filters = req.Label != "" || req.Status != "" || req.Verdict != "" || req.Speaker != "" || req.ArticleStatus != "" ||
		req.Outlet != "" || req.From != "" || req.To != "" || req.Assignee != "" || req.Group != ""
	people, err := h.svc.People(ctx, who)
	if err != nil {
		h.fail(c, err)
		return
	}
	data.People = people
	p := web.Page{Title: "Search", Nav: "search", Search: req.Q, Data: &data}
	status := http.StatusOK
	if req.Q != "" {
		ans, err := h.svc.Search(ctx, who, req)
		if err != nil {
			s, d := classify(err)
			if s >= 500 {
				h.fail(c, err)
				return
			}
			status, p.Error = s, d.Message
		} else {
			data.Answer = ans
			if ans.Next != "" {
				data.NextURL = searchURL(c, map[string]string{"cursor": ans.Next})
			}
			for _, g := range []string{models.GroupArticles, models.GroupSentences, models.GroupSources} {
				data.GroupURL[g] = searchURL(c, map[string]string{"group": g, "cursor": ""})
			}
		}
	}
	h.render(c, status, "search", p)
}

// searchURL is the search page's address with some parameters changed
// ("" removes one).
func searchURL(c *gin.Context, set map[string]string) string {
	q := url.Values{}
	for _, k := range searchParams {
		if v := c.Query(k); v != "" {
			q.Set(k, v)
		}
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return "/search?" + q.Encode()
}
