package models

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/codebook"
	"factdesk/migrations"
	"factdesk/search"
)

// SearchWindow is how many of the newest matching texts one page ranks.
// Ranking every match of a common word would read all of them; ranking the
// newest thousand reads a thousand, whatever the archive's size, and the
// cursor moves on to the next thousand when these are shown.
const SearchWindow = 1000

// FilteredWindow is the window of a search narrowed by a filter that
// joins the sentences or articles (label, status, verdict, speaker,
// outlet, article status, dates): each row read costs a lookup there, and
// a filter that keeps one match in ten reads ten times the rows.
const FilteredWindow = 250

// window is how many matching rows one window of f ranks.
func (f *SearchFilter) window() int {
	if f.sentenceOnly() || f.joinsArticles() {
		return FilteredWindow
	}
	return SearchWindow
}

// Search groups.
const (
	GroupArticles  = "articles"
	GroupSentences = "sentences"
	GroupSources   = "sources"
)

// SearchFilter is a search and what narrows it.
type SearchFilter struct {
	Query search.Query
	// Reader is who searches: articles they give an open blind second
	// opinion on are left out, and "me" as Assignee is them.
	Reader int64
	// Sentence filters; with any of them set only sentences are searched.
	Label   codebook.Label
	Status  codebook.Status
	Verdict string
	Speaker string // words of the speaker's name, in order ("Putin")
	// Article filters; with any of them set sources are not searched.
	ArticleStatus ArticleStatus
	Outlet        string
	From, To      *time.Time // the article's publication (else import) time: From ≤ t < To
	Assignee      int64      // 0: anyone
	Unassigned    bool
	// Group searches one group only ("" for all).
	Group  string
	Cursor SearchCursor
	Limit  int // results per group and page; 0 means 10 (20 for one group), at most 50
}

// sentenceOnly reports whether a filter applies to sentences only.
func (f *SearchFilter) sentenceOnly() bool {
	return f.Label != "" || f.Status != "" || f.Verdict != "" || strings.TrimSpace(f.Speaker) != ""
}

// joinsArticles reports whether a filter reads the articles' rows
// (assignees are read from the assignments by the index's article id).
func (f *SearchFilter) joinsArticles() bool {
	return f.ArticleStatus != "" || strings.TrimSpace(f.Outlet) != "" || f.From != nil || f.To != nil
}

// articleFiltered reports whether a filter narrows the articles.
func (f *SearchFilter) articleFiltered() bool {
	return f.joinsArticles() || f.Assignee != 0 || f.Unassigned
}

// SearchCursor is where the next page of each group starts.
type SearchCursor struct {
	Articles, Sentences, Sources GroupCursor
}

// GroupCursor is a position in one group: within the window of matches
// with an id below Before (0: the newest), Offset results were shown.
type GroupCursor struct {
	Before int64
	Offset int
	Done   bool
}

// String encodes the cursor for an address.
func (c SearchCursor) String() string {
	enc := func(g GroupCursor) string {
		if g.Done {
			return "x"
		}
		return strconv.FormatInt(g.Before, 36) + "." + strconv.Itoa(g.Offset)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(enc(c.Articles) + "_" + enc(c.Sentences) + "_" + enc(c.Sources)))
}

// more reports whether some group has results left.
func (c SearchCursor) more() bool { return !c.Articles.Done || !c.Sentences.Done || !c.Sources.Done }

// ParseSearchCursor reads a cursor made by SearchCursor.String.
func ParseSearchCursor(s string) (SearchCursor, error) {
	bad := FieldError("cursor", "this cursor is not one a search returned; start the search again")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return SearchCursor{}, bad
	}
	parts := strings.Split(string(raw), "_")
	if len(parts) != 3 {
		return SearchCursor{}, bad
	}
	var gs [3]GroupCursor
	for i, p := range parts {
		if p == "x" {
			gs[i].Done = true
			continue
		}
		before, offset, ok := strings.Cut(p, ".")
		if !ok {
			return SearchCursor{}, bad
		}
		b, err1 := strconv.ParseInt(before, 36, 64)
		o, err2 := strconv.Atoi(offset)
		if err1 != nil || err2 != nil || b < 0 || o < 0 || o > SearchWindow {
			return SearchCursor{}, bad
		}
		gs[i] = GroupCursor{Before: b, Offset: o}
	}
	return SearchCursor{Articles: gs[0], Sentences: gs[1], Sources: gs[2]}, nil
}

