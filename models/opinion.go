package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/codebook"
)

// The states of a second opinion.
const (
	OpinionOpen      = "open"      // the second checker is labeling
	OpinionDone      = "done"      // labeled; the editor settles the disagreements
	OpinionSettled   = "settled"   // the editor settled them
	OpinionCancelled = "cancelled" // called off
)

// SecondOpinion is an editor's request for a blind second labeling of an
// article's sentences by another checker, who sees the text only.
type SecondOpinion struct {
	ID          int64      `gorm:"primaryKey" json:"id"`
	ArticleID   int64      `json:"article_id"`
	RevisionID  int64      `json:"revision_id"`
	RequestedBy int64      `json:"requested_by"`
	AssigneeID  int64      `json:"assignee_id"`
	Status      string     `json:"status"`
	RequestedAt time.Time  `json:"requested_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	SettledAt   *time.Time `json:"settled_at,omitempty"`
}

// OpinionLabel is the second checker's label of one sentence.
type OpinionLabel struct {
	ID         int64          `gorm:"primaryKey" json:"-"`
	OpinionID  int64          `json:"opinion_id"`
	SentenceID int64          `json:"sentence_id"`
	Label      codebook.Label `json:"label"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// RequestOpinion opens a second opinion on the article's current revision
// for the assignee, with its audit event.
func (s *Store) RequestOpinion(ctx context.Context, actor Actor, articleID, assigneeID int64) (*SecondOpinion, error) {
	o := &SecondOpinion{ArticleID: articleID, RequestedBy: actor.ID, AssigneeID: assigneeID, Status: OpinionOpen}
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Article
		if err := tx.First(&a, articleID).Error; err != nil {
			return notFound(err, "article %d", articleID)
		}
		if a.CurrentRevisionID == nil {
			return &Error{Code: ECONFLICT, Message: "the article has no text to label"}
		}
		var u User
		if err := tx.First(&u, assigneeID).Error; err != nil {
			return FieldError("assignee_id", "no user %d", assigneeID)
		}
		if u.Disabled() || (u.Role != RoleChecker && u.Role != RoleEditor && u.Role != RoleAdmin) {
			return FieldError("assignee_id", "%s cannot label sentences", u.Name)
		}
		if assigneeID == actor.ID {
			return FieldError("assignee_id", "ask someone else: a second opinion is another person's")
		}
		var n int64
		if err := tx.Model(&SecondOpinion{}).Where("article_id = ? AND assignee_id = ? AND status = ?", articleID, assigneeID, OpinionOpen).Count(&n).Error; err != nil {
			return fmt.Errorf("look up open opinions: %w", err)
		}
		if n > 0 {
			return &Error{Code: ECONFLICT, Field: "assignee_id", Message: fmt.Sprintf("%s is already giving a second opinion on this article", u.Name)}
		}
		o.RevisionID, o.RequestedAt = *a.CurrentRevisionID, tx.NowFunc()
		if err := tx.Create(o).Error; err != nil {
			return fmt.Errorf("create second opinion: %w", err)
		}
		if err := s.appendEvent(tx, Event{ArticleID: articleID, Actor: actor, Action: "opinion.request", Entity: "opinion", EntityID: o.ID,
			After: map[string]any{"assignee_id": assigneeID, "revision_id": o.RevisionID}}); err != nil {
			return err
		}
		return s.notify(tx, notice{Event: EventOpinionRequested, ArticleID: articleID, Link: fmt.Sprintf("/opinions/%d", o.ID), Actor: actor,
			Summary: fmt.Sprintf("%s asks for your blind second opinion on “%s”", actor.Name, a.Title), Recipients: []int64{assigneeID}})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Opinion returns a second opinion.
func (s *Store) Opinion(ctx context.Context, id int64) (*SecondOpinion, error) {
	var o SecondOpinion
	if err := s.db.gorm.WithContext(ctx).First(&o, id).Error; err != nil {
		return nil, notFound(err, "second opinion %d", id)
	}
	return &o, nil
}

// Opinions lists an article's second opinions, newest first.
func (s *Store) Opinions(ctx context.Context, articleID int64) ([]SecondOpinion, error) {
	var os []SecondOpinion
	if err := s.db.gorm.WithContext(ctx).Where("article_id = ?", articleID).Order("id DESC").Find(&os).Error; err != nil {
		return nil, fmt.Errorf("load second opinions of article %d: %w", articleID, err)
	}
	return os, nil
}

// AssignedOpinions lists the open second opinions a user was asked for.
func (s *Store) AssignedOpinions(ctx context.Context, userID int64) ([]SecondOpinion, error) {
	var os []SecondOpinion
	if err := s.db.gorm.WithContext(ctx).Where("assignee_id = ? AND status = ?", userID, OpinionOpen).Order("id").Find(&os).Error; err != nil {
		return nil, fmt.Errorf("load second opinions of user %d: %w", userID, err)
	}
	return os, nil
}

// GivingOpinion reports whether the user is giving an open second opinion
// on the article (and so must not see its labels).
func (s *Store) GivingOpinion(ctx context.Context, articleID, userID int64) (bool, error) {
	var n int64
	err := s.db.gorm.WithContext(ctx).Model(&SecondOpinion{}).
		Where("article_id = ? AND assignee_id = ? AND status = ?", articleID, userID, OpinionOpen).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("look up second opinions: %w", err)
	}
	return n > 0, nil
}

// OpinionLabels returns the second checker's labels by sentence id.
func (s *Store) OpinionLabels(ctx context.Context, opinionID int64) (map[int64]codebook.Label, error) {
	var ls []OpinionLabel
	if err := s.db.gorm.WithContext(ctx).Where("opinion_id = ?", opinionID).Find(&ls).Error; err != nil {
		return nil, fmt.Errorf("load labels of second opinion %d: %w", opinionID, err)
	}
	out := make(map[int64]codebook.Label, len(ls))
	for _, l := range ls {
		out[l.SentenceID] = l.Label
	}
	return out, nil
}

// lockOpenOpinion loads an opinion for a change by its assignee.
func lockOpenOpinion(tx *gorm.DB, actor Actor, id int64) (*SecondOpinion, error) {
	var o SecondOpinion
	if err := tx.First(&o, id).Error; err != nil {
		return nil, notFound(err, "second opinion %d", id)
	}
	if o.AssigneeID != actor.ID {
		return nil, &Error{Code: EFORBIDDEN, Message: "only the person asked for this second opinion may give it"}
	}
	if o.Status != OpinionOpen {
		return nil, &Error{Code: ECONFLICT, Message: fmt.Sprintf("this second opinion is %s", o.Status)}
	}
	return &o, nil
}

// SetOpinionLabels records the second checker's labels (sentence id →
// label; "" removes one), each with its audit event.
func (s *Store) SetOpinionLabels(ctx context.Context, actor Actor, id int64, labels map[int64]codebook.Label) error {
	return s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o, err := lockOpenOpinion(tx, actor, id)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(labels))
		for sid := range labels {
			ids = append(ids, sid)
		}
		var sents []Sentence
		if err := tx.Select("id", "idx", "status").Where("revision_id = ? AND id IN ?", o.RevisionID, ids).Find(&sents).Error; err != nil {
			return fmt.Errorf("load sentences: %w", err)
		}
		byID := make(map[int64]Sentence, len(sents))
		for _, st := range sents {
			byID[st.ID] = st
		}
		for _, sid := range slices.Sorted(maps.Keys(labels)) {
			st, ok := byID[sid]
			if !ok {
				return FieldError("sentence_id", "sentence %d is not in the text of this second opinion", sid)
			}
			if st.Status == codebook.Excluded {
				return FieldError("sentence_id", "sentence %d is excluded from the check", st.Number())
			}
			l := labels[sid]
			if l != "" && !l.Valid() {
				return FieldError("label", "%q is not a label: use fact, allegation, quote or assessment", l)
			}
			if l == "" {
				if err := tx.Where("opinion_id = ? AND sentence_id = ?", id, sid).Delete(&OpinionLabel{}).Error; err != nil {
					return fmt.Errorf("clear opinion label: %w", err)
				}
			} else {
				row := OpinionLabel{OpinionID: id, SentenceID: sid, Label: l, UpdatedAt: tx.NowFunc()}
				err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "opinion_id"}, {Name: "sentence_id"}},
					DoUpdates: clause.AssignmentColumns([]string{"label", "updated_at"})}).Create(&row).Error
				if err != nil {
					return fmt.Errorf("save opinion label: %w", err)
				}
			}
			if err := s.appendEvent(tx, Event{ArticleID: o.ArticleID, Actor: actor, Action: "opinion.label", Entity: "opinion", EntityID: id,
				After: map[string]any{"sentence_id": sid, "index": st.Index, "label": l}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// CompleteOpinion closes the labeling; every sentence not excluded must
// have the second checker's label.
func (s *Store) CompleteOpinion(ctx context.Context, actor Actor, id int64) (*SecondOpinion, error) {
	var o *SecondOpinion
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if o, err = lockOpenOpinion(tx, actor, id); err != nil {
			return err
		}
		var open []int
		err = tx.Raw(`SELECT s.idx FROM sentences s WHERE s.revision_id = ? AND s.status <> 'excluded'
			AND NOT EXISTS (SELECT 1 FROM opinion_labels l WHERE l.opinion_id = ? AND l.sentence_id = s.id) ORDER BY s.idx`, o.RevisionID, id).Scan(&open).Error
		if err != nil {
			return fmt.Errorf("find unlabeled sentences: %w", err)
		}
		if len(open) > 0 {
			return &Error{Code: EINVALID, Field: "sentences", Data: map[string]any{"open_sentences": open},
				Message: fmt.Sprintf("%d sentences still need your label", len(open))}
		}
		t := tx.NowFunc()
		o.Status, o.CompletedAt = OpinionDone, &t
		if err := tx.Model(o).Select("status", "completed_at").Updates(o).Error; err != nil {
			return fmt.Errorf("complete second opinion: %w", err)
		}
		if err := s.appendEvent(tx, Event{ArticleID: o.ArticleID, Actor: actor, Action: "opinion.complete", Entity: "opinion", EntityID: id}); err != nil {
			return err
		}
		var title string
		if err := tx.Model(&Article{}).Where("id = ?", o.ArticleID).Pluck("title", &title).Error; err != nil {
			return fmt.Errorf("load article %d: %w", o.ArticleID, err)
		}
		return s.notify(tx, notice{Event: EventOpinionReturned, ArticleID: o.ArticleID, Link: fmt.Sprintf("/articles/%d/opinions", o.ArticleID), Actor: actor,
			Summary: fmt.Sprintf("%s handed back the second opinion on “%s”", actor.Name, title), Recipients: []int64{o.RequestedBy}})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// CloseOpinion marks an opinion settled (its disagreements decided) or
// cancelled, by an editor.
func (s *Store) CloseOpinion(ctx context.Context, actor Actor, id int64, status string) (*SecondOpinion, error) {
	var o SecondOpinion
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&o, id).Error; err != nil {
			return notFound(err, "second opinion %d", id)
		}
		switch {
		case status == OpinionSettled && o.Status != OpinionDone:
			return &Error{Code: ECONFLICT, Message: "the second checker has not finished yet"}
		case status == OpinionCancelled && (o.Status == OpinionSettled || o.Status == OpinionCancelled):
			return &Error{Code: ECONFLICT, Message: fmt.Sprintf("this second opinion is already %s", o.Status)}
		}
		t := tx.NowFunc()
		o.Status = status
		if status == OpinionSettled {
			o.SettledAt = &t
		}
		if err := tx.Model(&o).Select("status", "settled_at").Updates(&o).Error; err != nil {
			return fmt.Errorf("close second opinion: %w", err)
		}
		return s.appendEvent(tx, Event{ArticleID: o.ArticleID, Actor: actor, Action: "opinion." + status, Entity: "opinion", EntityID: id})
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}
