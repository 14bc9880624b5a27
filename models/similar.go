package models

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"factdesk/migrations"
	"factdesk/similar"
)

// The search for the same claim in other articles runs on both databases
// the same way: candidates are the sentences that share a MinHash band key
// with the sentence (similar.Sign, similar.Bands: locality-sensitive
// hashing, which finds pairs of Jaccard similarity 0.5 with probability
// 0.986), scored by pg_trgm's similarity of the normalised texts
// (sentences.norm, similar.Normalize) and kept from similar.Threshold up.
// PostgreSQL keeps the keys in sentences.bands under a GIN index and
// scores in SQL; SQLite keeps them in sentence_bands, indexed by key, and
// scores in Go with similar.TrigramSimilarity, which gives the same score.

// MaxSimilar bounds the sentences one lookup returns.
const MaxSimilar = 50

// ArticleRef names the article a sentence belongs to.
type ArticleRef struct {
	ID          int64         `json:"id"`
	Title       string        `json:"title"`
	Outlet      string        `json:"outlet"`
	URL         string        `json:"url"`
	Status      ArticleStatus `json:"status"`
	PublishedAt *time.Time    `json:"published_at"`
}

// SimilarSentence is a sentence of another article that makes the same or
// nearly the same claim, with the check it has there.
type SimilarSentence struct {
	// Score is the trigram similarity of the two normalised texts, from
	// similar.Threshold to 1.
	Score       float64      `json:"score"`
	Sentence    Sentence     `json:"sentence"`
	Article     ArticleRef   `json:"article"`
	Attribution *Attribution `json:"attribution"`
	Citations   []Citation   `json:"citations"`
}

// SimilarResult is the answer of a lookup.
type SimilarResult struct {
	SentenceID int64 `json:"sentence_id"`
	// Eligible is false for a sentence of fewer than similar.MinWords
	// words, which is not matched at all.
	Eligible  bool              `json:"eligible"`
	Threshold float64           `json:"threshold"`
	MinWords  int               `json:"min_words"`
	Matches   []SimilarSentence `json:"matches"`
}

// BandKeys are the MinHash band keys of a sentence's normalised text, as
// PostgreSQL stores them: a bigint[] column under a GIN index. On SQLite
// the column stays NULL (the keys live in sentence_bands).
type BandKeys []int64

// IndexKeys returns what the store keeps to find a sentence's text among
// similar claims: its normalised text and band keys, nil (NULL) under
// similar.MinWords words. The bench's COPY loads write the same.
func IndexKeys(text string) (norm string, bands []int64) {
	norm = similar.Normalize(text)
	return norm, bandKeys(norm)
}

// bandKeys returns the band keys of a normalised text, none when it has
// fewer than similar.MinWords words.
func bandKeys(norm string) BandKeys {
	if wordCount(norm) < similar.MinWords {
		return nil
	}
	keys := similar.Sign(norm).Bands()
	out := make(BandKeys, len(keys))
	for i, k := range keys {
		out[i] = int64(k)
	}
	return out
}

// literal spells the keys as a PostgreSQL array: {1,-2,3}.
func (b BandKeys) literal() string {
	var sb strings.Builder
	sb.Grow(21*len(b) + 2)
	sb.WriteByte('{')
	for i, k := range b {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.FormatInt(k, 10))
	}
	sb.WriteByte('}')
	return sb.String()
}

// GormValue writes the keys as a bigint[] on PostgreSQL, and NULL when
// there are none or on SQLite.
func (b BandKeys) GormValue(_ context.Context, db *gorm.DB) clause.Expr {
	if len(b) == 0 || db.Dialector.Name() != "postgres" {
		return clause.Expr{SQL: "NULL"}
	}
	return clause.Expr{SQL: "?::bigint[]", Vars: []any{b.literal()}}
}

// GormDataType names the column's type for GORM, which has no kind for a
// slice: bigint[] on PostgreSQL (TEXT, unused, on SQLite).
func (BandKeys) GormDataType() string { return "bigint[]" }

// Value writes the keys as a PostgreSQL array literal, NULL when there
// are none (GormValue, which knows the dialect, takes precedence in GORM's
// writes).
func (b BandKeys) Value() (driver.Value, error) {
	if len(b) == 0 {
		return nil, nil
	}
	return b.literal(), nil
}

// Scan reads keys in PostgreSQL's array syntax ({1,-2,3}); NULL reads as
// none.
func (b *BandKeys) Scan(src any) error {
	var text string
	switch v := src.(type) {
	case nil:
		*b = nil
		return nil
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		return fmt.Errorf("scan band keys: unexpected %T", src)
	}
	text = strings.Trim(text, "{}")
	*b = nil
	if text == "" {
		return nil
	}
	for _, f := range strings.Split(text, ",") {
		k, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return fmt.Errorf("scan band keys: %w", err)
		}
		*b = append(*b, k)
	}
	return nil
}

