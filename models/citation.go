package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"factdesk/codebook"
)

// Limits on a citation's text, in characters.
const (
	MaxExcerpt = 2000
	MaxLocator = 200
)

// Citation links a sentence to a source: what the source does for the
// claim (its relation), the excerpt that matters and where it is.
type Citation struct {
	ID         int64 `gorm:"primaryKey" json:"id"`
	SentenceID int64 `json:"sentence_id"`
	ArticleID  int64 `json:"article_id"`
	SourceID   int64 `json:"source_id"`
	// SourceVersion is the version of the source (SourceVersion) that was
	// current when the citation was made; copies and reuses keep it.
	SourceVersion int               `json:"source_version"`
	Relation      codebook.Relation `json:"relation"`
	Excerpt       string            `json:"excerpt"`
	Locator       string            `json:"locator"`
	CreatedBy     int64             `json:"created_by"`
	CreatedAt     time.Time         `json:"created_at"`
	// Source is the cited source, where the method that returns the
	// citation says it loads it.
	Source *Source `gorm:"-" json:"source,omitempty"`
}

// citationEvent is what a citation's audit events record.
type citationEvent struct {
	SentenceID int64             `json:"sentence_id"`
	Index      int               `json:"index"` // the sentence's 0-based index
	SourceID   int64             `json:"source_id"`
	Relation   codebook.Relation `json:"relation"`
	Excerpt    string            `json:"excerpt"`
	Locator    string            `json:"locator"`
}

func (c *Citation) event(index int) citationEvent {
	return citationEvent{SentenceID: c.SentenceID, Index: index, SourceID: c.SourceID, Relation: c.Relation,
		Excerpt: c.Excerpt, Locator: c.Locator}
}

// NewCitation is a citation to add. It names its source by SourceID, or
// brings NewSource, which is found by URL in the library or added to it.
type NewCitation struct {
	SourceID  int64
	NewSource *NewSource
	Relation  codebook.Relation
	Excerpt   string
	Locator   string
}

func (nc *NewCitation) check() error {
	nc.Excerpt, nc.Locator = strings.TrimSpace(nc.Excerpt), strings.TrimSpace(nc.Locator)
	switch {
	case !nc.Relation.Valid():
		return FieldError("relation", "the relation is supports, contradicts, context or origin, not %q", nc.Relation)
	case utf8.RuneCountInString(nc.Excerpt) > MaxExcerpt:
		return FieldError("excerpt", "an excerpt may have at most %d characters; quote the part that matters", MaxExcerpt)
	case utf8.RuneCountInString(nc.Locator) > MaxLocator:
		return FieldError("locator", "a locator may have at most %d characters", MaxLocator)
	case nc.SourceID == 0 && nc.NewSource == nil:
		return FieldError("source_id", "name the source: a source_id, a url or a new source")
	case nc.SourceID != 0 && nc.NewSource != nil:
		return FieldError("source_id", "name the source once: a source_id, or a url or a new source, not both")
	}
	return nil
}

// AddCitation cites a source for a sentence, in one transaction with its
// audit event on the article's chain (and, when NewSource adds a source to
// the library, that source with its own event). The article is locked
// meanwhile, like every edit of it; an approved or submitted article, and
// a sentence of an earlier revision, refuse citations with ECONFLICT. It
// reports whether a source was added.
func (s *Store) AddCitation(ctx context.Context, actor Actor, sentenceID int64, nc NewCitation) (c *Citation, sourceCreated bool, err error) {
	if err := nc.check(); err != nil {
		return nil, false, err
	}
	err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ls, err := s.lockSentence(tx, sentenceID)
		if err != nil {
			return err
		}
		if err := citable(ls); err != nil {
			return err
		}
		var src *Source
		if nc.NewSource != nil {
			if src, sourceCreated, err = s.findOrCreateSource(tx, actor, *nc.NewSource); err != nil {
				return err
			}
		} else {
			src = &Source{}
			if err := tx.First(src, nc.SourceID).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					return FieldError("source_id", "there is no source %d in the library", nc.SourceID)
				}
				return fmt.Errorf("load source %d: %w", nc.SourceID, err)
			}
		}
		var dup []Citation
		err = tx.Where("sentence_id = ? AND source_id = ? AND relation = ?", sentenceID, src.ID, nc.Relation).Limit(1).Find(&dup).Error
		if err != nil {
			return fmt.Errorf("look up citation: %w", err)
		}
		if len(dup) > 0 {
			return &Error{Code: ECONFLICT, Field: "relation", Data: dup[0],
				Message: fmt.Sprintf("sentence %d already cites %q as %s", ls.Number(), src.Title, nc.Relation)}
		}
		c = &Citation{SentenceID: sentenceID, ArticleID: ls.ArticleID, SourceID: src.ID, SourceVersion: src.Version, Relation: nc.Relation,
			Excerpt: nc.Excerpt, Locator: nc.Locator, CreatedBy: actor.ID, CreatedAt: tx.NowFunc(), Source: src}
		if err := tx.Create(c).Error; err != nil {
			return fmt.Errorf("add citation: %w", err)
		}
		art := ls.article()
		return s.writeArticleEvent(tx, art, Event{ArticleID: art.ID, Actor: actor, Action: "citation.add",
			Entity: "citation", EntityID: c.ID, After: c.event(ls.Index)}, art.Status)
	})
	if err != nil {
		return nil, false, err
	}
	return c, sourceCreated, nil
}

