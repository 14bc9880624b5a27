package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// This file replays an article's events against every table the trail
// describes besides the sentences and bodies (verify.go): the article row,
// revisions, attributions, citations, comments, review rounds, second
// opinions with their labels, and assignments; and the global chain's
// events against the users and API tokens. Each table is rebuilt by a
// small fold per row, keyed by the event's entity id, in chain order, and
// compared with the stored rows: a stored row that differs, a stored row
// no event explains, and a row the events leave that is not stored are
// each a Problem naming the table and the row.
//
// What the events do not carry is not compared:
//   - times (opened_at, decided_at, created_at, resolved_at …): the row's
//     time and the event's are read from the clock separately, so only
//     whether a time is set is compared;
//   - the article's byline and published_at (not recorded by the import),
//     its due_at (derived from the assignments) and created_by/updated_at;
//   - a revision's source_url, sentence and paragraph counts;
//   - the machine's attributions, stored at import or revision without an
//     event: a row with no event must look like one (origin machine,
//     unconfirmed, version 1), but its speaker, cue, medium, spans and
//     confidence are not recorded anywhere; likewise a carried-over
//     attribution's "from" index and spans, renumbered and moved by the
//     revision without being recorded;
//   - a comment's round_id (the round is not named by comment.add);
//   - an assignment's reminder times (due_soon_sent_at, overdue_sent_at);
//   - a user's e-mail changes (none are recorded; the address of
//     user.create is compared), password hash and a token's hash and
//     last use.

// articleTables are the rows of an article that replayTables checks.
type articleTables struct {
	Attributions  []Attribution
	Citations     []Citation
	Comments      []Comment
	Rounds        []ReviewRound
	Opinions      []SecondOpinion
	OpinionLabels []OpinionLabel
	Assignments   []Assignment
}

// load reads the tables of article id, one query each.
func (t *articleTables) load(db *gorm.DB, id int64) error {
	for _, q := range []struct {
		what string
		dst  any
	}{
		{"attributions", &t.Attributions}, {"citations", &t.Citations}, {"comments", &t.Comments},
		{"review rounds", &t.Rounds}, {"second opinions", &t.Opinions}, {"assignments", &t.Assignments},
	} {
		if err := db.Where("article_id = ?", id).Order(orderOf(q.dst)).Find(q.dst).Error; err != nil {
			return fmt.Errorf("load %s of article %d: %w", q.what, id, err)
		}
	}
	err := db.Raw(`SELECT l.* FROM opinion_labels l JOIN second_opinions o ON o.id = l.opinion_id
		WHERE o.article_id = ? ORDER BY l.opinion_id, l.sentence_id`, id).Scan(&t.OpinionLabels).Error
	if err != nil {
		return fmt.Errorf("load second-opinion labels of article %d: %w", id, err)
	}
	return nil
}

func orderOf(dst any) string {
	if _, ok := dst.(*[]Assignment); ok {
		return "user_id"
	}
	return "id"
}

// problems collects the differences of one replay.
type problems []Problem

func (ps *problems) add(table string, row int64, format string, args ...any) {
	*ps = append(*ps, Problem{Table: table, RowID: row, Message: fmt.Sprintf(format, args...)})
}

// differ records a column whose stored value is not the replayed one.
func (ps *problems) differ(table string, row int64, column string, stored, replayed any) {
	ps.add(table, row, "%s: stored %s, the events give %s: changed outside factdesk", column, show(stored), show(replayed))
}