// wordCount counts the words of a normalised text.
func wordCount(norm string) int {
	if norm == "" {
		return 0
	}
	return strings.Count(norm, " ") + 1
}

// SimilarSentences lists the sentences of the current revisions of other
// articles that make the same claim as sentence id: a score of at least
// similar.Threshold, both of at least similar.MinWords words. Best first,
// at most limit (MaxSimilar when 0 or more).
func (s *Store) SimilarSentences(ctx context.Context, id int64, limit int) (*SimilarResult, error) {
	if limit <= 0 || limit > MaxSimilar {
		limit = MaxSimilar
	}
	var q Sentence
	if err := s.db.gorm.WithContext(ctx).Select("id, article_id, text, norm").First(&q, id).Error; err != nil {
		return nil, notFound(err, "sentence %d", id)
	}
	norm := q.Norm
	if norm == "" {
		norm = similar.Normalize(q.Text)
	}
	out := &SimilarResult{SentenceID: id, Threshold: similar.Threshold, MinWords: similar.MinWords, Matches: []SimilarSentence{}}
	if wordCount(norm) < similar.MinWords {
		return out, nil
	}
	out.Eligible = true
	var hits []scored
	var err error
	if s.db.dialect == migrations.Postgres {
		err = s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(SimilarPlanSQL).Error; err != nil {
				return err
			}
			return tx.Raw(SimilarQuery, SimilarQueryArgs(norm, q.ArticleID, limit)...).Scan(&hits).Error
		}, &sql.TxOptions{ReadOnly: true})
	} else {
		hits, err = s.similarSQLite(ctx, q.ArticleID, norm, bandKeys(norm), limit)
	}
	if err != nil {
		return nil, fmt.Errorf("find sentences similar to %d: %w", id, err)
	}
	out.Matches, err = s.similarDetails(ctx, hits)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scored is a candidate with its score.
type scored struct {
	ID    int64
	Score float64
}

// SimilarQuery is the PostgreSQL lookup, exported so that tests and the
// bench can EXPLAIN it. It takes the first MaxCandidates sentences of
// other articles that share a band key with the query (the GIN index on
// bands), scores them by pg_trgm's similarity of the normalised texts,
// keeps the best four times the limit from the threshold up, and maps each
// to the sentences of its article's current revision with the same text —
// a revision stores band keys only for the texts it changes or adds, so a
// sentence's keys may sit on the revision where its text first appeared.
// The current revision is a scalar subquery, probed by primary key for
// each of the few candidates: written as a join, the planner (which cannot
// estimate how few sentences share a band key) would read all of articles
// into a hash. The OFFSETs keep the planner from folding the subqueries
// into one, which would compute each similarity twice. SimilarQueryArgs
// gives its arguments.
const SimilarQuery = `SELECT DISTINCT cur.id, c.score
	FROM (
		SELECT x.article_id, x.norm, x.score FROM (
			SELECT s.article_id, s.norm, similarity(s.norm, ?) AS score
			FROM (
				SELECT s.article_id, s.norm FROM sentences s
				WHERE s.bands && ?::bigint[] AND s.article_id <> ?
				LIMIT ?
			) s
			OFFSET 0
		) x
		WHERE x.score >= ?
		ORDER BY x.score DESC
		LIMIT ?
	) c
	JOIN LATERAL (
		SELECT k.id FROM sentences k
		WHERE k.revision_id = (SELECT a.current_revision_id FROM articles a WHERE a.id = c.article_id)
		  AND k.norm = c.norm
	) cur ON true
	ORDER BY c.score DESC, cur.id
	LIMIT ?`

// MaxCandidates bounds the sentences one lookup scores. A claim is rarely
// in more than a handful of stored sentences, and about 120 unrelated ones
// in a million share a band key with it by chance; but wire copy can put
// one sentence in thousands of articles, and scoring them all would cost
// seconds. Beyond the bound the best matches come from the first
// MaxCandidates, in storage order, which all make the same claim.
const MaxCandidates = 1000

// SimilarPlanSQL runs before SimilarQuery in its transaction. PostgreSQL
// cannot estimate how few rows share a band key (the keys are nearly all
// distinct, so its statistics hold no common ones, and it guesses about
// one row in a hundred): below some 100,000 sentences it would rather
// read the whole table. Every scan of the query has an index, which is
// always the better path, so the lookup turns sequential scans off.
const SimilarPlanSQL = `SET LOCAL enable_seqscan = off`