// SearchResults is one page of a search, grouped.
type SearchResults struct {
	Articles  []ArticleHit  `json:"articles"`
	Sentences []SentenceHit `json:"sentences"`
	Sources   []SourceHit   `json:"sources"`
	// Next is the cursor of the following page, "" when every group is
	// exhausted.
	Next string `json:"next_cursor,omitempty"`
}

// CommentHit is a matching comment, with its excerpt highlighted.
type CommentHit struct {
	ID        int64  `json:"id"`
	Highlight string `json:"highlight"`
}

// ArticleHit is an article whose title or one of whose article comments
// matched.
type ArticleHit struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	Outlet      string        `json:"outlet"`
	Status      ArticleStatus `json:"status"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	// Highlight is the title as HTML, the matching words in <mark> and
	// the rest escaped.
	Highlight string      `json:"highlight"`
	Matched   []string    `json:"matched"` // "title", "comment"
	Comment   *CommentHit `json:"comment,omitempty"`
	Rank      float64     `json:"rank"`
}

// SentenceHit is a sentence of an article's current revision whose text,
// note, speaker or one of whose comments matched.
type SentenceHit struct {
	ID           int64  `json:"id"`
	ArticleID    int64  `json:"article_id"`
	ArticleTitle string `json:"article_title"`
	Outlet       string `json:"outlet"`
	Number       int    `json:"number"` // 1-based position in the article
	Text         string `json:"text"`
	// Highlight is the text as HTML, the matching words in <mark> and the
	// rest escaped.
	Highlight        string      `json:"highlight"`
	Label            string      `json:"label,omitempty"`
	Status           string      `json:"status"`
	Verdict          string      `json:"verdict,omitempty"`
	Speaker          string      `json:"speaker,omitempty"`
	SpeakerHighlight string      `json:"speaker_highlight,omitempty"`
	NoteHighlight    string      `json:"note_highlight,omitempty"`
	Comment          *CommentHit `json:"comment,omitempty"`
	Matched          []string    `json:"matched"` // "text", "note", "speaker", "comment"
	Rank             float64     `json:"rank"`
}

// SourceHit is a source whose title, publisher or URL matched.
type SourceHit struct {
	ID        int64      `json:"id"`
	Kind      SourceKind `json:"kind"`
	Title     string     `json:"title"`
	Publisher string     `json:"publisher,omitempty"`
	URL       string     `json:"url,omitempty"`
	// Highlight is the title as HTML (see SentenceHit.Highlight);
	// PublisherHighlight the publisher.
	Highlight          string  `json:"highlight"`
	PublisherHighlight string  `json:"publisher_highlight,omitempty"`
	Rank               float64 `json:"rank"`
}

// docHit is one matching row of the search index.
type docHit struct {
	ID    int64
	Key   int64 // the article, sentence or source it counts for
	Kind  string
	RefID int64
	Rank  float64
}

// keyHit is a group's result: a key and the rows that matched for it.
type keyHit struct {
	key  int64
	rank float64
	docs []docHit
}

// Search runs a search over the index and returns a page of each group,
// every result one the reader may see. An empty query finds nothing.
func (s *Store) Search(ctx context.Context, f SearchFilter) (*SearchResults, error) {
	out := &SearchResults{Articles: []ArticleHit{}, Sentences: []SentenceHit{}, Sources: []SourceHit{}}
	if f.Query.Empty() {
		return out, nil
	}
	limit := f.Limit
	switch {
	case limit <= 0 && f.Group != "":
		limit = 20
	case limit <= 0:
		limit = 10
	case limit > 50:
		limit = 50
	}
	db := s.db.gorm.WithContext(ctx)
	next := f.Cursor
	want := func(group string, c GroupCursor) bool { return !c.Done && (f.Group == "" || f.Group == group) }
	skip := func(c *GroupCursor) { c.Done = true }
	if !want(GroupArticles, f.Cursor.Articles) || f.sentenceOnly() {
		skip(&next.Articles)
	} else {
		hits, c, err := s.searchGroup(db, &f, GroupArticles, f.Cursor.Articles, limit)
		if err != nil {
			return nil, err
		}
		next.Articles = c
		if out.Articles, err = s.articleHits(db, f.Query, hits); err != nil {
			return nil, err
		}
	}
	if !want(GroupSentences, f.Cursor.Sentences) {
		skip(&next.Sentences)
	} else {
		hits, c, err := s.searchGroup(db, &f, GroupSentences, f.Cursor.Sentences, limit)
		if err != nil {
			return nil, err
		}
		next.Sentences = c
		if out.Sentences, err = s.sentenceHits(db, f.Query, hits); err != nil {
			return nil, err
		}
	}
	if !want(GroupSources, f.Cursor.Sources) || f.sentenceOnly() || f.articleFiltered() {
		skip(&next.Sources)
	} else {
		hits, c, err := s.searchGroup(db, &f, GroupSources, f.Cursor.Sources, limit)
		if err != nil {
			return nil, err
		}
		next.Sources = c
		if out.Sources, err = s.sourceHits(db, f.Query, hits); err != nil {
			return nil, err
		}
	}
	if next.more() {
		out.Next = next.String()
	}
	return out, nil
}

// searchGroup returns a page of one group's results from cursor c: the
// newest SearchWindow matching rows, grouped by key and ranked, then the
// next window's while the page is not full.
func (s *Store) searchGroup(db *gorm.DB, f *SearchFilter, group string, c GroupCursor, limit int) ([]keyHit, GroupCursor, error) {
	var page []keyHit
	for {
		docs, err := s.searchWindow(db, f, group, c.Before)
		if err != nil {
			return nil, c, err
		}
		ranked := rankKeys(docs)
		if c.Offset < len(ranked) {
			take := min(limit-len(page), len(ranked)-c.Offset)
			page = append(page, ranked[c.Offset:c.Offset+take]...)
			c.Offset += take
		}
		switch {
		case c.Offset < len(ranked):
			return page, c, nil // more in this window
		case len(docs) < f.window():
			return page, GroupCursor{Done: true}, nil
		}
		c = GroupCursor{Before: docs[len(docs)-1].ID}
		if len(page) == limit {
			return page, c, nil
		}
	}
}

// rankKeys groups a window's rows by key, best rank first (ties: newest
// key first).
func rankKeys(docs []docHit) []keyHit {
	at := map[int64]int{}
	var out []keyHit
	for _, d := range docs {
		i, ok := at[d.Key]
		if !ok {
			i = len(out)
			at[d.Key] = i
			out = append(out, keyHit{key: d.Key, rank: d.Rank})
		}
		out[i].docs = append(out[i].docs, d)
		out[i].rank = max(out[i].rank, d.Rank)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].rank != out[j].rank {
			return out[i].rank > out[j].rank
		}
		return out[i].key > out[j].key
	})
	return out
}

// searchWindow reads the newest f.window() rows of the index below
// before (0: the newest of all) that match the query and the filters,
// leaving out the keys already shown from windows before (rows of the
// same key with an id from before on).
func (s *Store) searchWindow(db *gorm.DB, f *SearchFilter, group string, before int64) ([]docHit, error) {
	q, args := s.searchWindowSQL(f, group, before)
	var docs []docHit
	err := s.withSearchPlan(db, f, group, func(db *gorm.DB) error {
		return db.Raw(q, args...).Scan(&docs).Error
	})
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", group, err)
	}
	return docs, nil
}

// withSearchPlan runs read, in a transaction that turns bitmap scans off
// when the sentence window of a common search is best read newest first
// (see readNewestFirst).
func (s *Store) withSearchPlan(db *gorm.DB, f *SearchFilter, group string, read func(db *gorm.DB) error) error {
	if s.db.dialect != migrations.Postgres || group != GroupSentences {
		return read(db)
	}
	newest, err := s.readNewestFirst(db.Statement.Context, f.Query)
	if err != nil {
		return err
	}
	if !newest {
		return read(db)
	}
	// Nor in parallel: reading the newest matches is a short ordered
	// scan, and the planner, which underrates phrases, would start
	// workers for it and merge their streams ("interest rates" at
	// 3,000,000 sentences: 167 ms so, 7.5 ms alone).
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL enable_bitmapscan = off`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`SET LOCAL max_parallel_workers_per_gather = 0`).Error; err != nil {
			return err
		}
		return read(tx)
	})
}

