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

// Sentences returns the sentences of a revision in order.
func (s *Store) Sentences(ctx context.Context, revisionID int64) ([]Sentence, error) {
	var ss []Sentence
	err := s.EachSentence(ctx, revisionID, func(st *Sentence) { ss = append(ss, *st) })
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// EachSentence calls f with each sentence of a revision in order, in one
// query whose rows are scanned without GORM's reflection: an article can
// have thousands of sentences, and the API's article reads them all into
// views of its own. f may keep a copy of *st, not st.
func (s *Store) EachSentence(ctx context.Context, revisionID int64, f func(st *Sentence)) error {
	row := newSentenceRow(s.db.dialect)
	return s.scanEach(ctx, fmt.Sprintf("sentences of revision %d", revisionID), func(r rowScanner) error {
		if err := row.scan(r); err != nil {
			return err
		}
		f(&row.st)
		return nil
	}, `SELECT `+sentenceViewColumns.of(s.db.dialect)+` FROM sentences WHERE revision_id = ? ORDER BY idx`, revisionID)
}

// sentenceViewColumns are the columns of a sentence as sentenceRow reads
// them: every column but the similar-claim index (norm, bands). The
// columns most sentences leave empty are read as NULL then, which costs
// the SQLite driver one call instead of four (see selectList).
var sentenceViewColumns = newSelectList(`id, article_id, revision_id, idx, paragraph, start_byte, end_byte, start_cp, end_cp,
	text, quote, label, label_by, label_at, label_suggested, status, NULLIF(exclude_reason, ''), NULLIF(verdict, ''), NULLIF(note, ''),
	version, updated_at`,
	"text", "quote", "label", "label_at", "status", "updated_at")

// sentenceRow reads rows of sentenceViewColumns into st, one after the
// other, through destinations made once for all the rows.
type sentenceRow struct {
	st                                                  Sentence
	quote, status                                       string
	label, excludeReason, verdict, note                 sql.NullString
	index, paragraph, startByte, endByte, start, end, v int64 // database/sql converts to int through strings
	dest                                                []any
}

func newSentenceRow(d migrations.Dialect) *sentenceRow {
	r := &sentenceRow{}
	st := &r.st
	r.dest = []any{&st.ID, &st.ArticleID, &st.RevisionID, &r.index, &r.paragraph, &r.startByte, &r.endByte,
		&r.start, &r.end, &st.Text, &r.quote, &r.label, &st.LabelBy, nullTimeArg(d, &st.LabelAt), &st.LabelSuggested, &r.status,
		&r.excludeReason, &r.verdict, &r.note, &r.v, timeArg(d, &st.UpdatedAt)}
	return r
}

// scan reads the next row into r.st. It starts from a zero sentence so
// that the drivers allocate the pointers of the row afresh (pgx fills a
// pointer already set) and none is shared with the row before.
func (r *sentenceRow) scan(rs rowScanner) error {
	r.st = Sentence{}
	if err := rs.Scan(r.dest...); err != nil {
		return err
	}
	st := &r.st
	st.ExcludeReason, st.Verdict, st.Note = r.excludeReason.String, r.verdict.String, r.note.String
	st.Index, st.Paragraph, st.StartByte, st.EndByte = int(r.index), int(r.paragraph), int(r.startByte), int(r.endByte)
	st.Start, st.End, st.Version = int(r.start), int(r.end), int(r.v)
	st.Quote, st.Status = segment.Quote(r.quote), codebook.Status(r.status)
	if r.label.Valid {
		l := codebook.Label(r.label.String)
		st.Label = &l
	}
	return nil
}

// Sentence returns one sentence by id.
func (s *Store) Sentence(ctx context.Context, id int64) (*Sentence, error) {
	var st Sentence
	if err := s.db.gorm.WithContext(ctx).First(&st, id).Error; err != nil {
		return nil, notFound(err, "sentence %d", id)
	}
	return &st, nil
}
