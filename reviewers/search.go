package reviewers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/search"
)

// SearchRequest is a search as a person or a program asks it: the text of
// the query and of each filter, as they came (a form or an address).
type SearchRequest struct {
	Q             string
	Label         string // fact, allegation, quote, assessment
	Status        string // a sentence's status: unreviewed, labeled, verified…
	Verdict       string // a rating of the newsroom's scale
	Speaker       string
	ArticleStatus string // draft, in_review, submitted, approved, changes_requested
	Outlet        string
	From, To      string // dates (2026-12-07) or RFC 3339 times; To is inclusive of its day
	Assignee      string // "me", "none" or a user id
	Group         string // articles, sentences or sources; "" for all
	Cursor        string
	Limit         string
}

// SearchAnswer is a page of a search with what was understood of it.
type SearchAnswer struct {
	// Query is the search as it was understood (folded words, phrases in
	// quotes); Ignored the words left out as too common.
	Query   string   `json:"query"`
	Ignored []string `json:"ignored_words,omitempty"`
	// Notice says in words why nothing was searched, when nothing was.
	Notice string `json:"notice,omitempty"`
	*models.SearchResults
}

// maxFilterLen bounds the text of a filter.
const maxFilterLen = 200

// Search searches the articles, sentences, notes, speakers, comments and
// sources the actor may read. A query of only common words is an empty
// answer with a notice, not an error.
func (s *Service) Search(ctx context.Context, actor models.Actor, req SearchRequest) (*SearchAnswer, error) {
	if err := Authorize(actor, ActRead); err != nil {
		return nil, err
	}
	f, err := s.searchFilter(actor, req)
	if err != nil {
		return nil, err
	}
	ans := &SearchAnswer{Query: f.Query.String(), Ignored: f.Query.Ignored}
	if f.Query.Empty() {
		ans.SearchResults = &models.SearchResults{Articles: []models.ArticleHit{}, Sentences: []models.SentenceHit{}, Sources: []models.SourceHit{}}
		switch {
		case len(f.Query.Ignored) > 0:
			ans.Notice = fmt.Sprintf("Nothing searched: %s %s too common to search by. Add a word that is particular to what you look for.",
				quoteList(f.Query.Ignored), pluralVerb(len(f.Query.Ignored)))
		default:
			ans.Notice = "Type a word, a \"quoted phrase\", word* for words that start with it, or -word to leave out what has it."
		}
		return ans, nil
	}
	res, err := s.store.Search(ctx, f)
	if err != nil {
		return nil, err
	}
	ans.SearchResults = res
	return ans, nil
}

func quoteList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "“" + w + "”"
	}
	return strings.Join(q, ", ")
}

func pluralVerb(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// searchFilter checks a request and turns it into the store's filter.
func (s *Service) searchFilter(actor models.Actor, req SearchRequest) (models.SearchFilter, error) {
	q, err := search.Parse(req.Q)
	switch {
	case errors.Is(err, search.ErrTooLong):
		return models.SearchFilter{}, &models.Error{Code: models.EMALFORMED, Field: "q", Message: err.Error()}
	case err != nil:
		return models.SearchFilter{}, models.FieldError("q", "%s", err.Error())
	}
	f := models.SearchFilter{Query: q, Reader: actor.ID}
	for name, v := range map[string]string{"label": req.Label, "status": req.Status, "verdict": req.Verdict, "speaker": req.Speaker,
		"article_status": req.ArticleStatus, "outlet": req.Outlet, "assignee": req.Assignee} {
		if utf8.RuneCountInString(v) > maxFilterLen || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return f, models.FieldError(name, "%s must be valid text of at most %d characters", name, maxFilterLen)
		}
	}
	if l := strings.TrimSpace(req.Label); l != "" {
		f.Label = codebook.Label(l)
		if !f.Label.Valid() {
			return f, models.FieldError("label", "label must be fact, allegation, quote or assessment, not %q", l)
		}
	}
	if st := strings.TrimSpace(req.Status); st != "" {
		f.Status = codebook.Status(st)
		if !f.Status.Valid() {
			return f, models.FieldError("status", "status must be a sentence's status (unreviewed, labeled, verified, disputed, unverifiable or excluded), not %q", st)
		}
	}
	if v := strings.TrimSpace(req.Verdict); v != "" {
		if _, ok := s.scale.Find(v); !ok {
			return f, models.FieldError("verdict", "%q is not a rating of this newsroom's scale", v)
		}
		f.Verdict = v
	}
	f.Speaker = strings.TrimSpace(req.Speaker)
	if st := strings.TrimSpace(req.ArticleStatus); st != "" {
		f.ArticleStatus = models.ArticleStatus(st)
		if !f.ArticleStatus.Valid() {
			return f, models.FieldError("article_status", "article_status must be draft, in_review, submitted, approved or changes_requested, not %q", st)
		}
	}
	f.Outlet = strings.TrimSpace(req.Outlet)
	if f.From, err = searchTime("from", req.From, false); err != nil {
		return f, err
	}
	if f.To, err = searchTime("to", req.To, true); err != nil {
		return f, err
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return f, models.FieldError("to", "the date range ends before it starts")
	}
	switch a := strings.TrimSpace(req.Assignee); a {
	case "":
	case "me":
		f.Assignee = actor.ID
	case "none":
		f.Unassigned = true
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return f, models.FieldError("assignee", "assignee must be me, none or a user id, not %q", a)
		}
		f.Assignee = id
	}
	switch g := strings.TrimSpace(req.Group); g {
	case "", models.GroupArticles, models.GroupSentences, models.GroupSources:
		f.Group = g
	default:
		return f, models.FieldError("group", "group must be articles, sentences or sources, not %q", g)
	}
	if c := strings.TrimSpace(req.Cursor); c != "" {
		if f.Cursor, err = models.ParseSearchCursor(c); err != nil {
			return f, err
		}
	}
	if l := strings.TrimSpace(req.Limit); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 50 {
			return f, models.FieldError("limit", "limit must be a number from 1 to 50")
		}
		f.Limit = n
	}
	return f, nil
}

// searchTime reads a date (the day's start, or with end the next day's)
// or an RFC 3339 time.
func searchTime(field, v string, end bool) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, models.FieldError(field, "%s must be a date (2026-12-07) or a time (2026-12-07T09:00:00Z), not %q", field, v)
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return &t, nil
}
