package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ReviewRound is one round of an article's check: opened, worked on,
// submitted by a checker, decided by an editor.
type ReviewRound struct {
	ID          int64      `gorm:"primaryKey" json:"id"`
	ArticleID   int64      `json:"article_id"`
	Number      int        `json:"number"`
	OpenedAt    time.Time  `json:"opened_at"`
	OpenedBy    *int64     `json:"opened_by,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy *int64     `json:"submitted_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	DecidedBy   *int64     `json:"decided_by,omitempty"`
	Decision    *string    `json:"decision,omitempty"`
	Comment     string     `json:"comment"`
}

// Comment kinds.
const (
	CommentPlain         = "comment"
	CommentChangeRequest = "change_request"
	CommentDecision      = "decision"
)

// Comment is a remark on an article or one of its sentences. A comment
// with no parent opens a thread, which can be resolved; replies name their
// thread's first comment as parent.
type Comment struct {
	ID         int64      `gorm:"primaryKey" json:"id"`
	ArticleID  int64      `json:"article_id"`
	SentenceID *int64     `json:"sentence_id,omitempty"`
	ParentID   *int64     `json:"parent_id,omitempty"`
	RoundID    *int64     `json:"round_id,omitempty"`
	AuthorID   int64      `json:"author_id"`
	Kind       string     `json:"kind"`
	Body       string     `json:"body"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy *int64     `json:"resolved_by,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	// Author is the author's name, filled by Comments.
	Author string `gorm:"-" json:"author"`
}

// OpenThread reports whether the comment is an open thread: it opens a
// thread (it is no reply), of a kind that asks for an answer (a comment
// or a change request; the note of a workflow step — a submission, an
// approval, a reopening — never is one), and nobody has resolved it. The
// approval queue, the review page and the report count open comments by
// it; openThreadSQL is the same test in SQL.
func (c *Comment) OpenThread() bool {
	return c.ParentID == nil && c.ResolvedAt == nil && (c.Kind == CommentPlain || c.Kind == CommentChangeRequest)
}

// openThreadSQL is Comment.OpenThread as a condition on comments' columns.
const openThreadSQL = `parent_id IS NULL AND resolved_at IS NULL AND kind IN ('` + CommentPlain + `', '` + CommentChangeRequest + `')`

// OpenThreads counts the open threads among comments (see OpenThread).
func OpenThreads(cs []Comment) int {
	n := 0
	for i := range cs {
		if cs[i].OpenThread() {
			n++
		}
	}
	return n
}

// MaxCommentLen bounds a comment's body, in bytes.
const MaxCommentLen = 10000

// NewComment is a comment about to be added.
type NewComment struct {
	ArticleID  int64
	SentenceID int64 // 0: on the article
	ParentID   int64 // 0: opens a thread
	Body       string
}

// AddComment stores a comment with its audit event. A reply joins its
// parent's thread (and sentence); a sentence must belong to the article.
func (s *Store) AddComment(ctx context.Context, actor Actor, nc NewComment) (*Comment, error) {
	body := strings.TrimSpace(nc.Body)
	if body == "" {
		return nil, FieldError("body", "a comment needs some text")
	}
	if len(body) > MaxCommentLen {
		return nil, FieldError("body", "a comment may have at most %d bytes", MaxCommentLen)
	}
	c := &Comment{ArticleID: nc.ArticleID, AuthorID: actor.ID, Kind: CommentPlain, Body: body, CreatedAt: s.now()}
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if nc.ParentID != 0 {
			var parent Comment
			if err := tx.Where("id = ? AND article_id = ?", nc.ParentID, nc.ArticleID).First(&parent).Error; err != nil {
				return notFound(err, "comment %d", nc.ParentID)
			}
			if parent.ParentID != nil {
				c.ParentID = parent.ParentID
			} else {
				c.ParentID = &parent.ID
			}
			c.SentenceID = parent.SentenceID
		} else if nc.SentenceID != 0 {
			if err := sentenceInArticle(tx, nc.SentenceID, nc.ArticleID); err != nil {
				return err
			}
			id := nc.SentenceID
			c.SentenceID = &id
		}
		if err := s.insertComment(tx, actor, c); err != nil {
			return err
		}
		return s.tellComment(tx, actor, c)
	})
	if err != nil {
		return nil, err
	}
	c.Author = actor.Name
	return c, nil
}