func show(v any) string {
	switch x := v.(type) {
	case *int64:
		if x == nil {
			return "none"
		}
		return fmt.Sprint(*x)
	case *int:
		if x == nil {
			return "none"
		}
		return fmt.Sprint(*x)
	case *string:
		if x == nil {
			return "none"
		}
		return fmt.Sprintf("%q", *x)
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sameStr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// decode reads an event's JSON value into v; an empty value leaves v.
func decode(raw string, v any) error {
	if raw == "" {
		return nil
	}
	return json.Unmarshal([]byte(raw), v)
}

// The views of what events record, as far as the replay reads them.
type (
	articleView struct {
		Title        *string        `json:"title"`
		Outlet       *string        `json:"outlet"`
		URL          *string        `json:"url"`
		Format       *string        `json:"format"`
		Revision     int            `json:"revision"`
		Status       *ArticleStatus `json:"status"`
		Round        *int           `json:"round"`
		Comment      string         `json:"comment"`
		FactCheckURL *string        `json:"factcheck_url"`
	}
	attributionView struct {
		Speaker     string            `json:"speaker"`
		Cue         string            `json:"cue"`
		Medium      string            `json:"medium"`
		CarriedOver bool              `json:"carried_over"`
		From        *int              `json:"from"`
		Origin      AttributionOrigin `json:"origin"`
		Confirmed   bool              `json:"confirmed"`
		Version     int               `json:"version"`
		Spans       AttributionSpans  `json:"spans"`
		Confidence  float64           `json:"confidence"`
	}
	commentView struct {
		SentenceID *int64 `json:"sentence_id"`
		ParentID   *int64 `json:"parent_id"`
		Kind       string `json:"kind"`
		Body       string `json:"body"`
		Resolved   *bool  `json:"resolved"`
	}
	opinionView struct {
		AssigneeID int64  `json:"assignee_id"`
		RevisionID int64  `json:"revision_id"`
		SentenceID int64  `json:"sentence_id"`
		Label      string `json:"label"`
	}
	assignmentView struct {
		UserID   int64    `json:"user_id"`
		Priority Priority `json:"priority"`
		DueAt    *string  `json:"due_at"`
	}
)

// replayedAttribution is a sentence's attribution as its events leave it.
type replayedAttribution struct {
	attributionView
	// fromKnown is false when a revision renumbered "from" and moved the
	// spans unrecorded.
	fromKnown bool
	machine   bool // carried from a machine attribution no event records
}

// replayedRound is a review round as the workflow events leave it.
type replayedRound struct {
	Number                int
	OpenedBy, SubmittedBy *int64
	DecidedBy             *int64
	Submitted, Decided    bool
	Decision              *string
	Comment               string
}

// workflowSteps is what each workflow action does to the review round
// (reviewers/workflow.go describes the transitions; the audit action names
// them in the trail).
var workflowSteps = map[string]struct {
	step     RoundStep
	decision string
}{
	"article.start_review":    {RoundOpen, ""},
	"article.submit":          {RoundSubmit, ""},
	"article.approve":         {RoundDecide, "approved"},
	"article.request_changes": {RoundDecide, "changes_requested"},
	"article.reopen":          {RoundReopen, ""},
}

// tableReplay is the state of an article's tables as its events leave it.
type tableReplay struct {
	ps          problems
	art         Article
	imported    bool
	revisions   map[int]*AuditEvent // by number: the event that made it
	attrs       map[int64]*replayedAttribution
	attrSeen    map[int64]bool // sentences whose attribution an event set or cleared
	citations   map[int64]*Citation
	comments    map[int64]*Comment
	rounds      []*replayedRound
	opinions    map[int64]*SecondOpinion
	labels      map[[2]int64]string
	assignments map[int64]*Assignment
}

// replayTables replays the record's events against its tables.
func (rec *ArticleRecord) replayTables() []Problem {
	r := &tableReplay{
		revisions: map[int]*AuditEvent{}, attrs: map[int64]*replayedAttribution{}, attrSeen: map[int64]bool{},
		citations: map[int64]*Citation{}, comments: map[int64]*Comment{}, opinions: map[int64]*SecondOpinion{},
		labels: map[[2]int64]string{}, assignments: map[int64]*Assignment{},
	}
	for i := range rec.Events {
		e := &rec.Events[i]
		if err := r.apply(e); err != nil {
			r.ps = append(r.ps, Problem{Seq: e.Seq, Message: fmt.Sprintf("the %s event cannot be read: %v", e.Action, err)})
		}
	}
	r.compareArticle(rec.Article)
	r.compareRevisions(rec.Revisions, rec.Article)
	r.compareAttributions(rec.Attributions)
	r.compareCitations(rec.Citations)
	r.compareComments(rec.Comments)
	r.compareRounds(rec.Rounds)
	r.compareOpinions(rec.Opinions, rec.OpinionLabels)
	r.compareAssignments(rec.Assignments)
	return r.ps
}

func (r *tableReplay) apply(e *AuditEvent) error {
	switch {
	case e.Action == "article.import" || e.Action == "article.revision":
		var v articleView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		r.imported = true
		r.revisions[v.Revision] = e
		if e.Action == "article.import" {
			r.art.Status = ArticleDraft
		}
		if v.Title != nil {
			r.art.Title = *v.Title
		}
		if v.Outlet != nil {
			r.art.Outlet = *v.Outlet
		}
		if v.URL != nil {
			r.art.URL = *v.URL
		}
		if e.Action == "article.revision" {
			var b articleView
			if err := decode(e.Before, &b); err != nil {
				return err
			}
			if b.Status != nil && (*b.Status == ArticleApproved || *b.Status == ArticleSubmitted) {
				r.step(RoundOpen, "", "", e.ActorID)
			}
		}
		if v.Status != nil {
			r.art.Status = *v.Status
		}
	case e.Action == "article.update":
		var v articleView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		r.art.FactCheckURL = v.FactCheckURL
	case e.Action == "article.assign":
		var v assignmentView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		a := &Assignment{UserID: v.UserID, Priority: v.Priority, AssignedBy: e.ActorID}
		if v.DueAt != nil {
			t, err := time.Parse(time.RFC3339, *v.DueAt)
			if err != nil {
				return err
			}
			a.DueAt = &t
		}
		if old := r.assignments[v.UserID]; old != nil {
			a.AssignedBy = old.AssignedBy
		}
		r.assignments[v.UserID] = a
	case e.Action == "article.unassign":
		var v assignmentView
		if err := decode(e.Before, &v); err != nil {
			return err
		}
		delete(r.assignments, v.UserID)
	case e.Entity == "article":
		var v articleView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		if ws, ok := workflowSteps[e.Action]; ok {
			r.step(ws.step, ws.decision, v.Comment, e.ActorID)
		}
		if v.Status != nil {
			r.art.Status = *v.Status
		}
	case e.Entity == "sentence":
		if e.Action == ActionCarry {
			return r.carry(e)
		}
		// Every edit of a sentence puts an article in review, opening a
		// round when none is open (prepareEdit and openRoundIfNone in
		// sentence_edit.go).
		if r.art.Status == ArticleDraft || r.art.Status == ArticleChangesRequested {
			r.art.Status = ArticleInReview
			r.step(RoundOpen, "", "", e.ActorID)
		}
	case e.Entity == "attribution":
		r.attrSeen[e.EntityID] = true
		if e.After == "" || e.After == "null" {
			delete(r.attrs, e.EntityID)
			return nil
		}
		var v attributionView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		r.attrs[e.EntityID] = &replayedAttribution{attributionView: v, fromKnown: true}
	case e.Entity == "citation":
		if e.Action == "citation.delete" {
			delete(r.citations, e.EntityID)
			return nil
		}
		var v citationEvent
		if err := decode(e.After, &v); err != nil {
			return err
		}
		r.citations[e.EntityID] = &Citation{ID: e.EntityID, SentenceID: v.SentenceID, SourceID: v.SourceID, Relation: v.Relation,
			Excerpt: v.Excerpt, Locator: v.Locator, CreatedBy: derefID(e.ActorID)}
	case e.Entity == "comment":
		var v commentView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		if e.Action == "comment.add" {
			r.comments[e.EntityID] = &Comment{ID: e.EntityID, SentenceID: v.SentenceID, ParentID: v.ParentID,
				AuthorID: derefID(e.ActorID), Kind: v.Kind, Body: v.Body}
			return nil
		}
		c := r.comments[e.EntityID]
		if c == nil || v.Resolved == nil {
			return nil // compareComments reports a stored comment with no comment.add
		}
		c.ResolvedAt, c.ResolvedBy = nil, nil
		if *v.Resolved {
			// ResolveComment stores the actor's id, 0 for factdesk itself.
			by := derefID(e.ActorID)
			c.ResolvedAt, c.ResolvedBy = &e.At, &by
		}
	case e.Entity == "opinion":
		var v opinionView
		if err := decode(e.After, &v); err != nil {
			return err
		}
		switch e.Action {
		case "opinion.request":
			r.opinions[e.EntityID] = &SecondOpinion{ID: e.EntityID, RevisionID: v.RevisionID, RequestedBy: derefID(e.ActorID),
				AssigneeID: v.AssigneeID, Status: OpinionOpen}
		case "opinion.label":
			r.labels[[2]int64{e.EntityID, v.SentenceID}] = v.Label
		case "opinion.complete":
			if o := r.opinions[e.EntityID]; o != nil {
				o.Status = OpinionDone
			}
		case "opinion." + OpinionSettled, "opinion." + OpinionCancelled:
			if o := r.opinions[e.EntityID]; o != nil {
				o.Status = e.Action[len("opinion."):]
			}
		}
	}
	return nil
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// carry replays a sentence.carry event: the citations and attribution of
// the old sentence, copied to the new one.
func (r *tableReplay) carry(e *AuditEvent) error {
	var v carryEvent
	if err := decode(e.After, &v); err != nil {
		return err
	}
	if len(v.Citations) > 0 {
		// copyCitations copies the old sentence's citations in id order.
		var old []*Citation
		for _, c := range r.citations {
			if c.SentenceID == v.From {
				old = append(old, c)
			}
		}
		slices.SortFunc(old, func(a, b *Citation) int { return int(a.ID - b.ID) })
		if len(old) != len(v.Citations) {
			r.ps = append(r.ps, Problem{Seq: e.Seq, Table: "citations",
				Message: fmt.Sprintf("the revision copied %d citations of sentence id %d, whose events leave %d", len(v.Citations), v.From, len(old))})
		}
		for k, id := range v.Citations {
			if k >= len(old) {
				break
			}
			c := *old[k]
			c.ID, c.SentenceID = id, e.EntityID
			r.citations[id] = &c
		}
	}
	if v.Attribution {
		if a := r.attrs[v.From]; a != nil {
			next := *a
			next.fromKnown = false
			r.attrs[e.EntityID] = &next
		} else {
			r.attrs[e.EntityID] = &replayedAttribution{machine: true}
		}
		r.attrSeen[e.EntityID] = true
	}
	return nil
}

// step mirrors stepRound.
func (r *tableReplay) step(step RoundStep, decision, comment string, actor *int64) {
	var last *replayedRound
	if n := len(r.rounds); n > 0 {
		last = r.rounds[n-1]
	}
	open := func() *replayedRound {
		n := 1
		if k := len(r.rounds); k > 0 {
			n = r.rounds[k-1].Number + 1
		}
		rr := &replayedRound{Number: n, OpenedBy: actor}
		r.rounds = append(r.rounds, rr)
		return rr
	}
	switch step {
	case RoundOpen, RoundSubmit:
		if last == nil || last.Decided {
			last = open()
		}
		if step == RoundSubmit {
			last.Submitted, last.SubmittedBy = true, actor
		}
		return
	case RoundDecide:
		if last == nil {
			return
		}
		d := decision
		last.Decided, last.DecidedBy, last.Decision, last.Comment = true, actor, &d, comment
		if decision == "changes_requested" {
			open()
		}
		return
	case RoundReopen:
		open()
		return
	}
	if last == nil {
		open()
	}
}

func (r *tableReplay) compareArticle(a *Article) {
	const t = "articles"
	if !r.imported {
		r.ps.add(t, a.ID, "the article has no import event")
		return
	}
	w := &r.art
	if a.Title != w.Title {
		r.ps.differ(t, a.ID, "title", a.Title, w.Title)
	}
	if a.Outlet != w.Outlet {
		r.ps.differ(t, a.ID, "outlet", a.Outlet, w.Outlet)
	}
	if a.URL != w.URL {
		r.ps.differ(t, a.ID, "url", a.URL, w.URL)
	}
	if a.Status != w.Status {
		r.ps.differ(t, a.ID, "status", string(a.Status), string(w.Status))
	}
	if !sameStr(a.FactCheckURL, w.FactCheckURL) {
		r.ps.differ(t, a.ID, "factcheck_url", a.FactCheckURL, w.FactCheckURL)
	}
}

// compareRevisions checks what the sentence replay does not: that every
// revision was made by an event, by its actor, in its format, and that the
// current revision is the last one made.
func (r *tableReplay) compareRevisions(revs []Revision, a *Article) {
	const t = "revisions"
	last, lastNumber := (*Revision)(nil), 0
	for i := range revs {
		rev := &revs[i]
		e := r.revisions[rev.Number]
		if e == nil {
			r.ps.add(t, rev.ID, "revision %d: no event explains it: added outside factdesk", rev.Number)
			continue
		}
		var v articleView
		_ = decode(e.After, &v) // apply reported an unreadable event
		if v.Format != nil && *v.Format != rev.Format {
			r.ps.differ(t, rev.ID, "format", rev.Format, *v.Format)
		}
		if rev.ImportedBy != derefID(e.ActorID) {
			r.ps.differ(t, rev.ID, "imported_by", rev.ImportedBy, derefID(e.ActorID))
		}
		if rev.Number > lastNumber {
			last, lastNumber = rev, rev.Number
		}
	}
	stored := map[int]bool{}
	for _, rev := range revs {
		stored[rev.Number] = true
	}
	for n := range r.revisions {
		if !stored[n] && n > 0 {
			r.ps.add(t, 0, "revision %d, made by event %d, is not stored: deleted outside factdesk", n, r.revisions[n].Seq)
		}
		if n > lastNumber {
			lastNumber, last = n, nil
		}
	}
	if last != nil && (a.CurrentRevisionID == nil || *a.CurrentRevisionID != last.ID) {
		r.ps.differ("articles", a.ID, "current_revision_id", a.CurrentRevisionID, last.ID)
	}
}

func (r *tableReplay) compareAttributions(rows []Attribution) {
	const t = "attributions"
	stored := map[int64]bool{}
	for i := range rows {
		a := &rows[i]
		stored[a.SentenceID] = true
		w, seen := r.attrs[a.SentenceID], r.attrSeen[a.SentenceID]
		switch {
		case !seen || w != nil && w.machine:
			// The machine's attribution, stored without an event.
			if a.Origin != AttributionMachine || a.Confirmed() || a.Version != 1 {
				r.ps.add(t, a.ID, "sentence id %d: no event explains this attribution (origin %s, confirmed %v, version %d): added or changed outside factdesk",
					a.SentenceID, a.Origin, a.Confirmed(), a.Version)
			}
			continue
		case w == nil:
			r.ps.add(t, a.ID, "sentence id %d: the events cleared this attribution: added outside factdesk", a.SentenceID)
			continue
		}
		for _, c := range []struct {
			col            string
			stored, replay any
		}{
			{"speaker", a.Speaker, w.Speaker}, {"cue", a.Cue, w.Cue}, {"medium", a.Medium, w.Medium},
			{"carried_over", a.CarriedOver, w.CarriedOver}, {"origin", string(a.Origin), string(w.Origin)},
			{"confirmed", a.Confirmed(), w.Confirmed}, {"version", a.Version, w.Version},
		} {
			if c.stored != c.replay {
				r.ps.differ(t, a.ID, fmt.Sprintf("sentence id %d: %s", a.SentenceID, c.col), c.stored, c.replay)
			}
		}
		if w.fromKnown && !sameInt(a.From, w.From) {
			r.ps.differ(t, a.ID, fmt.Sprintf("sentence id %d: from", a.SentenceID), a.From, w.From)
		}
		if w.fromKnown && !slices.Equal(a.Spans, w.Spans) {
			r.ps.differ(t, a.ID, fmt.Sprintf("sentence id %d: spans", a.SentenceID), spanList(a.Spans), spanList(w.Spans))
		}
		if w.fromKnown && a.Confidence != w.Confidence {
			r.ps.differ(t, a.ID, fmt.Sprintf("sentence id %d: confidence", a.SentenceID), a.Confidence, w.Confidence)
		}
	}
	for _, sid := range sortedKeys(r.attrs) {
		if w := r.attrs[sid]; w != nil && !stored[sid] {
			r.ps.add(t, 0, "sentence id %d: the events leave an attribution (speaker %q) that is not stored: deleted outside factdesk", sid, w.Speaker)
		}
	}
}

// spanList writes spans as a problem shows them: "source 12–25, cue 26–30".
func spanList(s AttributionSpans) string {
	if len(s) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, p := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d–%d", p.Role, p.Start, p.End)
	}
	return b.String()
}

func sameInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func sortedKeys[V any](m map[int64]V) []int64 {
	ks := make([]int64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (r *tableReplay) compareCitations(rows []Citation) {
	const t = "citations"
	stored := map[int64]bool{}
	for i := range rows {
		c := &rows[i]
		stored[c.ID] = true
		w := r.citations[c.ID]
		if w == nil {
			r.ps.add(t, c.ID, "no event explains this citation (sentence id %d, source %d, %s): added outside factdesk", c.SentenceID, c.SourceID, c.Relation)
			continue
		}
		for _, d := range []struct {
			col            string
			stored, replay any
		}{
			{"sentence_id", c.SentenceID, w.SentenceID}, {"source_id", c.SourceID, w.SourceID},
			{"relation", string(c.Relation), string(w.Relation)}, {"excerpt", c.Excerpt, w.Excerpt},
			{"locator", c.Locator, w.Locator}, {"created_by", c.CreatedBy, w.CreatedBy},
		} {
			if d.stored != d.replay {
				r.ps.differ(t, c.ID, d.col, d.stored, d.replay)
			}
		}
	}
	for _, id := range sortedKeys(r.citations) {
		if !stored[id] {
			w := r.citations[id]
			r.ps.add(t, id, "the events leave this citation (sentence id %d, source %d, %s) but it is not stored: deleted outside factdesk", w.SentenceID, w.SourceID, w.Relation)
		}
	}
}

func (r *tableReplay) compareComments(rows []Comment) {
	const t = "comments"
	stored := map[int64]bool{}
	for i := range rows {
		c := &rows[i]
		stored[c.ID] = true
		w := r.comments[c.ID]
		if w == nil {
			r.ps.add(t, c.ID, "no event explains this comment (%s %q): added outside factdesk", c.Kind, clip(c.Body, 60))
			continue
		}
		if c.Body != w.Body {
			r.ps.differ(t, c.ID, "body", c.Body, w.Body)
		}
		if c.Kind != w.Kind {
			r.ps.differ(t, c.ID, "kind", c.Kind, w.Kind)
		}
		if !sameID(c.SentenceID, w.SentenceID) {
			r.ps.differ(t, c.ID, "sentence_id", c.SentenceID, w.SentenceID)
		}
		if !sameID(c.ParentID, w.ParentID) {
			r.ps.differ(t, c.ID, "parent_id", c.ParentID, w.ParentID)
		}
		if c.AuthorID != w.AuthorID {
			r.ps.differ(t, c.ID, "author_id", c.AuthorID, w.AuthorID)
		}
		if (c.ResolvedAt != nil) != (w.ResolvedAt != nil) {
			r.ps.differ(t, c.ID, "resolved", c.ResolvedAt != nil, w.ResolvedAt != nil)
		} else if !sameID(c.ResolvedBy, w.ResolvedBy) {
			r.ps.differ(t, c.ID, "resolved_by", c.ResolvedBy, w.ResolvedBy)
		}
	}
	for _, id := range sortedKeys(r.comments) {
		if !stored[id] {
			r.ps.add(t, id, "the events leave this comment (%q) but it is not stored: deleted outside factdesk", clip(r.comments[id].Body, 60))
		}
	}
}

func (r *tableReplay) compareRounds(rows []ReviewRound) {
	const t = "review_rounds"
	byNumber := map[int]*replayedRound{}
	for _, w := range r.rounds {
		byNumber[w.Number] = w
	}
	stored := map[int]bool{}
	for i := range rows {
		s := &rows[i]
		stored[s.Number] = true
		w := byNumber[s.Number]
		if w == nil {
			r.ps.add(t, s.ID, "round %d: no event explains this review round: added outside factdesk", s.Number)
			continue
		}
		col := func(name string) string { return fmt.Sprintf("round %d: %s", s.Number, name) }
		if !sameID(s.OpenedBy, w.OpenedBy) {
			r.ps.differ(t, s.ID, col("opened_by"), s.OpenedBy, w.OpenedBy)
		}
		if (s.SubmittedAt != nil) != w.Submitted {
			r.ps.differ(t, s.ID, col("submitted"), s.SubmittedAt != nil, w.Submitted)
		}
		if !sameID(s.SubmittedBy, w.SubmittedBy) {
			r.ps.differ(t, s.ID, col("submitted_by"), s.SubmittedBy, w.SubmittedBy)
		}
		if (s.DecidedAt != nil) != w.Decided {
			r.ps.differ(t, s.ID, col("decided"), s.DecidedAt != nil, w.Decided)
		}
		if !sameID(s.DecidedBy, w.DecidedBy) {
			r.ps.differ(t, s.ID, col("decided_by"), s.DecidedBy, w.DecidedBy)
		}
		if !sameStr(s.Decision, w.Decision) {
			r.ps.differ(t, s.ID, col("decision"), s.Decision, w.Decision)
		}
		if s.Comment != w.Comment {
			r.ps.differ(t, s.ID, col("comment"), s.Comment, w.Comment)
		}
	}
	for _, w := range r.rounds {
		if !stored[w.Number] {
			r.ps.add(t, 0, "round %d: the events open this review round but it is not stored: deleted outside factdesk", w.Number)
		}
	}
}

func (r *tableReplay) compareOpinions(rows []SecondOpinion, labels []OpinionLabel) {
	const t = "second_opinions"
	stored := map[int64]bool{}
	for i := range rows {
		o := &rows[i]
		stored[o.ID] = true
		w := r.opinions[o.ID]
		if w == nil {
			r.ps.add(t, o.ID, "no event explains this second opinion: added outside factdesk")
			continue
		}
		for _, d := range []struct {
			col            string
			stored, replay any
		}{
			{"status", o.Status, w.Status}, {"assignee_id", o.AssigneeID, w.AssigneeID},
			{"requested_by", o.RequestedBy, w.RequestedBy}, {"revision_id", o.RevisionID, w.RevisionID},
		} {
			if d.stored != d.replay {
				r.ps.differ(t, o.ID, d.col, d.stored, d.replay)
			}
		}
	}
	for _, id := range sortedKeys(r.opinions) {
		if !stored[id] {
			r.ps.add(t, id, "the events leave this second opinion but it is not stored: deleted outside factdesk")
		}
	}
	const lt = "opinion_labels"
	have := map[[2]int64]bool{}
	for _, l := range labels {
		k := [2]int64{l.OpinionID, l.SentenceID}
		have[k] = true
		if w, ok := r.labels[k]; !ok || w == "" {
			r.ps.add(lt, l.ID, "second opinion %d, sentence id %d: no event explains the label %q: added outside factdesk", l.OpinionID, l.SentenceID, l.Label)
		} else if string(l.Label) != w {
			r.ps.differ(lt, l.ID, fmt.Sprintf("second opinion %d, sentence id %d: label", l.OpinionID, l.SentenceID), string(l.Label), w)
		}
	}
	keys := make([][2]int64, 0, len(r.labels))
	for k, w := range r.labels {
		if w != "" && !have[k] {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b [2]int64) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	for _, k := range keys {
		r.ps.add(lt, 0, "second opinion %d, sentence id %d: the events leave the label %q but it is not stored: deleted outside factdesk", k[0], k[1], r.labels[k])
	}
}

func (r *tableReplay) compareAssignments(rows []Assignment) {
	const t = "assignments"
	stored := map[int64]bool{}
	for i := range rows {
		a := &rows[i]
		stored[a.UserID] = true
		w := r.assignments[a.UserID]
		if w == nil {
			r.ps.add(t, a.UserID, "the assignment of user %d: no event explains it: added outside factdesk", a.UserID)
			continue
		}
		if a.Priority != w.Priority {
			r.ps.differ(t, a.UserID, "priority", string(a.Priority), string(w.Priority))
		}
		if !sameSecond(a.DueAt, w.DueAt) {
			r.ps.differ(t, a.UserID, "due_at", fmtTime(a.DueAt), fmtTime(w.DueAt))
		}
		if !sameID(a.AssignedBy, w.AssignedBy) {
			r.ps.differ(t, a.UserID, "assigned_by", a.AssignedBy, w.AssignedBy)
		}
	}
	for _, uid := range sortedKeys(r.assignments) {
		if !stored[uid] {
			r.ps.add(t, uid, "the events assign user %d but the assignment is not stored: deleted outside factdesk", uid)
		}
	}
}

// sameSecond compares times as the assign event records them: to the
// second, in UTC.
func sameSecond(a, b *time.Time) bool {
	return fmtTime(a) == fmtTime(b)
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

// replayUsers replays the global chain's user and token events against the
// stored users and API tokens. The problems name the table ("users",
// "api_tokens") and the row.
func replayUsers(events []AuditEvent, users []User, tokens []APIToken) []Problem {
	type userState struct {
		email, name string
		role        Role
		disabled    bool
	}
	type tokenState struct {
		userID       int64
		name, prefix string
		revoked      bool
	}
	var ps problems
	us := map[int64]*userState{}
	ts := map[int64]*tokenState{}
	for i := range events {
		e := &events[i]
		bad := func(err error) {
			ps = append(ps, Problem{Seq: e.Seq, Message: fmt.Sprintf("the %s event cannot be read: %v", e.Action, err)})
		}
		switch e.Action {
		case "user.create", "user.update":
			var v struct {
				Email    *string `json:"email"`
				Name     *string `json:"name"`
				Role     *Role   `json:"role"`
				Disabled *bool   `json:"disabled"`
			}
			if err := decode(e.After, &v); err != nil {
				bad(err)
				continue
			}
			u := us[e.EntityID]
			if u == nil {
				if e.Action == "user.update" {
					continue // compare reports the user with no user.create
				}
				u = &userState{}
				us[e.EntityID] = u
			}
			if v.Email != nil {
				u.email = *v.Email
			}
			if v.Name != nil {
				u.name = *v.Name
			}
			if v.Role != nil {
				u.role = *v.Role
			}
			if v.Disabled != nil {
				u.disabled = *v.Disabled
				if *v.Disabled {
					// UpdateUser revokes the user's tokens.
					for _, t := range ts {
						if t.userID == e.EntityID {
							t.revoked = true
						}
					}
				}
			}
		case "token.create":
			var v struct {
				UserID int64  `json:"user_id"`
				Name   string `json:"name"`
				Prefix string `json:"prefix"`
			}
			if err := decode(e.After, &v); err != nil {
				bad(err)
				continue
			}
			ts[e.EntityID] = &tokenState{userID: v.UserID, name: v.Name, prefix: v.Prefix}
		case "token.revoke":
			if t := ts[e.EntityID]; t != nil {
				t.revoked = true
			}
		}
	}
	const ut, tt = "users", "api_tokens"
	seen := map[int64]bool{}
	for i := range users {
		u := &users[i]
		seen[u.ID] = true
		w := us[u.ID]
		if w == nil {
			ps.add(ut, u.ID, "no event explains this user (%s, %s): added outside factdesk", u.Email, u.Role)
			continue
		}
		if u.Email != w.email {
			ps.differ(ut, u.ID, "email", u.Email, w.email)
		}
		if u.Name != w.name {
			ps.differ(ut, u.ID, "name", u.Name, w.name)
		}
		if u.Role != w.role {
			ps.differ(ut, u.ID, "role", string(u.Role), string(w.role))
		}
		if u.Disabled() != w.disabled {
			ps.differ(ut, u.ID, "disabled", u.Disabled(), w.disabled)
		}
	}
	for _, id := range sortedKeys(us) {
		if !seen[id] {
			ps.add(ut, id, "the events leave user %s but it is not stored: deleted outside factdesk", us[id].email)
		}
	}
	seen = map[int64]bool{}
	for i := range tokens {
		t := &tokens[i]
		seen[t.ID] = true
		w := ts[t.ID]
		if w == nil {
			ps.add(tt, t.ID, "no event explains this token (%q of user %d): added outside factdesk", t.Name, t.UserID)
			continue
		}
		if t.UserID != w.userID {
			ps.differ(tt, t.ID, "user_id", t.UserID, w.userID)
		}
		if t.Name != w.name {
			ps.differ(tt, t.ID, "name", t.Name, w.name)
		}
		if t.Prefix != w.prefix {
			ps.differ(tt, t.ID, "prefix", t.Prefix, w.prefix)
		}
		if (t.RevokedAt != nil) != w.revoked {
			ps.differ(tt, t.ID, "revoked", t.RevokedAt != nil, w.revoked)
		}
	}
	for _, id := range sortedKeys(ts) {
		if !seen[id] {
			ps.add(tt, id, "the events leave token %q but it is not stored: deleted outside factdesk", ts[id].name)
		}
	}
	return ps
}
