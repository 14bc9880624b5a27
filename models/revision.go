package models

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"factdesk/codebook"
	"factdesk/migrations"
	"factdesk/realign"
)

// NewRevision is a corrected body for an article, segmented and aligned
// with the revision it replaces, ready to be stored by AddRevision.
type NewRevision struct {
	ArticleID int64
	// BaseRevisionID is the revision the sentences were aligned against:
	// the article's current one when the caller read it.
	BaseRevisionID int64
	// Title and URL replace the article's when not empty.
	Title, URL     string
	Format         string
	SourceURL      string
	Body           string
	BodySHA256     string
	ParagraphCount int
	// Sentences are the new body's sentences in their initial state
	// (unreviewed, or excluded with a reason), as an import makes them.
	Sentences []Sentence
	// Attributions and Suggestions are the machine's reading of
	// Sentences, as in NewArticle. A sentence that carries a check over
	// keeps its old attribution instead of the machine's.
	Attributions []*Attribution
	Suggestions  []*Suggestion
	// Alignment matches Sentences to the base revision's sentences in
	// order (realign.Align).
	Alignment realign.Result
	// Carry decides the state a matched sentence starts from, given the
	// kind of match, the old sentence's state and the new sentence's
	// initial state. Its Version is ignored.
	Carry func(kind realign.Kind, old, initial SentenceState) SentenceState
}

// RevisionCounts says what a revision did to the sentences of the one
// before.
type RevisionCounts struct {
	Unchanged int `json:"unchanged"`
	Moved     int `json:"moved"`
	Changed   int `json:"changed"`
	New       int `json:"new"`
	Removed   int `json:"removed"`
}

// countsOf counts an alignment's kinds.
func countsOf(r realign.Result) RevisionCounts {
	return RevisionCounts{Unchanged: r.Count(realign.Unchanged), Moved: r.Count(realign.Moved),
		Changed: r.Count(realign.Changed), New: r.Count(realign.New), Removed: len(r.Removed)}
}

// RevisionResult is what AddRevision did.
type RevisionResult struct {
	Article  *Article
	Revision *Revision
	// Created is false when the body is the current revision's own:
	// nothing was stored and Revision is the current one.
	Created bool
	Counts  RevisionCounts
}

// The kinds of RevisionChange, and the action of the audit event that
// records each carried-over sentence.
const (
	ChangeMoved   = "moved"
	ChangeChanged = "changed"
	ChangeNew     = "new"
	ChangeRemoved = "removed"

	ActionCarry = "sentence.carry"
)

// SentenceCheck is the check a sentence had at a revision: its state, how
// many citations it had and the speaker its claim was attributed to.
type SentenceCheck struct {
	SentenceState
	Citations int    `json:"citations"`
	Speaker   string `json:"speaker,omitempty"`
}

// RevisionChange is what a revision did to one sentence: moved, changed
// (with the word-level difference from the old text), new, or removed
// (with the check it had). Unchanged sentences have no row.
type RevisionChange struct {
	ID            int64            `gorm:"primaryKey" json:"-"`
	ArticleID     int64            `json:"-"`
	RevisionID    int64            `json:"revision_id"`
	Kind          string           `json:"kind"`
	SentenceID    *int64           `json:"sentence_id"`     // nil when removed
	OldSentenceID *int64           `json:"old_sentence_id"` // nil when new
	Similarity    float64          `json:"similarity"`
	Diff          []realign.DiffOp `gorm:"serializer:json" json:"diff,omitempty"`
	// Before is the old sentence's check, After the new sentence's check
	// right after the revision (nil for a removed sentence).
	Before *SentenceCheck `gorm:"column:before_state;serializer:json" json:"before"`
	After  *SentenceCheck `gorm:"column:after_state;serializer:json" json:"after"`
}

// carryEvent is what a sentence.carry event records: a sentenceEvent (so
// that EventStates and the replay read it like any sentence event) and
// where the check came from.
type carryEvent struct {
	sentenceEvent
	From      int64 `json:"from"`       // the old sentence's id
	FromIndex int   `json:"from_index"` // its 0-based index
	// FromState is the old sentence's state: where a reader of the
	// article's changes sees the new sentence start from.
	FromState  SentenceState `json:"from_state"`
	Match      string        `json:"match"` // unchanged, moved or changed
	Similarity float64       `json:"similarity"`
	// Citations are the ids of the citations copied to the new sentence.
	Citations []int64 `json:"citations,omitempty"`
	// Attribution says whether the old sentence's attribution came along.
	Attribution bool `json:"attribution,omitempty"`
}