// insertComment writes a comment and its audit event inside tx.
func (s *Store) insertComment(tx *gorm.DB, actor Actor, c *Comment) error {
	var n int64
	if err := tx.Model(&Article{}).Where("id = ?", c.ArticleID).Count(&n).Error; err != nil {
		return fmt.Errorf("look up article %d: %w", c.ArticleID, err)
	}
	if n == 0 {
		return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("article %d not found", c.ArticleID)}
	}
	if err := tx.Create(c).Error; err != nil {
		return fmt.Errorf("add comment: %w", err)
	}
	if err := s.indexComment(tx, c); err != nil {
		return err
	}
	if err := s.appendEvent(tx, Event{ArticleID: c.ArticleID, Actor: actor, Action: "comment.add", Entity: "comment", EntityID: c.ID,
		After: map[string]any{"sentence_id": c.SentenceID, "parent_id": c.ParentID, "kind": c.Kind, "body": c.Body}}); err != nil {
		return err
	}
	return enqueueWebhooks(tx, "comment.created", map[string]any{"article_id": c.ArticleID, "comment": map[string]any{
		"id": c.ID, "sentence_id": c.SentenceID, "parent_id": c.ParentID, "kind": c.Kind, "body": c.Body, "author": actor.Name}})
}

func sentenceInArticle(tx *gorm.DB, sentenceID, articleID int64) error {
	var n int64
	if err := tx.Model(&Sentence{}).Where("id = ? AND article_id = ?", sentenceID, articleID).Count(&n).Error; err != nil {
		return fmt.Errorf("look up sentence %d: %w", sentenceID, err)
	}
	if n == 0 {
		return FieldError("sentence_id", "sentence %d is not in article %d", sentenceID, articleID)
	}
	return nil
}

// CommentArticle returns the article a comment belongs to.
func (s *Store) CommentArticle(ctx context.Context, id int64) (int64, error) {
	var c Comment
	if err := s.db.gorm.WithContext(ctx).Select("id", "article_id").First(&c, id).Error; err != nil {
		return 0, notFound(err, "comment %d", id)
	}
	return c.ArticleID, nil
}

// ResolveComment marks a thread resolved (or open again).
func (s *Store) ResolveComment(ctx context.Context, actor Actor, id int64, resolved bool) (*Comment, error) {
	var c Comment
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "comment %d", id)
		}
		if c.ParentID != nil {
			return FieldError("id", "comment %d is a reply; resolve its thread (comment %d)", id, *c.ParentID)
		}
		if (c.ResolvedAt != nil) == resolved {
			return nil
		}
		action := "comment.resolve"
		if resolved {
			t, by := tx.NowFunc(), actor.ID
			c.ResolvedAt, c.ResolvedBy = &t, &by
		} else {
			action = "comment.reopen"
			c.ResolvedAt, c.ResolvedBy = nil, nil
		}
		if err := tx.Model(&c).Select("resolved_at", "resolved_by").Updates(&c).Error; err != nil {
			return fmt.Errorf("resolve comment %d: %w", id, err)
		}
		return s.appendEvent(tx, Event{ArticleID: c.ArticleID, Actor: actor, Action: action, Entity: "comment", EntityID: c.ID,
			After: map[string]any{"resolved": resolved}})
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Comments returns an article's comments in order, with author names.
func (s *Store) Comments(ctx context.Context, articleID int64) ([]Comment, error) {
	var cs []Comment
	db := s.db.gorm.WithContext(ctx)
	if err := db.Where("article_id = ?", articleID).Order("id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("load comments of article %d: %w", articleID, err)
	}
	ids := make([]int64, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.AuthorID)
	}
	names, err := s.UserNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		cs[i].Author = names[cs[i].AuthorID]
	}
	return cs, nil
}

// Rounds returns an article's review rounds, first first.
func (s *Store) Rounds(ctx context.Context, articleID int64) ([]ReviewRound, error) {
	var rs []ReviewRound
	if err := s.db.gorm.WithContext(ctx).Where("article_id = ?", articleID).Order("number").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("load review rounds of article %d: %w", articleID, err)
	}
	return rs, nil
}
