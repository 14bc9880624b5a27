package models

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"factdesk/migrations"
	"factdesk/similar"
)

// The search for the same claim in other articles runs on both databases
// with the same measure, pg_trgm's similarity of the sentences' normalised
// texts (sentences.norm, similar.Normalize): on PostgreSQL in SQL, where a
// GIN trigram index on norm finds the candidates; on SQLite in Go, over
// the candidates that share a MinHash band key with the sentence
// (sentence_bands, similar.Bands).

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
		hits, err = s.similarPostgres(ctx, q.ArticleID, norm, limit)
	} else {
		hits, err = s.similarSQLite(ctx, q.ArticleID, norm, limit)
	}
	if err != nil {
		return nil, err
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

// similarPostgres asks the trigram index. The % operator uses the index
// at pg_trgm.similarity_threshold, set for this read-only transaction only.
func (s *Store) similarPostgres(ctx context.Context, articleID int64, norm string, limit int) (hits []scored, err error) {
	tx, err := s.db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find similar sentences: %w", err)
	}
	defer func() {
		if rerr := tx.Rollback(); err == nil && rerr != nil {
			err = fmt.Errorf("end similar-sentence lookup: %w", rerr)
		}
	}()
	if _, err := tx.ExecContext(ctx, SimilarThresholdSQL); err != nil {
		return nil, fmt.Errorf("set similarity threshold: %w", err)
	}
	rows, err := tx.QueryContext(ctx, SimilarQuery, norm, articleID, similar.MinWords-1, limit)
	if err != nil {
		return nil, fmt.Errorf("find similar sentences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h scored
		if err := rows.Scan(&h.ID, &h.Score); err != nil {
			return nil, fmt.Errorf("read similar sentences: %w", err)
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read similar sentences: %w", err)
	}
	return hits, nil
}

// SimilarThresholdSQL sets pg_trgm's threshold for the % operator to
// similar.Threshold for the rest of the transaction.
var SimilarThresholdSQL = fmt.Sprintf(`SELECT set_config('pg_trgm.similarity_threshold', '%s', true)`,
	strconv.FormatFloat(similar.Threshold, 'f', -1, 64))

// SimilarQuery is the PostgreSQL lookup, run after SimilarThresholdSQL in
// the same transaction; exported so that tests and the bench can EXPLAIN
// it. Its parameters: the normalised text, the article to leave out, the
// fewest spaces a candidate needs (similar.MinWords-1) and the limit.
const SimilarQuery = `SELECT s.id, similarity(s.norm, $1) AS score
	FROM sentences s
	JOIN articles a ON a.id = s.article_id AND a.current_revision_id = s.revision_id
	WHERE s.norm % $1 AND s.article_id <> $2
	  AND length(s.norm) - length(replace(s.norm, ' ', '')) >= $3
	ORDER BY score DESC, s.id
	LIMIT $4`

// similarSQLite finds candidates by band key and scores them in Go.
func (s *Store) similarSQLite(ctx context.Context, articleID int64, norm string, limit int) ([]scored, error) {
	keys := similar.Sign(norm).Bands()
	args := make([]any, 0, len(keys)+1)
	for _, k := range keys {
		args = append(args, int64(k))
	}
	args = append(args, articleID)
	var cands []struct {
		ID   int64
		Norm string
	}
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT DISTINCT s.id, s.norm
		FROM sentence_bands b
		JOIN sentences s ON s.id = b.sentence_id
		JOIN articles a ON a.id = s.article_id AND a.current_revision_id = s.revision_id
		WHERE b.band_key IN (?`+strings.Repeat(",?", len(keys)-1)+`) AND s.article_id <> ?`, args...).Scan(&cands).Error
	if err != nil {
		return nil, fmt.Errorf("find similar sentences: %w", err)
	}
	var hits []scored
	for _, c := range cands {
		if wordCount(c.Norm) < similar.MinWords {
			continue
		}
		if score := similar.TrigramSimilarity(norm, c.Norm); score >= similar.Threshold {
			hits = append(hits, scored{c.ID, score})
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
// fewer than similar.MinWords words get none.
func insertBands(tx *gorm.DB, ss []Sentence) error {
	if tx.Dialector.Name() == "postgres" {
		return nil
	}
	var b strings.Builder
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		if err := tx.Exec(b.String()).Error; err != nil {
			return fmt.Errorf("index %d sentence band keys: %w", n, err)
		}
		b.Reset()
		n = 0
		return nil
	}
	for i := range ss {
		norm := ss[i].Norm
		if wordCount(norm) < similar.MinWords {
			continue
		}
		for _, k := range similar.Sign(norm).Bands() {
			if n == 0 {
				b.WriteString("INSERT OR IGNORE INTO sentence_bands (band_key, sentence_id) VALUES ")
			} else {
				b.WriteByte(',')
			}
			b.WriteByte('(')
			b.WriteString(strconv.FormatInt(int64(k), 10))
			b.WriteByte(',')
			b.WriteString(strconv.FormatInt(ss[i].ID, 10))
			b.WriteByte(')')
			if n++; n == bandRowsPerInsert {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// ReindexSimilar fills the similarity index of sentences stored before it
// existed (norm empty): their normalised text and, on SQLite, their band
// keys, batch by batch, each batch in its own transaction. progress, when
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

// writeNorms stores the norm of each sentence and, on SQLite, its bands.
func (s *Store) writeNorms(tx *gorm.DB, ss []Sentence) error {
	if s.db.dialect == migrations.Postgres {
		var b strings.Builder
		args := make([]any, 0, 2*len(ss))
		b.WriteString(`UPDATE sentences AS s SET norm = v.norm FROM (VALUES `)
		for i := range ss {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`(?::bigint, ?::text)`)
			args = append(args, ss[i].ID, ss[i].Norm)
		}
		b.WriteString(`) AS v(id, norm) WHERE s.id = v.id`)
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("store %d normalised texts: %w", len(ss), err)
		}
		return nil
	}
	ids := make([]int64, len(ss))
	for i := range ss {
		ids[i] = ss[i].ID
		if err := tx.Exec(`UPDATE sentences SET norm = ? WHERE id = ?`, ss[i].Norm, ss[i].ID).Error; err != nil {
			return fmt.Errorf("store normalised text of sentence %d: %w", ss[i].ID, err)
		}
	}
	if err := tx.Exec(`DELETE FROM sentence_bands WHERE sentence_id IN ?`, ids).Error; err != nil {
		return fmt.Errorf("clear band keys: %w", err)
	}
	return insertBands(tx, ss)
}