// DeleteCitation removes a citation with its audit event, under the same
// rules as AddCitation. It refuses to take away the evidence a sentence's
// status stands on: the last supports or origin citation of a verified
// sentence and the last contradicts citation of a disputed one stay until
// the status changes. It returns the removed citation.
func (s *Store) DeleteCitation(ctx context.Context, actor Actor, id int64) (*Citation, error) {
	var c Citation
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "citation %d", id)
		}
		ls, err := s.lockSentence(tx, c.SentenceID)
		if err != nil {
			return err
		}
		// Read again under the article's lock: someone may have removed
		// it while we waited.
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "citation %d", id)
		}
		if err := citable(ls); err != nil {
			return err
		}
		rel, err := citationRelations(tx, c.SentenceID)
		if err != nil {
			return err
		}
		if err := evidenceKept(&ls.Sentence, c.Relation, rel); err != nil {
			return err
		}
		if err := tx.Delete(&Citation{}, id).Error; err != nil {
			return fmt.Errorf("delete citation %d: %w", id, err)
		}
		art := ls.article()
		return s.writeArticleEvent(tx, art, Event{ArticleID: art.ID, Actor: actor, Action: "citation.delete",
			Entity: "citation", EntityID: id, Before: c.event(ls.Index)}, art.Status)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// citable refuses citation changes that the article's state forbids.
func citable(ls *lockedSentence) error {
	if ls.CurrentRevisionID == nil || *ls.CurrentRevisionID != ls.RevisionID {
		return &Error{Code: ECONFLICT, Message: "this sentence belongs to an earlier revision of the article, which is read-only"}
	}
	switch ls.ArticleStatus {
	case ArticleApproved:
		return &Error{Code: ECONFLICT, Message: "the article is approved and read-only; an editor must reopen it before its citations change"}
	case ArticleSubmitted:
		return &Error{Code: ECONFLICT, Message: "the article is submitted for approval; its citations change only after an editor decides (or requests changes)"}
	}
	return nil
}

// evidenceKept refuses to remove the last citation a sentence's status
// needs (codebook: verified is backed by a supports or origin citation,
// disputed by a contradicts one).
func evidenceKept(st *Sentence, removing codebook.Relation, rel map[codebook.Relation]int) error {
	switch {
	case st.Status == codebook.Verified && (removing == codebook.Supports || removing == codebook.Origin) &&
		rel[codebook.Supports]+rel[codebook.Origin] <= 1:
		return &Error{Code: ECONFLICT, Field: "relation", Message: fmt.Sprintf(
			"sentence %d is verified and this is its last supporting or origin citation; change the sentence's status first, then remove it", st.Number())}
	case st.Status == codebook.Disputed && removing == codebook.Contradicts && rel[codebook.Contradicts] <= 1:
		return &Error{Code: ECONFLICT, Field: "relation", Message: fmt.Sprintf(
			"sentence %d is disputed and this is its last contradicting citation; change the sentence's status first, then remove it", st.Number())}
	}
	return nil
}

// citationRelations counts a sentence's citations by relation inside tx.
// The status rules use it from both sides: a sentence edit that sets
// verified or disputed, and a citation removal. Call it with the
// sentence's article locked (lockSentence), as both do, so that the two
// cannot pass each other.
func citationRelations(tx *gorm.DB, sentenceID int64) (map[codebook.Relation]int, error) {
	var rows []struct {
		Relation codebook.Relation
		N        int
	}
	err := tx.Raw(`SELECT relation, count(*) AS n FROM citations WHERE sentence_id = ? GROUP BY relation`, sentenceID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count citations of sentence %d: %w", sentenceID, err)
	}
	out := make(map[codebook.Relation]int, len(rows))
	for _, r := range rows {
		out[r.Relation] = r.N
	}
	return out, nil
}

// article returns the locked sentence's article as far as lockSentence
// read it: enough to append to its audit chain.
func (ls *lockedSentence) article() *Article {
	return &Article{ID: ls.ArticleID, Status: ls.ArticleStatus, CurrentRevisionID: ls.CurrentRevisionID,
		AuditSeq: ls.AuditSeq, AuditHead: ls.AuditHead}
}