// searchWindowSQL is the statement searchWindow runs.
func (s *Store) searchWindowSQL(f *SearchFilter, group string, before int64) (string, []any) {
	pg := s.db.dialect == migrations.Postgres
	var (
		key   string
		where []string
		args  []any
	)
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	tsq, fts := f.Query.TSQuery(), f.Query.FTS5()
	// On SQLite the rows without a sentence (titles, article comments,
	// sources) have an FTS5 table of their own (see migration 00013).
	ftsTable := "search_fts"
	if group != GroupSentences {
		ftsTable = "search_meta_fts"
	}
	// match is the condition that row alias d matches q.
	match := func(alias string, q search.Query) (string, []any) {
		if pg {
			return alias + ".tsv @@ CAST(? AS tsquery)", []any{q.TSQuery()}
		}
		return alias + ".id IN (SELECT rowid FROM " + ftsTable + " WHERE " + ftsTable + " MATCH ?)", []any{q.FTS5()}
	}
	from := "search_docs d"
	if !pg {
		from = ftsTable + " JOIN search_docs d ON d.id = " + ftsTable + ".rowid"
		add(ftsTable+" MATCH ?", fts)
	} else {
		add("d.tsv @@ CAST(? AS tsquery)", tsq)
	}
	// The sentences and articles are joined only for the filters that
	// need them: the index holds only what search may show (see
	// indexRevision), and without joins a common word is read newest
	// first through the primary key, a thousand rows and done.
	switch group {
	case GroupSources:
		key = "d.ref_id"
		add("d.sentence_id IS NULL AND d.kind = ?", docSource)
	case GroupArticles:
		key = "d.article_id"
		add("d.sentence_id IS NULL AND d.kind IN (?, ?)", docArticle, docComment)
	case GroupSentences:
		key = "d.sentence_id"
		if f.Label != "" || f.Status != "" || f.Verdict != "" {
			from += " JOIN sentences s ON s.id = d.sentence_id"
		}
		add("d.sentence_id IS NOT NULL")
		if f.Label != "" {
			add("s.label = ?", string(f.Label))
		}
		if f.Status != "" {
			add("s.status = ?", string(f.Status))
		}
		if f.Verdict != "" {
			add("s.verdict = ?", f.Verdict)
		}
		if words := search.Words(f.Speaker); len(words) > 0 {
			speaker := search.Query{Groups: [][]search.Term{{{Words: words}}}}
			cond, a := match("sp", speaker)
			add("EXISTS (SELECT 1 FROM search_docs sp WHERE sp.kind = '"+docSpeaker+"' AND sp.ref_id = d.sentence_id AND "+cond+")", a...)
		} else if strings.TrimSpace(f.Speaker) != "" {
			add("1 = 0") // a speaker of only common words names nobody
		}
	}
	if group != GroupSources {
		if f.joinsArticles() {
			from += " JOIN articles a ON a.id = d.article_id"
		}
		if f.Reader != 0 {
			add("d.article_id NOT IN (SELECT article_id FROM second_opinions WHERE assignee_id = ? AND status = ?)", f.Reader, OpinionOpen)
		}
		if f.ArticleStatus != "" {
			add("a.status = ?", string(f.ArticleStatus))
		}
		if o := strings.TrimSpace(f.Outlet); o != "" {
			add("lower(a.outlet) = ?", strings.ToLower(o))
		}
		if f.From != nil {
			add("coalesce(a.published_at, a.created_at) >= ?", f.From.UTC())
		}
		if f.To != nil {
			add("coalesce(a.published_at, a.created_at) < ?", f.To.UTC())
		}
		switch {
		case f.Assignee != 0:
			add("EXISTS (SELECT 1 FROM assignments x WHERE x.article_id = d.article_id AND x.user_id = ?)", f.Assignee)
		case f.Unassigned:
			add("NOT EXISTS (SELECT 1 FROM assignments x WHERE x.article_id = d.article_id)")
		}
	}
	if before > 0 {
		add("d.id < ?", before)
		if group != GroupSources {
			// A key shown from an earlier window is not shown again.
			kcol := strings.TrimPrefix(key, "d.")
			cond, a := match("e", f.Query)
			kindCond := "e.sentence_id IS NOT NULL"
			if group == GroupArticles {
				kindCond = "e.sentence_id IS NULL AND e.kind IN ('" + docArticle + "', '" + docComment + "')"
			}
			add("NOT EXISTS (SELECT 1 FROM search_docs e WHERE e."+kcol+" = "+key+" AND e.id >= ? AND "+kindCond+" AND "+cond+")",
				append([]any{before}, a...)...)
		}
	}
	var q string
	if pg {
		q = fmt.Sprintf(`SELECT w.id, w.key, w.kind, w.ref_id, ts_rank(w.tsv, CAST(? AS tsquery)) AS rank FROM (
			SELECT d.id, %s AS key, d.kind, d.ref_id, d.tsv FROM %s WHERE %s ORDER BY d.id DESC LIMIT %d) w ORDER BY w.id DESC`,
			key, from, strings.Join(where, " AND "), f.window())
		args = append([]any{tsq}, args...)
	} else {
		q = fmt.Sprintf(`SELECT d.id, %s AS key, d.kind, d.ref_id, -bm25(%s) AS rank FROM %s WHERE %s ORDER BY %s.rowid DESC LIMIT %d`,
			key, ftsTable, from, strings.Join(where, " AND "), ftsTable, f.window())
	}
	return q, args
}

