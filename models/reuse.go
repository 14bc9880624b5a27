package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Reuse is where a reused piece of a check comes from: a sentence,
// usually of another article that makes the same claim.
type Reuse struct {
	FromSentenceID int64
	// CitationID names the citation of FromSentenceID to cite again; 0
	// when the attribution is reused instead.
	CitationID int64
}

// reuseSource reads the sentence a reuse comes from and checks it is
// another sentence than the target.
func reuseSource(tx *gorm.DB, target int64, r Reuse) (*Sentence, error) {
	if r.FromSentenceID == target {
		return nil, FieldError("from_sentence_id", "a sentence cannot reuse its own check")
	}
	var from Sentence
	if err := tx.Select("id, article_id, revision_id, idx").First(&from, r.FromSentenceID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, FieldError("from_sentence_id", "there is no sentence %d", r.FromSentenceID)
		}
		return nil, fmt.Errorf("load sentence %d: %w", r.FromSentenceID, err)
	}
	return &from, nil
}

// ReuseCitation cites for a sentence the source that another sentence's
// citation cites, with its relation, excerpt and locator, under the rules
// of AddCitation; the audit event (citation.reuse) names the sentence,
// article and citation it came from.
func (s *Store) ReuseCitation(ctx context.Context, actor Actor, sentenceID int64, r Reuse) (*Citation, error) {
	var c *Citation
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ls, err := s.lockSentence(tx, sentenceID)
		if err != nil {
			return err
		}
		if err := citable(ls); err != nil {
			return err
		}
		from, err := reuseSource(tx, sentenceID, r)
		if err != nil {
			return err
		}
		var orig Citation
		if err := tx.Where("id = ? AND sentence_id = ?", r.CitationID, from.ID).First(&orig).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return FieldError("citation_id", "sentence %d has no citation %d", from.ID, r.CitationID)
			}
			return fmt.Errorf("load citation %d: %w", r.CitationID, err)
		}
		var dup []Citation
		err = tx.Where("sentence_id = ? AND source_id = ? AND relation = ?", sentenceID, orig.SourceID, orig.Relation).Limit(1).Find(&dup).Error
		if err != nil {
			return fmt.Errorf("look up citation: %w", err)
		}
		if len(dup) > 0 {
			return &Error{Code: ECONFLICT, Field: "citation_id", Data: dup[0],
				Message: fmt.Sprintf("sentence %d already cites this source as %s", ls.Number(), orig.Relation)}
		}
		// The new citation cites the version the original cited, as it
		// carries over the original's excerpt and locator.
		c = &Citation{SentenceID: sentenceID, ArticleID: ls.ArticleID, SourceID: orig.SourceID, SourceVersion: orig.SourceVersion,
			Relation: orig.Relation, Excerpt: orig.Excerpt, Locator: orig.Locator, CreatedBy: actor.ID, CreatedAt: tx.NowFunc()}
		if err := tx.Create(c).Error; err != nil {
			return fmt.Errorf("reuse citation %d: %w", orig.ID, err)
		}
		src := &Source{}
		if err := tx.First(src, c.SourceID).Error; err != nil {
			return notFound(err, "source %d", c.SourceID)
		}
		c.Source = src
		after := struct {
			citationEvent
			FromSentenceID int64 `json:"from_sentence_id"`
			FromArticleID  int64 `json:"from_article_id"`
			FromCitationID int64 `json:"from_citation_id"`
		}{c.event(ls.Index), from.ID, from.ArticleID, orig.ID}
		art := ls.article()
		return s.writeArticleEvent(tx, art, Event{ArticleID: art.ID, Actor: actor, Action: "citation.reuse",
			Entity: "citation", EntityID: c.ID, After: after}, art.Status)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ReuseAttribution gives a sentence the attribution of another sentence
// (speaker, cue and medium) as the actor's own, confirmed, stated in the
// sentence itself; the audit event (attribution.reuse) names the sentence
// and article it came from. Reusing an attribution the sentence already
// has, confirmed, changes nothing.
func (s *Store) ReuseAttribution(ctx context.Context, actor Actor, sentenceID int64, r Reuse) (*SentenceAttribution, error) {
	out := &SentenceAttribution{}
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ls, err := s.lockSentence(tx, sentenceID)
		if err != nil {
			return err
		}
		if err := citable(ls); err != nil {
			return err
		}
		out.Sentence = ls.Sentence
		from, err := reuseSource(tx, sentenceID, r)
		if err != nil {
			return err
		}
		var src Attribution
		if err := tx.Where("sentence_id = ?", from.ID).First(&src).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return FieldError("from_sentence_id", "sentence %d has no attribution to reuse", from.ID)
			}
			return fmt.Errorf("load attribution of sentence %d: %w", from.ID, err)
		}
		var cur *Attribution
		var row Attribution
		res := tx.Where("sentence_id = ?", sentenceID).Limit(1).Find(&row)
		if res.Error != nil {
			return fmt.Errorf("load attribution of sentence %d: %w", sentenceID, res.Error)
		}
		if res.RowsAffected > 0 {
			cur = &row
		}
		index := ls.Index
		if cur != nil && cur.Confirmed() && !cur.CarriedOver && cur.Speaker == src.Speaker && cur.Cue == src.Cue && cur.Medium == src.Medium {
			out.Attribution = cur
			return nil
		}
		now := tx.NowFunc()
		next := &Attribution{SentenceID: sentenceID, ArticleID: ls.ArticleID, Speaker: src.Speaker, Cue: src.Cue, Medium: src.Medium,
			From: &index, Origin: AttributionChecker, ConfirmedBy: actorID(actor), ConfirmedAt: &now,
			UpdatedBy: actorID(actor), UpdatedAt: now, Version: 1}
		if cur != nil {
			next.ID, next.Version = cur.ID, cur.Version+1
			err = tx.Save(next).Error
		} else {
			err = tx.Create(next).Error
		}
		if err != nil {
			return fmt.Errorf("reuse attribution on sentence %d: %w", sentenceID, err)
		}
		out.Attribution = next
		if err := s.indexSpeaker(tx, &ls.Sentence, next); err != nil {
			return err
		}
		after := attributionRecord(next).(map[string]any)
		after["from_sentence_id"], after["from_article_id"] = from.ID, from.ArticleID
		art := ls.article()
		return s.writeArticleEvent(tx, art, Event{ArticleID: art.ID, Actor: actor, Action: "attribution.reuse",
			Entity: "attribution", EntityID: sentenceID, Before: attributionRecord(cur), After: after}, art.Status)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
