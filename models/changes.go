package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// SentenceChange is how one sentence changed over a stretch of its
// article's audit trail: its state before the first change of the stretch
// and after the last, its attribution likewise, the citations added and
// removed, the comment threads on it resolved, with who made the changes.
type SentenceChange struct {
	SentenceID int64         `json:"sentence_id"`
	Index      int           `json:"index"`  // 0-based
	Number     int           `json:"number"` // 1-based, as the page's #s-N anchors count
	Text       string        `json:"text"`
	Before     SentenceState `json:"before"`
	After      SentenceState `json:"after"`
	// Attribution is how the attribution changed, nil when it did not.
	Attribution      *AttributionChange `json:"attribution"`
	CitationsAdded   []CitationChange   `json:"citations_added"`
	CitationsRemoved []CitationChange   `json:"citations_removed"`
	CommentsResolved []ResolvedComment  `json:"comments_resolved"`
	Changes          int                `json:"changes"` // events in the stretch
	Actors           []string           `json:"actors"`  // who made them, in order of first change
	LastAt           time.Time          `json:"last_at"`
}

// AttributionRecord is what an audit event records of an attribution.
type AttributionRecord struct {
	Speaker     string `json:"speaker"`
	Cue         string `json:"cue"`
	Medium      string `json:"medium"`
	CarriedOver bool   `json:"carried_over"`
	From        *int   `json:"from"`
	Origin      string `json:"origin"`
	Confirmed   bool   `json:"confirmed"`
	Version     int    `json:"version"`
	// Spans and Confidence are the machine's reading, recorded while the
	// attribution has it (see Attribution).
	Spans      AttributionSpans `json:"spans,omitempty"`
	Confidence float64          `json:"confidence,omitempty"`
}

// same reports whether two records say the same: who, how, where, and
// whether a person stands behind it.
func (a *AttributionRecord) same(b *AttributionRecord) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Speaker == b.Speaker && a.Cue == b.Cue && a.Medium == b.Medium && a.CarriedOver == b.CarriedOver && a.Confirmed == b.Confirmed
}

// AttributionChange is how a sentence's attribution changed over a
// stretch: before the first change and after the last (nil: none).
// ConfirmedBy names who confirmed the machine's attribution in the
// stretch (an audit actor, "Name <email>"), "" when nobody did.
type AttributionChange struct {
	Before      *AttributionRecord `json:"before"`
	After       *AttributionRecord `json:"after"`
	ConfirmedBy string             `json:"confirmed_by,omitempty"`
}

// CitationChange is a citation added or removed over a stretch.
type CitationChange struct {
	CitationID int64  `json:"citation_id"`
	SourceID   int64  `json:"source_id"`
	Title      string `json:"title"` // the source's title
	Relation   string `json:"relation"`
	By         string `json:"by"` // the audit actor who added or removed it
}

// ResolvedComment is a comment thread resolved over a stretch.
type ResolvedComment struct {
	CommentID  int64  `json:"comment_id"`
	Kind       string `json:"kind"`
	Body       string `json:"body"`
	ResolvedBy string `json:"resolved_by"` // the audit actor
}

// Changes is what changed in an article over a stretch of its audit
// trail: the sentences, and the threads on the article itself resolved.
type Changes struct {
	Sentences        []SentenceChange  `json:"sentences"`
	CommentsResolved []ResolvedComment `json:"comments_resolved"`
}

// changeEvents are the actions ChangesBetween reads besides every
// sentence event.
var changeEvents = []string{"attribution.set", "attribution.confirm", "attribution.clear", "attribution.reuse",
	"citation.add", "citation.reuse", "citation.delete", "comment.resolve", "comment.reopen"}

// ChangesBetween folds an article's events with a sequence number in
// (after, until] — until 0 means no upper bound — into one change per
// sentence, in sentence order: its state, its attribution, its citations
// and its resolved threads; and lists the article's own threads resolved.
// A sentence changed and then changed back is left out: nothing differs
// for a reader; so are a citation added and removed again, and a thread
// resolved and reopened. At most four queries, whatever the number of
// events.
func (s *Store) ChangesBetween(ctx context.Context, articleID, after, until int64) (*Changes, error) {
	db := s.db.gorm.WithContext(ctx).Where("article_id = ? AND seq > ? AND (entity = ? OR action IN ?)", articleID, after, "sentence", changeEvents)
	if until > 0 {
		db = db.Where("seq <= ?", until)
	}
	var evs []AuditEvent
	if err := db.Order("seq").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("load the events of article %d after %d: %w", articleID, after, err)
	}
	f := newChangeFold()
	for i := range evs {
		if err := f.add(&evs[i]); err != nil {
			return nil, err
		}
	}
	if err := f.resolveComments(s.db.gorm.WithContext(ctx)); err != nil {
		return nil, err
	}
	if err := f.nameSources(s.db.gorm.WithContext(ctx)); err != nil {
		return nil, err
	}
	out := &Changes{Sentences: []SentenceChange{}, CommentsResolved: f.articleComments}
	if out.CommentsResolved == nil {
		out.CommentsResolved = []ResolvedComment{}
	}
	if len(f.order) == 0 {
		return out, nil
	}
	var rows []Sentence
	if err := s.db.gorm.WithContext(ctx).Where("id IN ?", f.order).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load changed sentences of article %d: %w", articleID, err)
	}
	for i := range rows {
		r := &rows[i]
		c := f.finish(r.ID, r.State())
		if c == nil {
			continue
		}
		c.Index, c.Number, c.Text = r.Index, r.Number(), r.Text
		out.Sentences = append(out.Sentences, *c)
	}
	slices.SortFunc(out.Sentences, func(a, b SentenceChange) int { return a.Index - b.Index })
	return out, nil
}

// RoundDecisionSeq returns the sequence number of the audit event that
// decided an article's review round number round (its approval or its
// request for changes), and false when that round was not decided.
func (s *Store) RoundDecisionSeq(ctx context.Context, articleID int64, round int) (int64, bool, error) {
	var evs []AuditEvent
	err := s.db.gorm.WithContext(ctx).Where("article_id = ? AND entity = ? AND action IN ?", articleID, "article",
		[]string{"article.approve", "article.request_changes"}).Order("seq").Find(&evs).Error
	if err != nil {
		return 0, false, fmt.Errorf("load decisions of article %d: %w", articleID, err)
	}
	for _, e := range evs {
		var after struct {
			Round int `json:"round"`
		}
		if err := json.Unmarshal([]byte(e.After), &after); err != nil {
			return 0, false, fmt.Errorf("decode decision event %d of article %d: %w", e.Seq, articleID, err)
		}
		decided := after.Round
		if e.Action == "article.request_changes" {
			// The event names the round it opened for the checkers' next
			// pass (see stepRound), one after the round it decided.
			decided--
		}
		if decided == round {
			return e.Seq, true, nil
		}
	}
	return 0, false, nil
}