// AddRevision stores a new revision of an article in one transaction: the
// revision and its sentences, the check of every matched sentence carried
// over (state, attribution and citations, copied to the new sentence), a
// RevisionChange for every sentence moved, changed, new or removed, the
// article.revision event and one sentence.carry event per sentence that
// carries something a person did (a state other than the import's, a
// citation or a confirmed attribution); a matched sentence with nothing to
// carry starts as an import leaves it. An approved or submitted article goes back in review, with a
// new round when none is open. A body equal to the current revision's
// stores nothing. When the current revision is no longer BaseRevisionID it
// refuses with ECONFLICT.
func (s *Store) AddRevision(ctx context.Context, actor Actor, nr NewRevision) (*RevisionResult, error) {
	if len(nr.Alignment.Matches) != len(nr.Sentences) {
		return nil, fmt.Errorf("add revision: %d matches for %d sentences", len(nr.Alignment.Matches), len(nr.Sentences))
	}
	out := &RevisionResult{}
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var art Article
		q := tx
		if s.db.dialect == migrations.Postgres {
			q = tx.Clauses(lockForUpdate())
		}
		if err := q.First(&art, nr.ArticleID).Error; err != nil {
			return notFound(err, "article %d", nr.ArticleID)
		}
		out.Article = &art
		if art.CurrentRevisionID == nil {
			return fmt.Errorf("article %d has no current revision", art.ID)
		}
		var base Revision
		if err := tx.Omit("body").First(&base, *art.CurrentRevisionID).Error; err != nil {
			return notFound(err, "revision %d", *art.CurrentRevisionID)
		}
		if base.BodySHA256 == nr.BodySHA256 {
			out.Revision = &base
			return nil
		}
		if base.ID != nr.BaseRevisionID {
			return &Error{Code: ECONFLICT, Data: map[string]any{"revision": base.Number},
				Message: fmt.Sprintf("someone added revision %d of this article meanwhile; send the new version again", base.Number)}
		}
		w, err := s.loadCarry(tx, base.ID, len(nr.Alignment.Removed), nr)
		if err != nil {
			return err
		}
		rev := &Revision{
			ArticleID: art.ID, Number: base.Number + 1, Body: nr.Body, BodySHA256: nr.BodySHA256, Format: nr.Format,
			SourceURL: nr.SourceURL, SentenceCount: len(nr.Sentences), ParagraphCount: nr.ParagraphCount,
			ImportedBy: actor.ID, ImportedAt: tx.NowFunc(),
		}
		if err := tx.Create(rev).Error; err != nil {
			return fmt.Errorf("create revision: %w", err)
		}
		out.Revision, out.Created, out.Counts = rev, true, countsOf(nr.Alignment)
		return s.storeRevision(tx, actor, &art, &base, rev, nr, w)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// carryWork is the old revision's check, read under the article's lock,
// and which new sentences carry some of it.
type carryWork struct {
	old       []Sentence
	attrs     map[int64]*Attribution // by old sentence id
	citations map[int64][]Citation   // by old sentence id
	carried   []bool                 // by new position
}

// loadCarry reads the base revision's sentences with their attributions
// and citations, three queries whatever the length.
func (s *Store) loadCarry(tx *gorm.DB, baseID int64, removed int, nr NewRevision) (*carryWork, error) {
	w := &carryWork{attrs: map[int64]*Attribution{}, citations: map[int64][]Citation{}}
	// The check and where it lies (for the attributions' spans), not the
	// text: the alignment is done.
	err := tx.Select("id, idx, start_cp, end_cp, label, label_by, label_at, label_suggested, status, exclude_reason, verdict, note, version").
		Where("revision_id = ?", baseID).Order("idx").Find(&w.old).Error
	if err != nil {
		return nil, fmt.Errorf("load sentences of revision %d: %w", baseID, err)
	}
	matched := 0
	for _, m := range nr.Alignment.Matches {
		if m.Kind != realign.New {
			if m.Old < 0 || m.Old >= len(w.old) {
				return nil, fmt.Errorf("add revision: match to old sentence %d of %d", m.Old, len(w.old))
			}
			matched++
		}
	}
	if matched+removed != len(w.old) {
		return nil, fmt.Errorf("add revision: the alignment covers %d old sentences, revision %d has %d", matched+removed, baseID, len(w.old))
	}
	var attrs []Attribution
	err = tx.Raw(`SELECT a.* FROM attributions a JOIN sentences s ON s.id = a.sentence_id WHERE s.revision_id = ?`, baseID).Scan(&attrs).Error
	if err != nil {
		return nil, fmt.Errorf("load attributions of revision %d: %w", baseID, err)
	}
	for i := range attrs {
		w.attrs[attrs[i].SentenceID] = &attrs[i]
	}
	var cs []Citation
	err = tx.Raw(`SELECT c.* FROM citations c JOIN sentences s ON s.id = c.sentence_id WHERE s.revision_id = ? ORDER BY c.id`, baseID).Scan(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("load citations of revision %d: %w", baseID, err)
	}
	for _, c := range cs {
		w.citations[c.SentenceID] = append(w.citations[c.SentenceID], c)
	}
	return w, nil
}

// storeRevision writes everything a revision carries: the sentences with
// their carried state, attributions, suggestions, copied citations, the
// change rows and the events.
func (s *Store) storeRevision(tx *gorm.DB, actor Actor, art *Article, base, rev *Revision, nr NewRevision, w *carryWork) error {
	ss := nr.Sentences
	initial := make([]SentenceState, len(ss))
	for j := range ss {
		ss[j].Version = 1
		initial[j] = ss[j].State()
		if k := nr.Alignment.Matches[j].Kind; k == realign.Unchanged || k == realign.Moved {
			// The same text is indexed under the sentence of the revision
			// it first appeared in, which the lookup maps to this one.
			ss[j].Bands = BandKeys{}
		}
	}
	oldToNew := make(map[int]int, len(ss))
	w.carried = make([]bool, len(ss))
	for _, m := range nr.Alignment.Matches {
		if m.Kind == realign.New {
			continue
		}
		oldToNew[m.Old] = m.New
		old := &w.old[m.Old]
		next := nr.Carry(m.Kind, old.State(), initial[m.New])
		a := w.attrs[old.ID]
		if next.SameContent(initial[m.New]) && len(w.citations[old.ID]) == 0 && (a == nil || !a.Confirmed()) {
			// Nothing a person did to carry: the sentence starts afresh,
			// as an import would leave it.
			continue
		}
		w.carried[m.New] = true
		next.Version = initial[m.New].Version + 1
		setState(&ss[m.New], next, old)
	}
	if err := insertSentences(tx, art.ID, rev.ID, ss); err != nil {
		return err
	}
	attrs := make([]*Attribution, len(ss))
	spans := newSpanCarry(w.old, nr.Alignment, ss)
	for j, m := range nr.Alignment.Matches {
		var machine *Attribution
		if j < len(nr.Attributions) {
			machine = nr.Attributions[j]
		}
		attrs[j] = machine
		if m.Kind == realign.New {
			continue
		}
		old := w.attrs[w.old[m.Old].ID]
		switch {
		case old != nil:
			a := *old
			if a.From != nil {
				if k, ok := oldToNew[*a.From]; ok {
					a.From = &k
				} else {
					a.From = nil
				}
			}
			a.Spans, a.Confidence = spans.reading(&a, machine, m.Kind)
			attrs[j] = &a
		case m.Kind != realign.Changed:
			// The checker's "nobody" stands for the same text.
			attrs[j] = nil
		}
	}
	if err := insertAttributions(tx, ss, attrs); err != nil {
		return err
	}
	if len(nr.Suggestions) > 0 {
		if len(nr.Suggestions) != len(ss) {
			return fmt.Errorf("store machine reading: %d suggestions for %d sentences", len(nr.Suggestions), len(ss))
		}
		if err := insertSuggestions(tx, ss, nr.Suggestions); err != nil {
			return err
		}
	}
	copied, err := copyCitations(tx, nr.Alignment, w, ss)
	if err != nil {
		return err
	}
	if err := insertChanges(tx, art.ID, rev.ID, nr.Alignment, w, ss, attrs, copied); err != nil {
		return err
	}
	if err := s.indexRevision(tx, art.ID, rev.ID, base.ID); err != nil {
		return err
	}
	return s.revisionEvents(tx, actor, art, base, rev, nr, w, initial, attrs, copied)
}

// setState gives a new sentence the carried state; the label keeps its
// author and time when it is the old sentence's label.
func setState(st *Sentence, cs SentenceState, old *Sentence) {
	st.Label, st.LabelBy, st.LabelAt = nil, nil, nil
	if cs.Label != "" {
		l := codebook.Label(cs.Label)
		st.Label = &l
		if old.LabelString() == cs.Label {
			st.LabelBy, st.LabelAt = old.LabelBy, old.LabelAt
		}
	}
	st.LabelSuggested = cs.Suggested
	st.Status = codebook.Status(cs.Status)
	st.Verdict, st.Note, st.ExcludeReason, st.Version = cs.Verdict, cs.Note, cs.ExcludeReason, cs.Version
}

// copyCitations copies the citations of every matched old sentence to its
// new sentence, keeping who added them and when, and returns the new
// citation ids by new sentence position.
func copyCitations(tx *gorm.DB, al realign.Result, w *carryWork, ss []Sentence) (map[int][]int64, error) {
	var rows []Citation
	var owner []int
	for j, m := range al.Matches {
		if m.Kind == realign.New {
			continue
		}
		for _, c := range w.citations[w.old[m.Old].ID] {
			c.ID, c.SentenceID, c.Source = 0, ss[j].ID, nil
			rows = append(rows, c)
			owner = append(owner, j)
		}
	}
	out := map[int][]int64{}
	if len(rows) == 0 {
		return out, nil
	}
	// The copies keep SourceVersion: they cite what the original cited.
	if err := tx.CreateInBatches(rows, rowsPerInsert(tx, 10)).Error; err != nil {
		return nil, fmt.Errorf("copy %d citations: %w", len(rows), err)
	}
	for k, c := range rows {
		out[owner[k]] = append(out[owner[k]], c.ID)
	}
	return out, nil
}

// checkOf is the check a sentence has: its state, citations and speaker.
func checkOf(st *Sentence, citations int, a *Attribution) *SentenceCheck {
	c := &SentenceCheck{SentenceState: st.State(), Citations: citations}
	if a != nil {
		c.Speaker = a.Speaker
	}
	return c
}

// insertChanges writes a RevisionChange for every sentence the revision
// moved, changed, added or removed.
func insertChanges(tx *gorm.DB, articleID, revisionID int64, al realign.Result, w *carryWork, ss []Sentence,
	attrs []*Attribution, copied map[int][]int64) error {
	var rows []RevisionChange
	for j, m := range al.Matches {
		if m.Kind == realign.Unchanged {
			continue
		}
		id := ss[j].ID
		rc := RevisionChange{ArticleID: articleID, RevisionID: revisionID, Kind: string(m.Kind), SentenceID: &id,
			Similarity: m.Similarity, Diff: m.Diff, After: checkOf(&ss[j], len(copied[j]), attrs[j])}
		if m.Kind != realign.New {
			old := &w.old[m.Old]
			rc.OldSentenceID = &old.ID
			rc.Before = checkOf(old, len(w.citations[old.ID]), w.attrs[old.ID])
		}
		rows = append(rows, rc)
	}
	for _, i := range al.Removed {
		old := &w.old[i]
		rows = append(rows, RevisionChange{ArticleID: articleID, RevisionID: revisionID, Kind: ChangeRemoved,
			OldSentenceID: &old.ID, Before: checkOf(old, len(w.citations[old.ID]), w.attrs[old.ID])})
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(rows, rowsPerInsert(tx, 10)).Error; err != nil {
		return fmt.Errorf("record %d revision changes: %w", len(rows), err)
	}
	return nil
}

// revisionEvents records the revision and every carried-over sentence on
// the article's chain, moves the article to the new revision and, when it
// was approved or submitted, back in review.
func (s *Store) revisionEvents(tx *gorm.DB, actor Actor, art *Article, base, rev *Revision, nr NewRevision, w *carryWork,
	initial []SentenceState, attrs []*Attribution, copied map[int][]int64) error {
	status := art.Status
	if status == ArticleApproved || status == ArticleSubmitted {
		status = ArticleInReview
		var last ReviewRound
		res := tx.Where("article_id = ?", art.ID).Order("number DESC").Limit(1).Find(&last)
		if res.Error != nil {
			return fmt.Errorf("load review round: %w", res.Error)
		}
		var round *ReviewRound
		if res.RowsAffected > 0 {
			round = &last
		}
		if _, err := stepRound(tx, art.ID, round, Transition{Round: RoundOpen}, actor, tx.NowFunc()); err != nil {
			return err
		}
	}
	before := map[string]any{"revision": base.Number, "body_sha256": base.BodySHA256, "status": art.Status}
	updates := map[string]any{"current_revision_id": rev.ID}
	if nr.Title != "" && nr.Title != art.Title {
		before["title"] = art.Title
		art.Title = nr.Title
		updates["title"] = nr.Title
	}
	if nr.URL != "" && nr.URL != art.URL {
		before["url"] = art.URL
		art.URL = nr.URL
		updates["url"] = nr.URL
	}
	// The replay starts every sentence from its initial state, which the
	// event records as an import event does; the carry events take them
	// from there.
	after := importRecord(art, rev, nil)
	excluded := map[string]string{}
	for j, st := range initial {
		if st.Status == string(codebook.Excluded) {
			excluded[fmt.Sprint(nr.Sentences[j].Index)] = st.ExcludeReason
		}
	}
	after["sentences"], after["excluded"] = len(nr.Sentences), excluded
	counts := countsOf(nr.Alignment)
	after["status"], after["based_on"] = status, base.Number
	after["unchanged"], after["moved"], after["changed"], after["new"], after["removed"] =
		counts.Unchanged, counts.Moved, counts.Changed, counts.New, counts.Removed
	evs := make([]Event, 0, 1+len(nr.Sentences))
	evs = append(evs, Event{ArticleID: art.ID, Actor: actor, Action: "article.revision", Entity: "article", EntityID: art.ID,
		Before: before, After: after})
	for j, m := range nr.Alignment.Matches {
		if !w.carried[j] {
			continue
		}
		st, old := &nr.Sentences[j], &w.old[m.Old]
		ce := carryEvent{sentenceEvent: sentenceEvent{Index: st.Index, SentenceState: st.State()},
			From: old.ID, FromIndex: old.Index, FromState: old.State(), Match: string(m.Kind), Similarity: m.Similarity,
			Citations: copied[j], Attribution: w.attrs[old.ID] != nil && attrs[j] != nil}
		evs = append(evs, Event{ArticleID: art.ID, Actor: actor, Action: ActionCarry, Entity: "sentence", EntityID: st.ID,
			Before: sentenceEvent{Index: st.Index, SentenceState: initial[j]}, After: ce})
	}
	if err := tx.Model(&Article{}).Where("id = ?", art.ID).Updates(updates).Error; err != nil {
		return fmt.Errorf("move article %d to revision %d: %w", art.ID, rev.Number, err)
	}
	art.CurrentRevisionID = &rev.ID
	if err := s.writeArticleEvents(tx, art, evs, status); err != nil {
		return err
	}
	return enqueueWebhooks(tx, "article.revised", map[string]any{"article": articleData(art), "revision": rev.Number,
		"sentences": len(nr.Sentences), "by": actor.Name})
}

// writeArticleEvents appends evs, in order, to the chain of an article
// locked and read in this transaction, in multi-row inserts, and moves the
// head and the status once: a revision of thousands of sentences records
// thousands of events.
func (s *Store) writeArticleEvents(tx *gorm.DB, art *Article, evs []Event, status ArticleStatus) error {
	if len(evs) == 0 {
		return nil
	}
	rows := make([]*AuditEvent, len(evs))
	seq, prev := art.AuditSeq, art.AuditHead
	for i, ev := range evs {
		e, err := newAuditEvent(ev, seq+1, prev, tx.NowFunc())
		if err != nil {
			return err
		}
		rows[i] = e
		seq, prev = e.Seq, e.Hash
	}
	if err := tx.CreateInBatches(rows, rowsPerInsert(tx, 13)).Error; err != nil {
		return fmt.Errorf("write %d audit events: %w", len(rows), err)
	}
	last := rows[len(rows)-1]
	res := tx.Exec(`UPDATE articles SET audit_seq = ?, audit_head = ?, status = ?, updated_at = ? WHERE id = ? AND audit_seq = ?`,
		last.Seq, last.Hash, status, last.At, art.ID, art.AuditSeq)
	if res.Error != nil {
		return fmt.Errorf("move audit head of article %d: %w", art.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("audit head of article %d moved under a lock", art.ID)
	}
	art.AuditSeq, art.AuditHead, art.Status, art.UpdatedAt = last.Seq, last.Hash, status, last.At
	return nil
}

// carriedFrom returns the state a sentence.carry event's sentence had in
// the revision before, or fallback when the event does not record it.
func carriedFrom(e *AuditEvent, fallback SentenceState) SentenceState {
	var ce struct {
		FromState *SentenceState `json:"from_state"`
	}
	if err := json.Unmarshal([]byte(e.After), &ce); err != nil || ce.FromState == nil {
		return fallback
	}
	return *ce.FromState
}
