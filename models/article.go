package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/migrations"
	"factdesk/similar"
)

// ArticleStatus is where an article stands in its review workflow.
type ArticleStatus string

// The article workflow: draft → in_review → submitted → approved |
// changes_requested → in_review …
const (
	ArticleDraft            ArticleStatus = "draft"
	ArticleInReview         ArticleStatus = "in_review"
	ArticleSubmitted        ArticleStatus = "submitted"
	ArticleApproved         ArticleStatus = "approved"
	ArticleChangesRequested ArticleStatus = "changes_requested"
)

// ArticleStatuses lists the workflow states in order.
var ArticleStatuses = []ArticleStatus{ArticleDraft, ArticleInReview, ArticleSubmitted, ArticleApproved, ArticleChangesRequested}

// Valid reports whether s is a known article status.
func (s ArticleStatus) Valid() bool {
	switch s {
	case ArticleDraft, ArticleInReview, ArticleSubmitted, ArticleApproved, ArticleChangesRequested:
		return true
	}
	return false
}

// Article is a news article under check. Its body lives in its revisions;
// CurrentRevisionID names the one being reviewed.
type Article struct {
	ID                int64         `gorm:"primaryKey" json:"id"`
	Title             string        `json:"title"`
	Outlet            string        `json:"outlet"`
	Byline            string        `json:"byline"`
	URL               string        `gorm:"column:url" json:"url"`
	PublishedAt       *time.Time    `json:"published_at"`
	FactCheckURL      *string       `gorm:"column:factcheck_url" json:"factcheck_url"` // the published fact-check (ClaimReview's url); nil until set
	Status            ArticleStatus `json:"status"`
	CurrentRevisionID *int64        `json:"-"`
	CreatedBy         int64         `json:"created_by"`
	CreatedAt         time.Time     `json:"created_at"`
	UpdatedAt         time.Time     `json:"updated_at"`
	AuditSeq          int64         `json:"-"`
	AuditHead         string        `json:"-"`
}

// Revision is one version of an article's body, byte for byte as imported.
type Revision struct {
	ID             int64     `gorm:"primaryKey" json:"id"`
	ArticleID      int64     `json:"article_id"`
	Number         int       `json:"number"`
	Body           string    `json:"-"`
	BodySHA256     string    `gorm:"column:body_sha256" json:"body_sha256"`
	Format         string    `json:"format"`
	SourceURL      string    `gorm:"column:source_url" json:"source_url,omitempty"`
	SentenceCount  int       `json:"sentence_count"`
	ParagraphCount int       `json:"paragraph_count"`
	ImportedBy     int64     `json:"imported_by"`
	ImportedAt     time.Time `json:"imported_at"`
}

// NewArticle is an article ready to be stored: its metadata, its body and
// the sentences the segmenter found in it.
type NewArticle struct {
	Title          string
	Outlet         string
	Byline         string
	URL            string
	PublishedAt    *time.Time
	Format         string
	SourceURL      string
	Body           string
	BodySHA256     string
	ParagraphCount int
	Sentences      []Sentence
	// Attributions and Suggestions are the machine's reading of the
	// sentences: empty, or one per sentence in the same order, nil where a
	// sentence has none. Sentence and article ids are filled in on insert.
	Attributions []*Attribution
	Suggestions  []*Suggestion
}