// ExplainSearch returns the plan of the statement that reads the first
// window of one group's matches: PostgreSQL's EXPLAIN (FORMAT JSON), or
// SQLite's EXPLAIN QUERY PLAN, one step a line.
func (s *Store) ExplainSearch(ctx context.Context, f SearchFilter, group string) (string, error) {
	q, args := s.searchWindowSQL(&f, group, 0)
	db := s.db.gorm.WithContext(ctx)
	if s.db.dialect == migrations.Postgres {
		var plan string
		err := s.withSearchPlan(db, &f, group, func(db *gorm.DB) error {
			return db.Raw("EXPLAIN (FORMAT JSON) "+q, args...).Row().Scan(&plan)
		})
		if err != nil {
			return "", fmt.Errorf("explain the search: %w", err)
		}
		return plan, nil
	}
	var steps []struct {
		ID, Parent, Notused int
		Detail              string
	}
	if err := db.Raw("EXPLAIN QUERY PLAN "+q, args...).Scan(&steps).Error; err != nil {
		return "", fmt.Errorf("explain the search: %w", err)
	}
	lines := make([]string, len(steps))
	for i, st := range steps {
		lines[i] = st.Detail
	}
	return strings.Join(lines, "\n"), nil
}

// commentHits loads the comments among the rows of hits and returns them
// highlighted by comment id.
func commentHits(db *gorm.DB, q search.Query, hits []keyHit) (map[int64]*CommentHit, error) {
	var ids []int64
	for _, h := range hits {
		for _, d := range h.docs {
			if d.Kind == docComment {
				ids = append(ids, d.RefID)
			}
		}
	}
	out := map[int64]*CommentHit{}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []Comment
	if err := db.Select("id", "body").Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("load matching comments: %w", err)
	}
	for _, c := range cs {
		out[c.ID] = &CommentHit{ID: c.ID, Highlight: search.Highlight(c.Body, q, 160)}
	}
	return out, nil
}

