package routes

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/web"
)

// reviewPage is what the review page (templates/article.html) shows: the
// article with every sentence, the workflow controls, and one panel for
// the selected sentence. It is built in a fixed number of queries whatever
// the article's length.
type reviewPage struct {
	Article  *models.Article
	Revision *models.Revision
	Path     string        // the page's own path, /articles/ID
	Text     template.HTML // the sentences, marked up by web.ReviewText
	Counts   articleCounts
	Round    *models.ReviewRound // the latest round, nil before the first
	// SubmittedBy names who submitted the latest round; SubmittedByMe is
	// whether that was the person looking (the four-eyes rule).
	SubmittedBy   string
	SubmittedByMe bool
	// SubmitNote is the note the submitter left for the editor, shown
	// beside "Round N submitted by …".
	SubmitNote string
	// Readiness says what submitting needs (what blocks it, what the
	// editor will see), for those who may submit; nil for the others.
	Readiness *reviewers.Readiness
	// Confident is the confidence from which a machine suggestion is
	// confident, for "Accept the confident suggestions".
	Confident float64
	// LastDecision is the latest decided round, nil before any.
	LastDecision *roundDecision
	Panel        *sentencePanel // nil when the article has no sentences
	// Changes lists what changed during the latest round, for editors
	// from the second round on.
	Changes        *reviewers.RoundChanges
	ArticleThreads []commentThread
	Verdicts       []string
	Labels         []labelChoice
	Statuses       []codebook.Status
	Relations      []codebook.Relation
	May            reviewMay
	// Assignees are the people the article is assigned to; Assignable
	// whom an editor can assign (nil for the others).
	Assignees  []models.Assignment
	Assignable []models.User
	Priorities []models.Priority
}

// reviewMay is what the person looking may do on the page, by role and by
// the article's status.
type reviewMay struct {
	Edit, Comment, Cite, Submit, Decide bool
	// Assign: may assign anyone; Take: may take the article, which
	// nobody is assigned to, for themselves.
	Assign, Take bool
	// Editable: the article's status lets sentences change (not
	// submitted, not approved).
	Editable bool
}

// roundDecision is how a round ended, as the page tells it.
type roundDecision struct {
	Number   int
	Decision string // approved or changes_requested
	By       string
	At       time.Time
	Comment  string
}

// labelChoice is a label with its keys, as the page offers it.
type labelChoice struct {
	Label      codebook.Label
	Key, Digit string
	Definition string
}

var labelChoices = []labelChoice{
	{codebook.Fact, "f", "1", codebook.Fact.Definition()},
	{codebook.Allegation, "a", "2", codebook.Allegation.Definition()},
	{codebook.Quote, "q", "3", codebook.Quote.Definition()},
	{codebook.Assessment, "s", "4", codebook.Assessment.Definition()},
}

type articleCounts struct {
	Sentences, Labeled, Excluded, Open int
}

// Done counts the sentences labeled or excluded.
func (c articleCounts) Done() int { return c.Labeled + c.Excluded }

// sentencePanel is the selected sentence with everything the panel shows.
type sentencePanel struct {
	S                    *reviewers.SentenceView
	Total                int
	Prev, Next, NextOpen int // sentence numbers, 0 when there is none
	History              []historyEntry
	Threads              []commentThread
	Citations            []models.Citation
	// Lines are the article's sentences, where the spans of the selected
	// sentence's attribution are found (see Spans).
	Lines []models.SentenceLine
}

// OpenThreads counts the selected sentence's open threads.
func (p *sentencePanel) OpenThreads() int {
	n := 0
	for _, t := range p.Threads {
		if t.OpenThread() {
			n++
		}
	}
	return n
}

// Label returns the selected sentence's label or "".
func (p *sentencePanel) Label() string { return p.S.LabelString() }

// UnexcludeStatus is the status a sentence goes back to when its exclusion
// is lifted: labeled when it has a label, else unreviewed.
func (p *sentencePanel) UnexcludeStatus() string {
	if p.S.Label != nil {
		return string(codebook.Labeled)
	}
	return string(codebook.Unreviewed)
}

// historyEntry is one change of a sentence, as people read it.
type historyEntry struct {
	At      time.Time
	Actor   string
	Action  string
	Changes []string
}

// commentThread is a comment that opens a thread, with its replies.
type commentThread struct {
	models.Comment
	Replies []models.Comment
}

// Open reports whether the thread is unresolved.
func (t commentThread) Open() bool { return t.ResolvedAt == nil }