// CreateArticle stores an article with its first revision and sentences,
// and the import's audit event, in one transaction. When a revision with
// the same body already exists it stores nothing and returns that article
// with created false.
func (s *Store) CreateArticle(ctx context.Context, actor Actor, na NewArticle) (a *Article, created bool, err error) {
	a = &Article{
		Title: na.Title, Outlet: na.Outlet, Byline: na.Byline, URL: na.URL, PublishedAt: na.PublishedAt,
		Status: ArticleDraft, CreatedBy: actor.ID,
	}
	err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.db.dialect == migrations.Postgres {
			// Two imports of one body at the same moment must not both
			// create an article.
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, na.BodySHA256).Error; err != nil {
				return fmt.Errorf("lock body hash: %w", err)
			}
		}
		var existing Revision
		res := tx.Where("body_sha256 = ?", na.BodySHA256).Order("id").Limit(1).Find(&existing)
		if res.Error != nil {
			return fmt.Errorf("look up body hash: %w", res.Error)
		}
		if res.RowsAffected > 0 {
			if err := tx.First(a, existing.ArticleID).Error; err != nil {
				return notFound(err, "article %d", existing.ArticleID)
			}
			return nil
		}
		created = true
		if err := tx.Create(a).Error; err != nil {
			return fmt.Errorf("create article: %w", err)
		}
		rev := &Revision{
			ArticleID: a.ID, Number: 1, Body: na.Body, BodySHA256: na.BodySHA256, Format: na.Format,
			SourceURL: na.SourceURL, SentenceCount: len(na.Sentences), ParagraphCount: na.ParagraphCount,
			ImportedBy: actor.ID, ImportedAt: tx.NowFunc(),
		}
		if err := tx.Create(rev).Error; err != nil {
			return fmt.Errorf("create revision: %w", err)
		}
		a.CurrentRevisionID = &rev.ID
		if err := tx.Model(a).Update("current_revision_id", rev.ID).Error; err != nil {
			return fmt.Errorf("set current revision: %w", err)
		}
		if err := insertSentences(tx, a.ID, rev.ID, na.Sentences); err != nil {
			return err
		}
		if err := s.insertMachineReading(tx, na); err != nil {
			return err
		}
		return s.appendEvent(tx, Event{ArticleID: a.ID, Actor: actor, Action: "article.import", Entity: "article", EntityID: a.ID,
			After: importRecord(a, rev, na.Sentences)})
	})
	if err != nil {
		return nil, false, err
	}
	return a, created, nil
}

// importRecord is what the import event records: enough to replay the
// article's sentences from their initial state.
func importRecord(a *Article, rev *Revision, ss []Sentence) map[string]any {
	excluded := map[string]string{}
	for _, s := range ss {
		if s.Status == "excluded" {
			excluded[fmt.Sprint(s.Index)] = s.ExcludeReason
		}
	}
	return map[string]any{
		"title": a.Title, "outlet": a.Outlet, "url": a.URL,
		"revision": rev.Number, "body_sha256": rev.BodySHA256, "format": rev.Format,
		"sentences": len(ss), "excluded": excluded,
	}
}

// insertSentences writes sentences in multi-row batches; a row at a time
// would make storage the bottleneck of an import.
func insertSentences(tx *gorm.DB, articleID, revisionID int64, ss []Sentence) error {
	if len(ss) == 0 {
		return nil
	}
	now := tx.NowFunc()
	for i := range ss {
		ss[i].ID = 0
		ss[i].ArticleID = articleID
		ss[i].RevisionID = revisionID
		if ss[i].Version == 0 {
			ss[i].Version = 1
		}
		if ss[i].Status == "" {
			ss[i].Status = "unreviewed"
		}
		ss[i].UpdatedAt = now
		ss[i].Norm = similar.Normalize(ss[i].Text)
		if ss[i].Bands == nil {
			ss[i].Bands = bandKeys(ss[i].Norm)
		}
	}
	if err := tx.CreateInBatches(ss, rowsPerInsert(tx, 22)).Error; err != nil {
		return fmt.Errorf("insert %d sentences: %w", len(ss), err)
	}
	// PostgreSQL indexes the bands column; SQLite needs a row per key.
	return insertBands(tx, ss)
}

// Article returns the article with the given id.
func (s *Store) Article(ctx context.Context, id int64) (*Article, error) {
	var a Article
	if err := s.db.gorm.WithContext(ctx).First(&a, id).Error; err != nil {
		return nil, notFound(err, "article %d", id)
	}
	return &a, nil
}

