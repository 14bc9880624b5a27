package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"factdesk/codebook"
	"factdesk/migrations"
	"factdesk/segment"
)

// Sentence is one sentence of a revision with the state of its check.
// Start and End are code point offsets into the revision's body (what the
// API and exports show); StartByte and EndByte are byte offsets (what Go
// slices with).
type Sentence struct {
	ID             int64           `gorm:"primaryKey" json:"id"`
	ArticleID      int64           `json:"article_id"`
	RevisionID     int64           `json:"revision_id"`
	Index          int             `gorm:"column:idx" json:"index"`
	Paragraph      int             `json:"paragraph"`
	StartByte      int             `json:"-"`
	EndByte        int             `json:"-"`
	Start          int             `gorm:"column:start_cp" json:"start"`
	End            int             `gorm:"column:end_cp" json:"end"`
	Text           string          `json:"text"`
	Quote          segment.Quote   `json:"quote"`
	Label          *codebook.Label `json:"label"`
	LabelBy        *int64          `json:"label_by,omitempty"`
	LabelAt        *time.Time      `json:"label_at,omitempty"`
	LabelSuggested bool            `json:"label_suggested"`
	Status         codebook.Status `json:"status"`
	ExcludeReason  string          `json:"exclude_reason"`
	Verdict        string          `json:"verdict"`
	Note           string          `json:"note"`
	Version        int             `json:"version"`
	UpdatedAt      time.Time       `json:"updated_at"`
	// Norm is similar.Normalize(Text) and Bands its MinHash band keys,
	// written with the sentence for the search of the same claim in other
	// articles (see SimilarSentences). Bands nil is computed on insert;
	// empty means none, for a revision's sentence whose text an earlier
	// revision of the article indexes already.
	Norm  string   `json:"-"`
	Bands BandKeys `gorm:"->:false;<-:create" json:"-"`
}

// Number is the sentence's 1-based position, as people count.
func (s *Sentence) Number() int { return s.Index + 1 }

// LabelString returns the label or "" when there is none.
func (s *Sentence) LabelString() string {
	if s.Label == nil {
		return ""
	}
	return string(*s.Label)
}

// Sentences returns the sentences of a revision in order. On PostgreSQL
// it reads them with their article's audit head, so that the labels that
// follow the opening of an article start from what was read (see
// headCache).
func (s *Store) Sentences(ctx context.Context, revisionID int64) ([]Sentence, error) {
	if s.db.dialect == migrations.Postgres {
		return s.sentencesWithHead(ctx, revisionID)
	}
	var ss []Sentence
	if err := s.db.gorm.WithContext(ctx).Where("revision_id = ?", revisionID).Order("idx").Find(&ss).Error; err != nil {
		return nil, fmt.Errorf("load sentences of revision %d: %w", revisionID, err)
	}
	return ss, nil
}

// Sentence returns one sentence by id.
func (s *Store) Sentence(ctx context.Context, id int64) (*Sentence, error) {
	var st Sentence
	if err := s.db.gorm.WithContext(ctx).First(&st, id).Error; err != nil {
		return nil, notFound(err, "sentence %d", id)
	}
	return &st, nil
}

// sentencesWithHead is Sentences on PostgreSQL: one query, whose rows
// carry the article's head as of the same snapshot; the sentences of an
// article open to labels are remembered with that head.
func (s *Store) sentencesWithHead(ctx context.Context, revisionID int64) ([]Sentence, error) {
	var (
		ss   []Sentence
		head lockedSentence
	)
	err := scanRows(s.db.gorm.WithContext(ctx), fmt.Sprintf("sentences of revision %d", revisionID), func(r *sql.Rows) error {
		if err := scanSentenceHead(r, &head); err != nil {
			return err
		}
		ss = append(ss, head.Sentence)
		return nil
	}, revisionSentencesSQL, revisionID)
	if err != nil {
		return nil, err
	}
	if len(ss) > 0 {
		s.db.heads.readAll(&head, ss)
	}
	return ss, nil
}