// buildText groups the sentences into paragraphs, counts them, marks the
// selected one, those with open threads and those changed in the round,
// and writes the text.
func (p *reviewPage) buildText(lines []models.SentenceLine, selected int64, threads map[int64][2]int, changed map[int64]bool) {
	var paras [][]web.TextSentence
	for i := range lines {
		l := &lines[i]
		if i == 0 || lines[i-1].Paragraph != l.Paragraph {
			paras = append(paras, make([]web.TextSentence, 0, 8))
		}
		t := threads[l.ID]
		ts := web.TextSentence{ID: l.ID, Number: l.Index + 1, Version: l.Version, Status: string(l.Status), Label: l.Label,
			Tag: labelTag(l.Label, string(l.Status)), Verdict: l.Verdict, Note: l.Note, Text: l.Text,
			Selected: l.ID == selected, Changed: changed[l.ID], Threads: t[0], ChangeRequested: t[1] > 0}
		if l.Status == codebook.Excluded {
			ts.Reason = l.ExcludeReason
		}
		paras[len(paras)-1] = append(paras[len(paras)-1], ts)
		p.Counts.Sentences++
		switch l.Status {
		case codebook.Excluded:
			p.Counts.Excluded++
		case codebook.Unreviewed:
			p.Counts.Open++
		default:
			p.Counts.Labeled++
		}
	}
	p.Text = web.ReviewText(paras)
}

// selectedIndex picks the sentence the panel shows: ?s=N, else the
// sentence of the page the person came from (a form posted from the panel
// redirects back to the article, and the browser names the page that held
// the form as the referrer), else the first open sentence, else the first.
func selectedIndex(c *gin.Context, path string, ss []models.SentenceLine) int {
	if len(ss) == 0 {
		return -1
	}
	pick := func(v string) (int, bool) {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(ss) {
			return 0, false
		}
		return n - 1, true
	}
	if i, ok := pick(c.Query("s")); ok {
		return i
	}
	if ref, err := url.Parse(c.GetHeader("Referer")); err == nil && ref.Path == path {
		if i, ok := pick(ref.Query().Get("s")); ok {
			return i
		}
	}
	for i := range ss {
		if ss[i].Status == codebook.Unreviewed {
			return i
		}
	}
	return 0
}

// threadsOf splits an article's comments into the threads of the article
// itself and those of each sentence, and counts each sentence's open
// threads and open change requests.
func threadsOf(cs []models.Comment) (article []commentThread, bySentence map[int64][]commentThread, open map[int64][2]int) {
	bySentence, open = map[int64][]commentThread{}, map[int64][2]int{}
	var all []*commentThread
	at := map[int64]int{}
	for _, c := range cs {
		if c.ParentID == nil {
			at[c.ID] = len(all)
			all = append(all, &commentThread{Comment: c})
			continue
		}
		if i, ok := at[*c.ParentID]; ok {
			all[i].Replies = append(all[i].Replies, c)
		}
	}
	for _, t := range all {
		if t.SentenceID == nil {
			article = append(article, *t)
			continue
		}
		bySentence[*t.SentenceID] = append(bySentence[*t.SentenceID], *t)
		if t.OpenThread() {
			n := open[*t.SentenceID]
			n[0]++
			if t.Kind == models.CommentChangeRequest {
				n[1]++
			}
			open[*t.SentenceID] = n
		}
	}
	return article, bySentence, open
}

// neighbours finds the sentences before and after i, and the next open
// one after it (wrapping around), as 1-based numbers.
func neighbours(ss []models.SentenceLine, i int) (prev, next, nextOpen int) {
	if i > 0 {
		prev = i
	}
	if i+1 < len(ss) {
		next = i + 2
	}
	for k := 1; k < len(ss); k++ {
		j := (i + k) % len(ss)
		if ss[j].Status == codebook.Unreviewed {
			return prev, next, j + 1
		}
	}
	return prev, next, 0
}

// historyOf turns a sentence's audit events into what changed, newest
// first.
func historyOf(evs []models.AuditEvent) []historyEntry {
	out := make([]historyEntry, 0, len(evs))
	for i := len(evs) - 1; i >= 0; i-- {
		e := &evs[i]
		h := historyEntry{At: e.At, Actor: models.ActorName(e.Actor), Action: actionName(e.Action)}
		if before, after, err := models.EventStates(e); err == nil {
			h.Changes = stateChanges(before, after)
		}
		out = append(out, h)
	}
	return out
}

func actionName(a string) string {
	switch a {
	case "sentence.update":
		return "changed"
	case "sentence.undo":
		return "undid a change"
	case "sentence.redo":
		return "redid a change"
	case "sentence.import", "article.import":
		return "imported"
	}
	return strings.ReplaceAll(a, "_", " ")
}

