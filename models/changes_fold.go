package models

import (
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// changeFold gathers a stretch of an article's events by sentence, for
// ChangesBetween.
type changeFold struct {
	sentences map[int64]*sentenceFold
	order     []int64 // sentence ids, in order of first event
	citations map[int64]*citationFold
	citeOrder []int64
	comments  map[int64]*commentFold
	// commentOrder lists the comments resolved or reopened, in order.
	commentOrder    []int64
	articleComments []ResolvedComment
}

// sentenceFold is one sentence's events of the stretch.
type sentenceFold struct {
	SentenceChange
	stateSeen   bool // a sentence event set Before and After
	attrSeen    bool
	attrBefore  *AttributionRecord
	attrAfter   *AttributionRecord
	confirmedBy string
}

// citationFold is one citation's events of the stretch: whether it
// existed before the first (it was removed first) and after the last.
type citationFold struct {
	rec           citationEvent
	before, after bool
	by            string
}

// commentFold is one thread's resolutions in the stretch.
type commentFold struct {
	before, after bool       // resolved before the first, after the last
	by            string     // who resolved or reopened it last
	at            AuditEvent // that event
}

func newChangeFold() *changeFold {
	return &changeFold{sentences: map[int64]*sentenceFold{}, citations: map[int64]*citationFold{}, comments: map[int64]*commentFold{}}
}

// touch returns the fold of a sentence, counting e among its changes.
func (f *changeFold) touch(sentenceID int64, e *AuditEvent) *sentenceFold {
	c := f.sentences[sentenceID]
	if c == nil {
		c = &sentenceFold{SentenceChange: SentenceChange{SentenceID: sentenceID}}
		f.sentences[sentenceID] = c
		f.order = append(f.order, sentenceID)
	}
	c.Changes++
	c.LastAt = e.At
	if !slices.Contains(c.Actors, e.Actor) {
		c.Actors = append(c.Actors, e.Actor)
	}
	return c
}

// add takes one event of the stretch.
func (f *changeFold) add(e *AuditEvent) error {
	switch e.Entity {
	case "sentence":
		before, after, err := EventStates(e)
		if err != nil {
			return err
		}
		if e.Action == ActionCarry {
			// A new revision's sentence starts where the old one stood.
			before = carriedFrom(e, before)
		}
		c := f.touch(e.EntityID, e)
		if !c.stateSeen {
			c.Before, c.stateSeen = before, true
		}
		c.After = after
	case "attribution":
		before, err := decodeAttribution(e.Before)
		if err != nil {
			return fmt.Errorf("decode event %d: %w", e.Seq, err)
		}
		after, err := decodeAttribution(e.After)
		if err != nil {
			return fmt.Errorf("decode event %d: %w", e.Seq, err)
		}
		c := f.touch(e.EntityID, e)
		if !c.attrSeen {
			c.attrBefore, c.attrSeen = before, true
		}
		c.attrAfter = after
		if e.Action == "attribution.confirm" {
			c.confirmedBy = e.Actor
		}
	case "citation":
		var rec citationEvent
		added := e.Action != "citation.delete"
		raw := e.After
		if !added {
			raw = e.Before
		}
		if err := json.Unmarshal([]byte(raw), &rec); err != nil {
			return fmt.Errorf("decode event %d: %w", e.Seq, err)
		}
		c := f.citations[e.EntityID]
		if c == nil {
			c = &citationFold{rec: rec, before: !added}
			f.citations[e.EntityID] = c
			f.citeOrder = append(f.citeOrder, e.EntityID)
		}
		c.after, c.by = added, e.Actor
		f.touch(rec.SentenceID, e)
	case "comment":
		resolved := e.Action == "comment.resolve"
		c := f.comments[e.EntityID]
		if c == nil {
			c = &commentFold{before: !resolved}
			f.comments[e.EntityID] = c
			f.commentOrder = append(f.commentOrder, e.EntityID)
		}
		c.after, c.by, c.at = resolved, e.Actor, *e
	}
	return nil
}

// decodeAttribution reads an attribution event's before or after: nil
// when there was none.
func decodeAttribution(raw string) (*AttributionRecord, error) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var r AttributionRecord
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// resolveComments reads the threads resolved in the stretch (one query)
// and puts each with its sentence, or with the article's own.
func (f *changeFold) resolveComments(db *gorm.DB) error {
	var ids []int64
	for _, id := range f.commentOrder {
		if c := f.comments[id]; !c.before && c.after {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var cs []Comment
	if err := db.Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return fmt.Errorf("load resolved comments: %w", err)
	}
	byID := make(map[int64]*Comment, len(cs))
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	for _, id := range ids {
		cm := byID[id]
		if cm == nil {
			continue
		}
		fc := f.comments[id]
		rc := ResolvedComment{CommentID: id, Kind: cm.Kind, Body: cm.Body, ResolvedBy: fc.by}
		if cm.SentenceID == nil {
			f.articleComments = append(f.articleComments, rc)
			continue
		}
		sc := f.touch(*cm.SentenceID, &fc.at)
		sc.CommentsResolved = append(sc.CommentsResolved, rc)
	}
	return nil
}

// nameSources reads the titles of the sources cited or uncited in the
// stretch (one query) and puts each citation with its sentence.
func (f *changeFold) nameSources(db *gorm.DB) error {
	var ids []int64
	for _, id := range f.citeOrder {
		if c := f.citations[id]; c.before != c.after {
			ids = append(ids, c.rec.SourceID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var srcs []struct {
		ID    int64
		Title string
	}
	if err := db.Model(&Source{}).Select("id, title").Where("id IN ?", ids).Scan(&srcs).Error; err != nil {
		return fmt.Errorf("load cited sources: %w", err)
	}
	titles := make(map[int64]string, len(srcs))
	for _, s := range srcs {
		titles[s.ID] = s.Title
	}
	for _, id := range f.citeOrder {
		c := f.citations[id]
		if c.before == c.after {
			continue
		}
		cc := CitationChange{CitationID: id, SourceID: c.rec.SourceID, Title: titles[c.rec.SourceID], Relation: string(c.rec.Relation), By: c.by}
		sc := f.sentences[c.rec.SentenceID]
		if c.after {
			sc.CitationsAdded = append(sc.CitationsAdded, cc)
		} else {
			sc.CitationsRemoved = append(sc.CitationsRemoved, cc)
		}
	}
	return nil
}

// finish returns a sentence's change, nil when nothing differs for a
// reader. A sentence whose state the stretch did not change is given its
// state now, before and after.
func (f *changeFold) finish(id int64, now SentenceState) *SentenceChange {
	c := f.sentences[id]
	if c == nil {
		return nil
	}
	if !c.stateSeen {
		c.Before, c.After = now, now
	}
	if c.attrSeen && !c.attrBefore.same(c.attrAfter) {
		c.Attribution = &AttributionChange{Before: c.attrBefore, After: c.attrAfter, ConfirmedBy: c.confirmedBy}
	}
	if c.Before.SameContent(c.After) && c.Attribution == nil && len(c.CitationsAdded) == 0 &&
		len(c.CitationsRemoved) == 0 && len(c.CommentsResolved) == 0 {
		return nil
	}
	for _, l := range []*[]CitationChange{&c.CitationsAdded, &c.CitationsRemoved} {
		if *l == nil {
			*l = []CitationChange{}
		}
	}
	if c.CommentsResolved == nil {
		c.CommentsResolved = []ResolvedComment{}
	}
	out := c.SentenceChange
	return &out
}