// firstComment returns the newest matching comment of a hit.
func firstComment(h keyHit, comments map[int64]*CommentHit) *CommentHit {
	for _, d := range h.docs {
		if c := comments[d.RefID]; d.Kind == docComment && c != nil {
			return c
		}
	}
	return nil
}

func hitKeys(hits []keyHit) []int64 {
	keys := make([]int64, len(hits))
	for i, h := range hits {
		keys[i] = h.key
	}
	return keys
}

func (s *Store) articleHits(db *gorm.DB, q search.Query, hits []keyHit) ([]ArticleHit, error) {
	out := make([]ArticleHit, 0, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	var arts []Article
	if err := db.Select("id", "title", "outlet", "status", "published_at").Where("id IN ?", hitKeys(hits)).Find(&arts).Error; err != nil {
		return nil, fmt.Errorf("load matching articles: %w", err)
	}
	byID := map[int64]*Article{}
	for i := range arts {
		byID[arts[i].ID] = &arts[i]
	}
	comments, err := commentHits(db, q, hits)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		a := byID[h.key]
		if a == nil {
			continue // deleted meanwhile
		}
		hit := ArticleHit{ID: a.ID, Title: a.Title, Outlet: a.Outlet, Status: a.Status, PublishedAt: a.PublishedAt,
			Highlight: search.Highlight(a.Title, q, 0), Matched: []string{}, Rank: h.rank}
		for _, d := range h.docs {
			switch d.Kind {
			case docArticle:
				hit.Matched = appendOnce(hit.Matched, "title")
			case docComment:
				hit.Matched = appendOnce(hit.Matched, "comment")
			}
		}
		hit.Comment = firstComment(h, comments)
		out = append(out, hit)
	}
	return out, nil
}