// Revision returns a revision by id.
func (s *Store) Revision(ctx context.Context, id int64) (*Revision, error) {
	var r Revision
	if err := s.db.gorm.WithContext(ctx).First(&r, id).Error; err != nil {
		return nil, notFound(err, "revision %d", id)
	}
	return &r, nil
}

// Revisions lists an article's revisions, oldest first, without bodies.
func (s *Store) Revisions(ctx context.Context, articleID int64) ([]Revision, error) {
	var rs []Revision
	err := s.db.gorm.WithContext(ctx).Omit("body").Where("article_id = ?", articleID).Order("number").Find(&rs).Error
	if err != nil {
		return nil, fmt.Errorf("list revisions of article %d: %w", articleID, err)
	}
	return rs, nil
}

// ArticleFilter selects and pages the article list.
type ArticleFilter struct {
	Query  string        // case-insensitive substring of the title
	Status ArticleStatus // empty: any
	Before int64         // keyset cursor: only articles with a smaller id
	Limit  int           // page size; 0 means 50, at most 200
}

// ArticleRow is an article as the list shows it, with its progress.
type ArticleRow struct {
	Article
	Revision  int   `json:"revision"`
	Sentences int   `json:"sentences"`
	Labeled   int   `json:"labeled"`  // sentences with a label (any status but unreviewed and excluded)
	Excluded  int   `json:"excluded"` // sentences excluded from the check
	Checked   int   `json:"checked"`  // verified, disputed or unverifiable
	Next      int64 `json:"-"`
}

// ArticlePage is one page of the article list.
type ArticlePage struct {
	Articles []ArticleRow `json:"articles"`
	// Next is the cursor of the following page, 0 when this is the last.
	Next int64 `json:"next_cursor,omitempty"`
}

// Articles lists articles newest first, by keyset: the cost of a page does
// not grow with its depth.
func (s *Store) Articles(ctx context.Context, f ArticleFilter) (*ArticlePage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 200 {
		f.Limit = 200
	}
	db := s.db.gorm.WithContext(ctx)
	q := db.Model(&Article{})
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		q = q.Where("lower(title) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(t))+"%")
	}
	var as []Article
	if err := q.Order("id DESC").Limit(f.Limit + 1).Find(&as).Error; err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	page := &ArticlePage{}
	if len(as) > f.Limit {
		as = as[:f.Limit]
		page.Next = as[len(as)-1].ID
	}
	page.Articles = make([]ArticleRow, len(as))
	revIDs := make([]int64, 0, len(as))
	byRev := make(map[int64]*ArticleRow, len(as))
	for i := range as {
		page.Articles[i].Article = as[i]
		if as[i].CurrentRevisionID != nil {
			revIDs = append(revIDs, *as[i].CurrentRevisionID)
			byRev[*as[i].CurrentRevisionID] = &page.Articles[i]
		}
	}
	if len(revIDs) == 0 {
		return page, nil
	}
	var counts []struct {
		RevisionID int64
		Status     string
		N          int
	}
	err := db.Model(&Sentence{}).Select("revision_id, status, count(*) AS n").
		Where("revision_id IN ?", revIDs).Group("revision_id, status").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count sentences: %w", err)
	}
	for _, c := range counts {
		r := byRev[c.RevisionID]
		r.Sentences += c.N
		switch c.Status {
		case "excluded":
			r.Excluded += c.N
		case "unreviewed":
		case "verified", "disputed", "unverifiable":
			r.Checked += c.N
			r.Labeled += c.N
		default:
			r.Labeled += c.N
		}
	}
	var revs []Revision
	if err := db.Select("id, number").Where("id IN ?", revIDs).Find(&revs).Error; err != nil {
		return nil, fmt.Errorf("load revision numbers: %w", err)
	}
	for _, rv := range revs {
		byRev[rv.ID].Revision = rv.Number
	}
	return page, nil
}

// escapeLike escapes the LIKE wildcards of a user's search text.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