// Citation returns a citation with its source.
func (s *Store) Citation(ctx context.Context, id int64) (*Citation, error) {
	db := s.db.gorm.WithContext(ctx)
	var c Citation
	if err := db.First(&c, id).Error; err != nil {
		return nil, notFound(err, "citation %d", id)
	}
	var src Source
	if err := db.First(&src, c.SourceID).Error; err != nil {
		return nil, notFound(err, "source %d", c.SourceID)
	}
	c.Source = &src
	return &c, nil
}

// SentenceCitations returns the citations of a revision's sentences with
// their sources, by sentence id, in the order they were added — two
// queries, whatever the number of sentences (see RevisionCitations).
func (s *Store) SentenceCitations(ctx context.Context, revisionID int64) (map[int64][]Citation, error) {
	cs, err := s.RevisionCitations(ctx, revisionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]Citation)
	for _, c := range cs {
		out[c.SentenceID] = append(out[c.SentenceID], c)
	}
	return out, nil
}

// RevisionCitations returns the citations of a revision's sentences with
// their sources, in sentence order and, within a sentence, in the order
// they were added: one query for the citations and one for their sources.
func (s *Store) RevisionCitations(ctx context.Context, revisionID int64) ([]Citation, error) {
	db := s.db.gorm.WithContext(ctx)
	var cs []Citation
	err := db.Raw(`SELECT c.* FROM citations c JOIN sentences s ON s.id = c.sentence_id
		WHERE s.revision_id = ? ORDER BY s.idx, c.id`, revisionID).Scan(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("load citations of revision %d: %w", revisionID, err)
	}
	if len(cs) == 0 {
		return []Citation{}, nil
	}
	if err := s.attachSources(db, cs); err != nil {
		return nil, err
	}
	return cs, nil
}

// attachSources loads the sources of cs in one query and points each
// citation at its own.
func (s *Store) attachSources(db *gorm.DB, cs []Citation) error {
	seen := map[int64]bool{}
	var ids []int64
	for _, c := range cs {
		if !seen[c.SourceID] {
			seen[c.SourceID] = true
			ids = append(ids, c.SourceID)
		}
	}
	var srcs []Source
	if err := db.Where("id IN ?", ids).Find(&srcs).Error; err != nil {
		return fmt.Errorf("load cited sources: %w", err)
	}
	byID := make(map[int64]*Source, len(srcs))
	for i := range srcs {
		byID[srcs[i].ID] = &srcs[i]
	}
	for i := range cs {
		cs[i].Source = byID[cs[i].SourceID]
	}
	return nil
}

// SourceCitation is one place a source is cited: the citation with the
// sentence and the article it is in.
type SourceCitation struct {
	Citation
	ArticleTitle   string          `json:"article_title"`
	ArticleStatus  ArticleStatus   `json:"article_status"`
	SentenceIndex  int             `json:"sentence_index"`  // 0-based
	SentenceNumber int             `json:"sentence_number"` // 1-based, as the article page's #s-N anchors count
	SentenceText   string          `json:"sentence_text"`
	SentenceStatus codebook.Status `json:"sentence_status"`
	// Current is false for a sentence of an earlier revision of its article.
	Current bool `json:"current"`
}

// SourceCitations lists every sentence that cites a source, newest article
// first and in sentence order within one, in a single query.
func (s *Store) SourceCitations(ctx context.Context, sourceID int64) ([]SourceCitation, error) {
	var rows []struct {
		Citation
		ArticleTitle      string
		ArticleStatus     ArticleStatus
		SentenceIndex     int
		SentenceText      string
		SentenceStatus    codebook.Status
		RevisionID        int64
		CurrentRevisionID *int64
	}
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT c.*, a.title AS article_title, a.status AS article_status,
			s.idx AS sentence_index, s.text AS sentence_text, s.status AS sentence_status,
			s.revision_id AS revision_id, a.current_revision_id AS current_revision_id
		FROM citations c
		JOIN sentences s ON s.id = c.sentence_id
		JOIN articles a ON a.id = c.article_id
		WHERE c.source_id = ?
		ORDER BY a.id DESC, s.idx, c.id`, sourceID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load citations of source %d: %w", sourceID, err)
	}
	out := make([]SourceCitation, len(rows))
	for i, r := range rows {
		out[i] = SourceCitation{Citation: r.Citation, ArticleTitle: r.ArticleTitle, ArticleStatus: r.ArticleStatus,
			SentenceIndex: r.SentenceIndex, SentenceNumber: r.SentenceIndex + 1, SentenceText: r.SentenceText,
			SentenceStatus: r.SentenceStatus,
			Current:        r.CurrentRevisionID != nil && *r.CurrentRevisionID == r.RevisionID}
	}
	return out, nil
}
