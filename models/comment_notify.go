package models

import (
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// tellComment notifies the people a new comment @mentions and, for a
// reply, the others in its thread, inside the comment's transaction. A
// checker giving a blind second opinion on the article is not told: the
// comment would show them the first reading.
func (s *Store) tellComment(tx *gorm.DB, actor Actor, c *Comment) error {
	mentioned, err := mentionedUsers(tx, c.Body)
	if err != nil {
		return err
	}
	var thread []int64
	if c.ParentID != nil {
		err := tx.Model(&Comment{}).Where("id = ? OR parent_id = ?", *c.ParentID, *c.ParentID).
			Distinct("author_id").Order("author_id").Pluck("author_id", &thread).Error
		if err != nil {
			return fmt.Errorf("load thread %d: %w", *c.ParentID, err)
		}
	}
	if len(mentioned) == 0 && len(thread) == 0 {
		return nil
	}
	var blind []int64
	err = tx.Model(&SecondOpinion{}).Where("article_id = ? AND status = ?", c.ArticleID, OpinionOpen).Pluck("assignee_id", &blind).Error
	if err != nil {
		return fmt.Errorf("load open second opinions: %w", err)
	}
	var title string
	if err := tx.Model(&Article{}).Where("id = ?", c.ArticleID).Pluck("title", &title).Error; err != nil {
		return fmt.Errorf("load article %d: %w", c.ArticleID, err)
	}
	threadID := c.ID
	if c.ParentID != nil {
		threadID = *c.ParentID
	}
	link := fmt.Sprintf("/articles/%d#c-%d", c.ArticleID, threadID)
	where := "on “" + title + "”"
	if c.SentenceID != nil {
		var idx []int
		if err := tx.Model(&Sentence{}).Where("id = ?", *c.SentenceID).Pluck("idx", &idx).Error; err != nil {
			return fmt.Errorf("load sentence %d: %w", *c.SentenceID, err)
		}
		if len(idx) != 1 {
			return fmt.Errorf("load sentence %d: %w", *c.SentenceID, ErrNotFound)
		}
		number := idx[0] + 1
		link = fmt.Sprintf("/articles/%d?s=%d#c-%d", c.ArticleID, number, threadID)
		where = fmt.Sprintf("on sentence %d of “%s”", number, title)
	}
	keep := func(ids []int64) []int64 {
		return slices.DeleteFunc(ids, func(id int64) bool { return slices.Contains(blind, id) })
	}
	mentioned = keep(mentioned)
	body := clip(c.Body, 200)
	id := c.ID
	err = s.notify(tx, notice{Event: EventMention, ArticleID: c.ArticleID, CommentID: &id, Link: link, Actor: actor,
		Summary: fmt.Sprintf("%s mentioned you %s: %s", actor.Name, where, body), Recipients: mentioned})
	if err != nil {
		return err
	}
	// Who was mentioned heard of the reply already.
	thread = slices.DeleteFunc(keep(thread), func(id int64) bool { return slices.Contains(mentioned, id) })
	return s.notify(tx, notice{Event: EventReply, ArticleID: c.ArticleID, CommentID: &id, Link: link, Actor: actor,
		Summary: fmt.Sprintf("%s replied %s: %s", actor.Name, where, body), Recipients: thread})
}