func (s *Store) sentenceHits(db *gorm.DB, q search.Query, hits []keyHit) ([]SentenceHit, error) {
	out := make([]SentenceHit, 0, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	var rows []struct {
		ID, ArticleID               int64
		Idx                         int
		Text, Status, Verdict, Note string
		Label                       *string
		Title, Outlet               string
		Speaker                     *string
	}
	err := db.Raw(`SELECT s.id, s.article_id, s.idx, s.text, s.status, s.verdict, s.note, s.label, a.title, a.outlet, t.speaker
		FROM sentences s JOIN articles a ON a.id = s.article_id LEFT JOIN attributions t ON t.sentence_id = s.id
		WHERE s.id IN ?`, hitKeys(hits)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load matching sentences: %w", err)
	}
	byID := map[int64]int{}
	for i := range rows {
		byID[rows[i].ID] = i
	}
	comments, err := commentHits(db, q, hits)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		i, ok := byID[h.key]
		if !ok {
			continue
		}
		r := rows[i]
		hit := SentenceHit{ID: r.ID, ArticleID: r.ArticleID, ArticleTitle: r.Title, Outlet: r.Outlet, Number: r.Idx + 1,
			Text: r.Text, Highlight: search.Highlight(r.Text, q, 0), Status: r.Status, Verdict: r.Verdict,
			Matched: []string{}, Rank: h.rank}
		if r.Label != nil {
			hit.Label = *r.Label
		}
		if r.Speaker != nil {
			hit.Speaker = *r.Speaker
		}
		for _, d := range h.docs {
			switch d.Kind {
			case docSentence:
				hit.Matched = appendOnce(hit.Matched, "text")
			case docNote:
				hit.Matched = appendOnce(hit.Matched, "note")
				hit.NoteHighlight = search.Highlight(r.Note, q, 160)
			case docSpeaker:
				hit.Matched = appendOnce(hit.Matched, "speaker")
				hit.SpeakerHighlight = search.Highlight(hit.Speaker, q, 0)
			case docComment:
				hit.Matched = appendOnce(hit.Matched, "comment")
			}
		}
		hit.Comment = firstComment(h, comments)
		out = append(out, hit)
	}
	return out, nil
}

func (s *Store) sourceHits(db *gorm.DB, q search.Query, hits []keyHit) ([]SourceHit, error) {
	out := make([]SourceHit, 0, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	var srcs []Source
	if err := db.Select("id", "kind", "title", "publisher", "url").Where("id IN ?", hitKeys(hits)).Find(&srcs).Error; err != nil {
		return nil, fmt.Errorf("load matching sources: %w", err)
	}
	byID := map[int64]*Source{}
	for i := range srcs {
		byID[srcs[i].ID] = &srcs[i]
	}
	for _, h := range hits {
		src := byID[h.key]
		if src == nil {
			continue
		}
		out = append(out, SourceHit{ID: src.ID, Kind: src.Kind, Title: src.Title, Publisher: src.Publisher, URL: src.URL,
			Highlight: search.Highlight(src.Title, q, 0), PublisherHighlight: search.Highlight(src.Publisher, q, 0), Rank: h.rank})
	}
	return out, nil
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
