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
	ID           int64         `gorm:"primaryKey" json:"id"`
	Title        string        `json:"title"`
	Outlet       string        `json:"outlet"`
	Byline       string        `json:"byline"`
	URL          string        `gorm:"column:url" json:"url"`
	PublishedAt  *time.Time    `json:"published_at"`
	FactCheckURL *string       `gorm:"column:factcheck_url" json:"factcheck_url"` // the published fact-check (ClaimReview's url); nil until set
	Status       ArticleStatus `json:"status"`
	// DueAt is the soonest due time of the article's assignments, nil
	// when none has one (kept by Assign and Unassign).
	DueAt             *time.Time `json:"due_at,omitempty"`
	CurrentRevisionID *int64     `json:"-"`
	CreatedBy         int64      `json:"created_by"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	AuditSeq          int64      `json:"-"`
	AuditHead         string     `json:"-"`
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
		if err := s.indexArticleTitle(tx, a); err != nil {
			return err
		}
		if err := s.indexRevision(tx, a.ID, rev.ID, 0); err != nil {
			return err
		}
		if err := s.appendEvent(tx, Event{ArticleID: a.ID, Actor: actor, Action: "article.import", Entity: "article", EntityID: a.ID,
			After: importRecord(a, rev, na.Sentences)}); err != nil {
			return err
		}
		return enqueueWebhooks(tx, "article.imported", map[string]any{"article": articleData(a), "sentences": len(na.Sentences), "by": actor.Name})
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

// RevisionWithoutBody returns a revision by id without its body (Body is
// ""), for a caller that shows its sentences: a long article's body is
// hundreds of kilobytes, compressed on PostgreSQL.
func (s *Store) RevisionWithoutBody(ctx context.Context, id int64) (*Revision, error) {
	var r Revision
	if err := s.db.gorm.WithContext(ctx).Omit("body").First(&r, id).Error; err != nil {
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
	// Assignee keeps the articles assigned to this user (0: anyone's);
	// Unassigned keeps those assigned to nobody.
	Assignee   int64
	Unassigned bool
	Due        DueFilter // empty: any
	Outlet     string    // the outlet, without regard to case; empty: any
	Progress   Progress  // empty: any
	Sort       ArticleSort
	// Before is the keyset cursor: the id of the last article of the
	// previous page (the page's next_cursor); the list goes on after it
	// in the chosen order.
	Before int64
	Limit  int // page size; 0 means 50, at most 200
}

// DueFilter selects articles by their soonest due time.
type DueFilter string

// The due filters.
const (
	DueOverdue DueFilter = "overdue" // due time passed, not approved
	DueToday   DueFilter = "today"   // due before the end of today (UTC), not approved
	DueWeek    DueFilter = "week"    // due within seven days, not approved
)

// Valid reports whether d is a known due filter.
func (d DueFilter) Valid() bool { return d == DueOverdue || d == DueToday || d == DueWeek }

// Progress selects articles by how far their labeling is.
type Progress string

// The progress filters.
const (
	ProgressUnstarted Progress = "unstarted" // no sentence labeled or excluded
	ProgressStarted   Progress = "started"   // some sentences labeled, some not
	ProgressLabeled   Progress = "labeled"   // every sentence labeled or excluded
)

// Valid reports whether p is a known progress filter.
func (p Progress) Valid() bool {
	return p == ProgressUnstarted || p == ProgressStarted || p == ProgressLabeled
}

// ArticleSort orders the article list.
type ArticleSort string

// The orders of the list.
const (
	SortNewest ArticleSort = "newest" // the default
	SortOldest ArticleSort = "oldest"
	SortDue    ArticleSort = "due" // soonest due first, undated last
)

// Valid reports whether o is a known order (empty is the default).
func (o ArticleSort) Valid() bool {
	return o == "" || o == SortNewest || o == SortOldest || o == SortDue
}

// ArticleRow is an article as the list shows it, with its progress.
type ArticleRow struct {
	Article
	Revision  int          `json:"revision"`
	Sentences int          `json:"sentences"`
	Labeled   int          `json:"labeled"`  // sentences with a label (any status but unreviewed and excluded)
	Excluded  int          `json:"excluded"` // sentences excluded from the check
	Checked   int          `json:"checked"`  // verified, disputed or unverifiable
	Assignees []Assignment `json:"assignees"`
	Next      int64        `json:"-"`
}

// ArticlePage is one page of the article list.
type ArticlePage struct {
	Articles []ArticleRow `json:"articles"`
	// Next is the cursor of the following page, 0 when this is the last.
	Next int64 `json:"next_cursor,omitempty"`
}

// Articles lists articles in the filter's order (newest first by default)
// by keyset: each page starts where the last one ended, by an index, so
// that its cost does not grow with its depth.
func (s *Store) Articles(ctx context.Context, f ArticleFilter) (*ArticlePage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 200 {
		f.Limit = 200
	}
	db := s.db.gorm.WithContext(ctx)
	as, err := s.articlesPage(db, f)
	if err != nil {
		return nil, err
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
		return page, s.fillAssignees(ctx, page)
	}
	var counts []struct {
		RevisionID int64
		Status     string
		N          int
	}
	err = db.Model(&Sentence{}).Select("revision_id, status, count(*) AS n").
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
	return page, s.fillAssignees(ctx, page)
}

// fillAssignees adds each listed article's assignees.
func (s *Store) fillAssignees(ctx context.Context, page *ArticlePage) error {
	ids := make([]int64, len(page.Articles))
	for i := range page.Articles {
		ids[i] = page.Articles[i].ID
	}
	byArticle, err := s.AssignmentsOf(ctx, ids)
	if err != nil {
		return err
	}
	for i := range page.Articles {
		page.Articles[i].Assignees = byArticle[page.Articles[i].ID]
		if page.Articles[i].Assignees == nil {
			page.Articles[i].Assignees = []Assignment{}
		}
	}
	return nil
}

// escapeLike escapes the LIKE wildcards of a user's search text.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