// SimilarQueryArgs returns the arguments of SimilarQuery for a sentence's
// normalised text, its article and the limit.
func SimilarQueryArgs(norm string, articleID int64, limit int) []any {
	return []any{norm, bandKeys(norm).literal(), articleID, MaxCandidates, similar.Threshold, 4 * limit, limit}
}

// similarSQLite finds candidates by band key, scores them in Go and maps
// them to the sentences of their articles' current revisions with the
// same text, as SimilarQuery does on PostgreSQL.
func (s *Store) similarSQLite(ctx context.Context, articleID int64, norm string, keys BandKeys, limit int) ([]scored, error) {
	args := make([]any, 0, len(keys)+2)
	for _, k := range keys {
		args = append(args, k)
	}
	args = append(args, articleID)
	db := s.db.gorm.WithContext(ctx)
	var cands []struct {
		ArticleID int64
		Norm      string
	}
	args = append(args, MaxCandidates)
	err := db.Raw(`SELECT DISTINCT s.article_id, s.norm
		FROM sentence_bands b JOIN sentences s ON s.id = b.sentence_id
		WHERE b.band_key IN (?`+strings.Repeat(",?", len(keys)-1)+`) AND s.article_id <> ?
		LIMIT ?`, args...).Scan(&cands).Error
	if err != nil {
		return nil, err
	}
	score := map[string]float64{}
	var arts []int64
	var norms []string
	for _, c := range cands {
		sc, ok := score[c.Norm]
		if !ok {
			sc = similar.TrigramSimilarity(norm, c.Norm)
			score[c.Norm] = sc
		}
		if sc >= similar.Threshold && wordCount(c.Norm) >= similar.MinWords {
			arts = append(arts, c.ArticleID)
			norms = append(norms, c.Norm)
		}
	}
	if len(arts) == 0 {
		return nil, nil
	}
	var cur []struct {
		ID   int64
		Norm string
	}
	err = db.Raw(`SELECT s.id, s.norm FROM sentences s
		JOIN articles a ON a.id = s.article_id AND a.current_revision_id = s.revision_id
		WHERE s.article_id IN ? AND s.norm IN ?`, arts, norms).Scan(&cur).Error
	if err != nil {
		return nil, err
	}
	hits := make([]scored, 0, len(cur))
	for _, c := range cur {
		// The IN lists pair articles and texts loosely; a text of another
		// candidate's article scored too, from the same query.
		if sc, ok := score[c.Norm]; ok && sc >= similar.Threshold {
			hits = append(hits, scored{c.ID, sc})
		}
	}
	slices.SortFunc(hits, func(a, b scored) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return hits[:min(len(hits), limit)], nil
}

// similarDetails loads the found sentences with their articles,
// attributions and citations: five queries whatever the number.
func (s *Store) similarDetails(ctx context.Context, hits []scored) ([]SimilarSentence, error) {
	out := []SimilarSentence{}
	if len(hits) == 0 {
		return out, nil
	}
	db := s.db.gorm.WithContext(ctx)
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	var ss []Sentence
	if err := db.Where("id IN ?", ids).Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("load similar sentences: %w", err)
	}
	byID := make(map[int64]*Sentence, len(ss))
	artIDs := make([]int64, 0, len(ss))
	for i := range ss {
		byID[ss[i].ID] = &ss[i]
		artIDs = append(artIDs, ss[i].ArticleID)
	}
	var arts []Article
	if err := db.Where("id IN ?", artIDs).Find(&arts).Error; err != nil {
		return nil, fmt.Errorf("load articles of similar sentences: %w", err)
	}
	artBy := make(map[int64]*Article, len(arts))
	for i := range arts {
		artBy[arts[i].ID] = &arts[i]
	}
	var attrs []Attribution
	if err := db.Where("sentence_id IN ?", ids).Find(&attrs).Error; err != nil {
		return nil, fmt.Errorf("load attributions of similar sentences: %w", err)
	}
	attrBy := make(map[int64]*Attribution, len(attrs))
	for i := range attrs {
		attrBy[attrs[i].SentenceID] = &attrs[i]
	}
	var cs []Citation
	if err := db.Where("sentence_id IN ?", ids).Order("id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("load citations of similar sentences: %w", err)
	}
	if len(cs) > 0 {
		if err := s.attachSources(db, cs); err != nil {
			return nil, err
		}
	}
	citesBy := map[int64][]Citation{}
	for _, c := range cs {
		citesBy[c.SentenceID] = append(citesBy[c.SentenceID], c)
	}
	for _, h := range hits {
		st, ok := byID[h.ID]
		if !ok {
			continue
		}
		m := SimilarSentence{Score: h.Score, Sentence: *st, Attribution: attrBy[h.ID], Citations: citesBy[h.ID]}
		if m.Citations == nil {
			m.Citations = []Citation{}
		}
		if a := artBy[st.ArticleID]; a != nil {
			m.Article = ArticleRef{ID: a.ID, Title: a.Title, Outlet: a.Outlet, URL: a.URL, Status: a.Status, PublishedAt: a.PublishedAt}
		}
		out = append(out, m)
	}
	return out, nil
}

