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
// and after the last, with who made the changes.
type SentenceChange struct {
	SentenceID int64         `json:"sentence_id"`
	Index      int           `json:"index"`  // 0-based
	Number     int           `json:"number"` // 1-based, as the page's #s-N anchors count
	Text       string        `json:"text"`
	Before     SentenceState `json:"before"`
	After      SentenceState `json:"after"`
	Changes    int           `json:"changes"` // events in the stretch
	Actors     []string      `json:"actors"`  // who made them, in order of first change
	LastAt     time.Time     `json:"last_at"`
}

// SentenceChangesBetween folds an article's sentence events with a
// sequence number in (after, until] — until 0 means no upper bound — into
// one change per sentence, in sentence order. A sentence changed and then
// changed back is left out: nothing differs for a reader. Two queries,
// whatever the number of events.
func (s *Store) SentenceChangesBetween(ctx context.Context, articleID, after, until int64) ([]SentenceChange, error) {
	db := s.db.gorm.WithContext(ctx).Where("article_id = ? AND entity = ? AND seq > ?", articleID, "sentence", after)
	if until > 0 {
		db = db.Where("seq <= ?", until)
	}
	var evs []AuditEvent
	if err := db.Order("seq").Find(&evs).Error; err != nil {
		return nil, fmt.Errorf("load sentence events of article %d after %d: %w", articleID, after, err)
	}
	byID := map[int64]*SentenceChange{}
	var ids []int64
	for i := range evs {
		e := &evs[i]
		e.fillRaw()
		before, after, err := EventStates(e)
		if err != nil {
			return nil, err
		}
		if e.Action == ActionCarry {
			// A new revision's sentence starts where the old one stood.
			before = carriedFrom(e, before)
		}
		c := byID[e.EntityID]
		if c == nil {
			c = &SentenceChange{SentenceID: e.EntityID, Before: before}
			byID[e.EntityID] = c
			ids = append(ids, e.EntityID)
		}
		c.After, c.LastAt = after, e.At
		c.Changes++
		if !slices.Contains(c.Actors, e.Actor) {
			c.Actors = append(c.Actors, e.Actor)
		}
	}
	out := make([]SentenceChange, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Idx  int
		Text string
	}
	if err := s.db.gorm.WithContext(ctx).Model(&Sentence{}).Select("id, idx, text").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load changed sentences of article %d: %w", articleID, err)
	}
	for _, r := range rows {
		c := byID[r.ID]
		if c.Before.sameContent(c.After) {
			continue
		}
		c.Index, c.Number, c.Text = r.Idx, r.Idx+1, r.Text
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b SentenceChange) int { return a.Index - b.Index })
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