// stateChanges says field by field how a sentence's state changed.
func stateChanges(b, a models.SentenceState) []string {
	var out []string
	show := func(v string) string {
		if v == "" {
			return "none"
		}
		return v
	}
	field := func(name, before, after string) {
		if before != after {
			out = append(out, fmt.Sprintf("%s: %s → %s", name, show(before), show(after)))
		}
	}
	field("label", b.Label, a.Label)
	if a.Suggested && !b.Suggested {
		out = append(out, "accepted the machine's suggestion")
	}
	field("status", b.Status, a.Status)
	field("verdict", b.Verdict, a.Verdict)
	field("exclusion reason", b.ExcludeReason, a.ExcludeReason)
	if b.Note != a.Note {
		switch {
		case a.Note == "":
			out = append(out, "note removed")
		case b.Note == "":
			out = append(out, fmt.Sprintf("note added: %q", a.Note))
		default:
			out = append(out, fmt.Sprintf("note: %q", a.Note))
		}
	}
	return out
}

// verdictNames lists a scale's ratings, then its unrated verdicts.
func verdictNames(s codebook.Scale) []string {
	var out []string
	for _, r := range s.Ratings {
		out = append(out, r.Name)
	}
	for _, r := range s.Unrated {
		out = append(out, r.Name)
	}
	return out
}

// sentenceCitations returns the citations of one sentence of an article,
// with their sources.
func (h *Handler) sentenceCitations(c *gin.Context, articleID, sentenceID int64) ([]models.Citation, error) {
	all, err := h.svc.ArticleCitations(c.Request.Context(), actor(c), articleID)
	if err != nil {
		return nil, err
	}
	var out []models.Citation
	for _, ct := range all {
		if ct.SentenceID == sentenceID {
			out = append(out, ct)
		}
	}
	return out, nil
}

// labelTag is the text of a sentence's label tag: its label, and its
// status when the check went beyond labeling ("fact · verified"); "" when
// it has no label.
func labelTag(label, status string) string {
	if label == "" {
		return ""
	}
	switch codebook.Status(status) {
	case codebook.Verified, codebook.Disputed, codebook.Unverifiable:
		return label + " · " + status
	}
	return label
}

// SuggestionPercent is the machine's confidence in its suggestion, in
// percent.
func (p *sentencePanel) SuggestionPercent() int {
	if p.S.Suggestion == nil {
		return 0
	}
	return int(p.S.Suggestion.Confidence*100 + 0.5)
}

// Excluded reports whether the selected sentence is excluded.
func (p *sentencePanel) Excluded() bool { return p.S.Status == codebook.Excluded }

// changeRow is a sentence changed during the round, as editors read it.
type changeRow struct {
	models.SentenceChange
	What []string
}

// ChangeRows lists the round's changes with what changed in words: the
// state, the attribution, the citations and the threads resolved (see
// changeWords).
func (p *reviewPage) ChangeRows() []changeRow {
	if p.Changes == nil {
		return nil
	}
	out := make([]changeRow, len(p.Changes.Sentences))
	for i, ch := range p.Changes.Sentences {
		out[i] = changeRow{SentenceChange: ch, What: changeWords(ch)}
		out[i].Actors = make([]string, len(ch.Actors))
		for k, a := range ch.Actors {
			out[i].Actors[k] = models.ActorName(a)
		}
	}
	return out
}

// OpenArticleThreads counts the article's own open threads (see
// models.Comment.OpenThread: a workflow step's note is none).
func (p *reviewPage) OpenArticleThreads() int {
	n := 0
	for _, t := range p.ArticleThreads {
		if t.OpenThread() {
			n++
		}
	}
	return n
}

// describeRounds tells the page about the latest round (who submitted
// it, whether it was the person looking) and about the latest decision.
func (h *Handler) describeRounds(ctx context.Context, p *reviewPage, rounds []models.ReviewRound, who models.Actor) error {
	if len(rounds) == 0 {
		return nil
	}
	p.Round = &rounds[len(rounds)-1]
	var last *models.ReviewRound
	for i := range rounds {
		if rounds[i].DecidedAt != nil && rounds[i].Decision != nil {
			last = &rounds[i]
		}
	}
	var ids []int64
	if p.Round.SubmittedBy != nil {
		ids = append(ids, *p.Round.SubmittedBy)
	}
	if last != nil && last.DecidedBy != nil {
		ids = append(ids, *last.DecidedBy)
	}
	names, err := h.store.UserNames(ctx, ids)
	if err != nil {
		return err
	}
	if by := p.Round.SubmittedBy; by != nil {
		p.SubmittedBy, p.SubmittedByMe = names[*by], *by == who.ID
	}
	if last != nil {
		d := &roundDecision{Number: last.Number, Decision: *last.Decision, At: *last.DecidedAt, Comment: last.Comment}
		if last.DecidedBy != nil {
			d.By = names[*last.DecidedBy]
		}
		p.LastDecision = d
	}
	return nil
}