// bandRowsPerInsert is how many band rows one INSERT writes. The values
// are integers the store computed, written into the statement: SQLite's
// driver binds parameters at a cost that grows with their square.
const bandRowsPerInsert = 500

// insertBands writes the MinHash band keys of freshly stored sentences on
// SQLite (PostgreSQL indexes norm by trigram and needs none). Sentences of
// fewer than similar.MinWords words get none. The rows go in key order:
// each lands next to the one before in the table's B-tree, which costs
// half as much as random order for an article's 32 keys per sentence.
func insertBands(tx *gorm.DB, ss []Sentence) error {
	if tx.Dialector.Name() == "postgres" {
		return nil
	}
	type band struct{ key, sentence int64 }
	rows := make([]band, 0, similar.NumBands*len(ss))
	for i := range ss {
		for _, k := range ss[i].Bands {
			rows = append(rows, band{k, ss[i].ID})
		}
	}
	slices.SortFunc(rows, func(a, b band) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.sentence, b.sentence)
	})
	var b strings.Builder
	for start := 0; start < len(rows); start += bandRowsPerInsert {
		b.Reset()
		b.WriteString("INSERT OR IGNORE INTO sentence_bands (band_key, sentence_id) VALUES ")
		for i, r := range rows[start:min(start+bandRowsPerInsert, len(rows))] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			b.WriteString(strconv.FormatInt(r.key, 10))
			b.WriteByte(',')
			b.WriteString(strconv.FormatInt(r.sentence, 10))
			b.WriteByte(')')
		}
		if err := tx.Exec(b.String()).Error; err != nil {
			return fmt.Errorf("index %d sentence band keys: %w", len(rows), err)
		}
	}
	return nil
}

// ReindexSimilar fills the similarity index of sentences stored before it
// existed, or loaded around the store (norm empty): their normalised text
// and band keys, batch by batch, each batch in its own transaction. progress, when
// set, is told the running total after each batch. It returns how many
// sentences it indexed.
func (s *Store) ReindexSimilar(ctx context.Context, batch int, progress func(done int)) (int, error) {
	if batch <= 0 {
		batch = 1000
	}
	done := 0
	var after int64
	for {
		var ss []Sentence
		err := s.db.gorm.WithContext(ctx).Select("id, text").Where("norm = '' AND id > ?", after).
			Order("id").Limit(batch).Find(&ss).Error
		if err != nil {
			return done, fmt.Errorf("find sentences to index: %w", err)
		}
		if len(ss) == 0 {
			return done, nil
		}
		after = ss[len(ss)-1].ID
		for i := range ss {
			ss[i].Norm = similar.Normalize(ss[i].Text)
			ss[i].Bands = bandKeys(ss[i].Norm)
		}
		if err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.writeNorms(tx, ss)
		}); err != nil {
			return done, err
		}
		done += len(ss)
		if progress != nil {
			progress(done)
		}
	}
}

// writeNorms stores the norm and the band keys of each sentence.
func (s *Store) writeNorms(tx *gorm.DB, ss []Sentence) error {
	if s.db.dialect == migrations.Postgres {
		var b strings.Builder
		args := make([]any, 0, 2*len(ss))
		b.WriteString(`UPDATE sentences AS s SET norm = v.norm, bands = v.bands FROM (VALUES `)
		for i := range ss {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`(?::bigint, ?::text, ?::bigint[])`)
			var keys any
			if len(ss[i].Bands) > 0 {
				keys = ss[i].Bands.literal()
			}
			args = append(args, ss[i].ID, ss[i].Norm, keys)
		}
		b.WriteString(`) AS v(id, norm, bands) WHERE s.id = v.id`)
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("store %d normalised texts: %w", len(ss), err)
		}
		return nil
	}
	for i := range ss {
		if err := tx.Exec(`UPDATE sentences SET norm = ? WHERE id = ?`, ss[i].Norm, ss[i].ID).Error; err != nil {
			return fmt.Errorf("store normalised text of sentence %d: %w", ss[i].ID, err)
		}
	}
	// A sentence gets its norm and its bands in one transaction, so one
	// without a norm has no bands yet.
	return insertBands(tx, ss)
}
