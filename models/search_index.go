package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"factdesk/migrations"
	"factdesk/search"
)

// What a row of search_docs indexes (see migration 00013).
const (
	docArticle  = "article"  // ref: article id; the title
	docSentence = "sentence" // ref: sentence id; its text
	docNote     = "note"     // ref: sentence id; its note
	docSpeaker  = "speaker"  // ref: sentence id; its attribution's speaker
	docComment  = "comment"  // ref: comment id; its body
	docSource   = "source"   // ref: source id; title, publisher and URL
)

// searchDoc is one row of the search index: the words of a text and what
// the text belongs to (article 0 for a source, sentence 0 for an article's
// own texts).
type searchDoc struct {
	kind       string
	ref        int64
	articleID  int64
	sentenceID int64
	words      string // search.Document of the texts
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// insertSearchDocs writes new rows of the search index in multi-row
// batches; a doc without words is skipped.
func (s *Store) insertSearchDocs(tx *gorm.DB, docs []searchDoc) error {
	value := "(?, ?, ?, ?, ?)"
	cols := "kind, ref_id, article_id, sentence_id, words"
	if s.db.dialect == migrations.Postgres {
		value = "(?, ?, ?, ?, CAST(? AS tsvector))"
		cols = "kind, ref_id, article_id, sentence_id, tsv"
	}
	per := rowsPerInsert(tx, 5)
	var (
		sb   strings.Builder
		args []any
		n    int
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		if err := tx.Exec(sb.String(), args...).Error; err != nil {
			return fmt.Errorf("index %d texts for search: %w", n, err)
		}
		sb.Reset()
		args, n = args[:0], 0
		return nil
	}
	for _, d := range docs {
		if d.words == "" {
			continue
		}
		if n == 0 {
			sb.WriteString("INSERT INTO search_docs (" + cols + ") VALUES ")
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(value)
		args = append(args, d.kind, d.ref, nullID(d.articleID), nullID(d.sentenceID), s.docValue(d.words))
		n++
		if n == per {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// docValue is what the words column holds: the words themselves for
// FTS5, their tsvector literal on PostgreSQL.
func (s *Store) docValue(words string) string {
	if s.db.dialect == migrations.Postgres {
		return search.Vector(words)
	}
	return words
}

// putSearchDoc indexes one text again after it changed: it replaces the
// row of (kind, ref), or removes it when the text has no words left.
func (s *Store) putSearchDoc(tx *gorm.DB, d searchDoc) error {
	if d.words == "" {
		if err := tx.Exec(`DELETE FROM search_docs WHERE kind = ? AND ref_id = ?`, d.kind, d.ref).Error; err != nil {
			return fmt.Errorf("unindex %s %d: %w", d.kind, d.ref, err)
		}
		return nil
	}
	q := `INSERT INTO search_docs (kind, ref_id, article_id, sentence_id, words) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, ref_id) DO UPDATE SET words = excluded.words`
	if s.db.dialect == migrations.Postgres {
		q = `INSERT INTO search_docs (kind, ref_id, article_id, sentence_id, tsv) VALUES (?, ?, ?, ?, CAST(? AS tsvector))
			ON CONFLICT (kind, ref_id) DO UPDATE SET tsv = excluded.tsv`
	}
	if err := tx.Exec(q, d.kind, d.ref, nullID(d.articleID), nullID(d.sentenceID), s.docValue(d.words)).Error; err != nil {
		return fmt.Errorf("index %s %d for search: %w", d.kind, d.ref, err)
	}
	return nil
}

// indexArticleTitle indexes an article's title.
func (s *Store) indexArticleTitle(tx *gorm.DB, a *Article) error {
	return s.putSearchDoc(tx, searchDoc{kind: docArticle, ref: a.ID, articleID: a.ID, words: search.Document(a.Title)})
}

// indexNote indexes a sentence's note after it changed.
func (s *Store) indexNote(tx *gorm.DB, st *Sentence) error {
	return s.putSearchDoc(tx, searchDoc{kind: docNote, ref: st.ID, articleID: st.ArticleID, sentenceID: st.ID, words: search.Document(st.Note)})
}

// indexSpeaker indexes the speaker of a sentence's attribution (a nil
// attribution has none) after it changed.
func (s *Store) indexSpeaker(tx *gorm.DB, st *Sentence, a *Attribution) error {
	speaker := ""
	if a != nil {
		speaker = a.Speaker
	}
	return s.putSearchDoc(tx, searchDoc{kind: docSpeaker, ref: st.ID, articleID: st.ArticleID, sentenceID: st.ID, words: search.Document(speaker)})
}

// indexComment indexes a new comment, unless it is on a sentence of an
// earlier revision (see indexRevision).
func (s *Store) indexComment(tx *gorm.DB, c *Comment) error {
	var sentence int64
	if c.SentenceID != nil {
		sentence = *c.SentenceID
		var current int64
		err := tx.Raw(`SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id AND a.current_revision_id = s.revision_id
			WHERE s.id = ?`, sentence).Scan(&current).Error
		if err != nil {
			return fmt.Errorf("look up sentence %d: %w", sentence, err)
		}
		if current == 0 {
			return nil
		}
	}
	return s.insertSearchDocs(tx, []searchDoc{{kind: docComment, ref: c.ID, articleID: c.ArticleID, sentenceID: sentence, words: search.Document(c.Body)}})
}

// indexSource indexes a source's title, publisher and URL.
func (s *Store) indexSource(tx *gorm.DB, src *Source) error {
	return s.putSearchDoc(tx, searchDoc{kind: docSource, ref: src.ID, words: search.Document(src.Title, src.Publisher, src.URL)})
}

// indexRevision indexes the sentences of a new revision — their text,
// notes and speakers — and drops the rows of the revision before it
// (base 0 for an article's first), comments on its sentences included:
// search shows the current revision only, and so every sentence row of
// the index is one search may show, which lets a search read the index
// alone, newest first, without joining the sentences.
func (s *Store) indexRevision(tx *gorm.DB, articleID, revisionID, baseID int64) error {
	if baseID != 0 {
		err := tx.Exec(`DELETE FROM search_docs WHERE sentence_id IN (SELECT id FROM sentences WHERE revision_id = ?)`, baseID).Error
		if err != nil {
			return fmt.Errorf("unindex revision %d: %w", baseID, err)
		}
	}
	var rows []struct {
		ID      int64
		Text    string
		Note    string
		Speaker *string
	}
	err := tx.Raw(`SELECT s.id, s.text, s.note, a.speaker FROM sentences s LEFT JOIN attributions a ON a.sentence_id = s.id
		WHERE s.revision_id = ? ORDER BY s.idx`, revisionID).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("read revision %d for search: %w", revisionID, err)
	}
	docs := make([]searchDoc, 0, len(rows)+len(rows)/4)
	for _, r := range rows {
		docs = append(docs, searchDoc{kind: docSentence, ref: r.ID, articleID: articleID, sentenceID: r.ID, words: search.Document(r.Text)})
		if r.Note != "" {
			docs = append(docs, searchDoc{kind: docNote, ref: r.ID, articleID: articleID, sentenceID: r.ID, words: search.Document(r.Note)})
		}
		if r.Speaker != nil && *r.Speaker != "" {
			docs = append(docs, searchDoc{kind: docSpeaker, ref: r.ID, articleID: articleID, sentenceID: r.ID, words: search.Document(*r.Speaker)})
		}
	}
	return s.insertSearchDocs(tx, docs)
}

// SearchIndexEmpty reports whether there are articles or sources but the
// search index holds nothing: a database from before search, which
// ReindexSearch fills.
func (s *Store) SearchIndexEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT CASE WHEN EXISTS (SELECT 1 FROM search_docs) THEN 0
		WHEN EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM sources) THEN 1 ELSE 0 END`).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("look at the search index: %w", err)
	}
	return n == 1, nil
}

// ReindexSearch rebuilds the search index from the articles, comments and
// sources, a hundred articles a transaction, and returns how many texts it
// indexed. Writes that happen meanwhile index themselves; a text indexed
// twice is replaced, not doubled.
func (s *Store) ReindexSearch(ctx context.Context) (int, error) {
	db := s.db.gorm.WithContext(ctx)
	if err := db.Exec(`DELETE FROM search_docs`).Error; err != nil {
		return 0, fmt.Errorf("empty the search index: %w", err)
	}
	var after int64
	for {
		var arts []Article
		if err := db.Select("id", "title", "current_revision_id").Where("id > ?", after).Order("id").Limit(100).Find(&arts).Error; err != nil {
			return 0, fmt.Errorf("read articles to index: %w", err)
		}
		if len(arts) == 0 {
			break
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			for i := range arts {
				a := &arts[i]
				if err := s.indexArticleTitle(tx, a); err != nil {
					return err
				}
				if a.CurrentRevisionID != nil {
					if err := tx.Exec(`DELETE FROM search_docs WHERE article_id = ? AND kind IN (?, ?, ?)`, a.ID, docSentence, docNote, docSpeaker).Error; err != nil {
						return fmt.Errorf("unindex article %d: %w", a.ID, err)
					}
					if err := s.indexRevision(tx, a.ID, *a.CurrentRevisionID, 0); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		after = arts[len(arts)-1].ID
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		var cs []Comment
		err := tx.Raw(`SELECT c.id, c.article_id, c.sentence_id, c.body FROM comments c
			LEFT JOIN sentences s ON s.id = c.sentence_id LEFT JOIN articles a ON a.id = s.article_id
			WHERE c.sentence_id IS NULL OR s.revision_id = a.current_revision_id ORDER BY c.id`).Scan(&cs).Error
		if err != nil {
			return fmt.Errorf("read comments to index: %w", err)
		}
		docs := make([]searchDoc, 0, len(cs))
		for _, c := range cs {
			var sentence int64
			if c.SentenceID != nil {
				sentence = *c.SentenceID
			}
			docs = append(docs, searchDoc{kind: docComment, ref: c.ID, articleID: c.ArticleID, sentenceID: sentence, words: search.Document(c.Body)})
		}
		if err := tx.Exec(`DELETE FROM search_docs WHERE kind IN (?, ?)`, docComment, docSource).Error; err != nil {
			return fmt.Errorf("unindex comments and sources: %w", err)
		}
		if err := s.insertSearchDocs(tx, docs); err != nil {
			return err
		}
		var srcs []Source
		if err := tx.Select("id", "title", "publisher", "url").Order("id").Find(&srcs).Error; err != nil {
			return fmt.Errorf("read sources to index: %w", err)
		}
		docs = docs[:0]
		for _, src := range srcs {
			docs = append(docs, searchDoc{kind: docSource, ref: src.ID, words: search.Document(src.Title, src.Publisher, src.URL)})
		}
		return s.insertSearchDocs(tx, docs)
	})
	if err != nil {
		return 0, err
	}
	var n int64
	if err := db.Raw(`SELECT count(*) FROM search_docs`).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count the search index: %w", err)
	}
	return int(n), nil
}
