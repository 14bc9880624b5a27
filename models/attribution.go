package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"

	"factdesk/migrations"
)

// AttributionOrigin says who gave a sentence its attribution.
type AttributionOrigin string

// The origins of an attribution.
const (
	AttributionMachine AttributionOrigin = "machine" // extracted at import
	AttributionChecker AttributionOrigin = "checker" // set or edited by a checker
)

// Valid reports whether o is a known origin.
func (o AttributionOrigin) Valid() bool {
	return o == AttributionMachine || o == AttributionChecker
}

// Attribution is who a sentence's claim comes from, as the article states
// it. A sentence has at most one; a sentence without one has no row.
// Version counts the changes of the row, so that an edit made on a stale
// view is refused instead of overwriting someone else's.
type Attribution struct {
	ID          int64  `gorm:"primaryKey" json:"-"`
	SentenceID  int64  `json:"sentence_id"`
	ArticleID   int64  `json:"-"`
	Speaker     string `json:"speaker"`
	Cue         string `json:"cue"`
	Medium      string `json:"medium"`
	CarriedOver bool   `json:"carried_over"`
	// From is the index of the sentence where the speaker is stated (this
	// sentence's own when not carried over), nil when none is.
	From        *int              `gorm:"column:from_index" json:"from"`
	Origin      AttributionOrigin `json:"origin"`
	ConfirmedBy *int64            `json:"confirmed_by"`
	ConfirmedAt *time.Time        `json:"confirmed_at"`
	UpdatedBy   *int64            `json:"updated_by,omitempty"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Version     int               `json:"version"`
	// Spans and Confidence are the machine's reading of the attribution:
	// where the article names the source, the cue and the content (see
	// AttributionSpan), and the reader's probability that the sentence
	// holds attributed content, 0 when not known. A checker's edit clears
	// both; confirming keeps them.
	Spans      AttributionSpans `json:"spans"`
	Confidence float64          `json:"confidence"`
}

// Confirmed reports whether a person has confirmed or set the attribution.
func (a *Attribution) Confirmed() bool { return a.ConfirmedAt != nil }

// Limits of the attribution fields a checker types, in characters.
const (
	MaxSpeakerLen = 200
	MaxCueLen     = 100
	MaxMediumLen  = 300
)

// AttributionEdit is a checker's attribution of a sentence.
type AttributionEdit struct {
	Speaker     string
	Cue         string
	Medium      string
	CarriedOver bool
	// From is the index of the sentence where the speaker is stated. nil
	// means this sentence when not carried over, and when carried over the
	// sentence the current attribution names, if it is carried over too.
	From *int
	// Version is the attribution's version the checker saw (0: none);
	// nil skips the check.
	Version *int
}

// Normalize trims the fields and checks them, returning an EINVALID error
// naming the first field at fault. index is the sentence's index.
func (e *AttributionEdit) Normalize(index int) error {
	e.Speaker = strings.TrimSpace(e.Speaker)
	e.Cue = strings.TrimSpace(e.Cue)
	e.Medium = strings.TrimSpace(e.Medium)
	for _, f := range []struct {
		name, value string
		max         int
	}{{"speaker", e.Speaker, MaxSpeakerLen}, {"cue", e.Cue, MaxCueLen}, {"medium", e.Medium, MaxMediumLen}} {
		if !utf8.ValidString(f.value) || strings.ContainsFunc(f.value, unicode.IsControl) {
			return FieldError(f.name, "the %s must be plain text on one line", f.name)
		}
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return FieldError(f.name, "the %s has %d characters; at most %d are allowed", f.name, n, f.max)
		}
	}
	switch {
	case e.Speaker == "" && e.Cue == "" && e.Medium == "":
		return FieldError("speaker", "name the speaker or source; to remove the attribution, clear it")
	case e.Speaker == "" && e.Cue != "":
		return FieldError("speaker", "a cue (%q) needs the speaker or source it attributes the claim to", e.Cue)
	case e.Speaker == "":
		return FieldError("speaker", "a medium needs the speaker or source who said it there")
	}
	if e.From != nil {
		switch f := *e.From; {
		case f < 0 || f > index:
			return FieldError("from", "from must be the index of this sentence or an earlier one (0 to %d)", index)
		case e.CarriedOver && f == index:
			return FieldError("from", "a carried-over attribution comes from an earlier sentence")
		case !e.CarriedOver && f != index:
			return FieldError("carried_over", "an attribution stated in another sentence is carried over")
		}
	}
	if e.Version != nil && *e.Version < 0 {
		return FieldError("version", "version must be 0 or more")
	}
	return nil
}

// SentenceAttribution is a sentence with its attribution after a change:
// nil once cleared.
type SentenceAttribution struct {
	Sentence    Sentence
	Attribution *Attribution
}

// Attributions returns the attributions of an article's sentences (of any
// revision), in sentence order.
func (s *Store) Attributions(ctx context.Context, articleID int64) ([]Attribution, error) {
	return s.loadAttributions(ctx, 0, fmt.Sprintf("attributions of article %d", articleID),
		`SELECT `+attributionColumns.of(s.db.dialect)+` FROM attributions WHERE article_id = ? ORDER BY sentence_id`, articleID)
}

// SetAttribution sets a sentence's attribution as a checker gives it: its
// origin becomes checker and it counts as confirmed by the actor.
func (s *Store) SetAttribution(ctx context.Context, actor Actor, sentenceID int64, e AttributionEdit) (*SentenceAttribution, error) {
	return s.changeAttribution(ctx, actor, sentenceID, e.Version, func(st *Sentence, cur *Attribution) (*Attribution, string, error) {
		if err := e.Normalize(st.Index); err != nil {
			return nil, "", err
		}
		from := e.From
		if from == nil && !e.CarriedOver {
			from = &st.Index
		}
		if from == nil && cur != nil && cur.CarriedOver {
			from = cur.From
		}
		if cur != nil && cur.Confirmed() && cur.Speaker == e.Speaker && cur.Cue == e.Cue && cur.Medium == e.Medium &&
			cur.CarriedOver == e.CarriedOver && sameFromIndex(cur.From, from) {
			return cur, "", nil
		}
		now := s.now()
		next := &Attribution{
			SentenceID: st.ID, ArticleID: st.ArticleID, Speaker: e.Speaker, Cue: e.Cue, Medium: e.Medium,
			CarriedOver: e.CarriedOver, From: from, Origin: AttributionChecker,
			ConfirmedBy: actorID(actor), ConfirmedAt: &now, UpdatedBy: actorID(actor), UpdatedAt: now, Version: 1,
		}
		if cur != nil {
			next.ID, next.Version = cur.ID, cur.Version+1
			if sameReading(cur, next) {
				// Saved as it stands: the machine's spans still mark it.
				next.Spans, next.Confidence = cur.Spans, cur.Confidence
			}
		}
		return next, "attribution.set", nil
	})
}

// ConfirmAttribution records that the actor checked the machine's
// attribution of a sentence and agrees with it. Confirming a confirmed
// attribution changes nothing.
func (s *Store) ConfirmAttribution(ctx context.Context, actor Actor, sentenceID int64, version *int) (*SentenceAttribution, error) {
	return s.changeAttribution(ctx, actor, sentenceID, version, func(st *Sentence, cur *Attribution) (*Attribution, string, error) {
		if cur == nil {
			return nil, "", Errorf(ENOTFOUND, "sentence %d has no attribution to confirm", st.Number())
		}
		if cur.Confirmed() {
			return cur, "", nil
		}
		next := *cur
		now := s.now()
		next.ConfirmedBy, next.ConfirmedAt, next.UpdatedBy, next.UpdatedAt = actorID(actor), &now, actorID(actor), now
		next.Version++
		return &next, "attribution.confirm", nil
	})
}

// ClearAttribution removes a sentence's attribution: the sentence's claim
// is not attributed to anyone.
func (s *Store) ClearAttribution(ctx context.Context, actor Actor, sentenceID int64, version *int) (*SentenceAttribution, error) {
	return s.changeAttribution(ctx, actor, sentenceID, version, func(st *Sentence, cur *Attribution) (*Attribution, string, error) {
		if cur == nil {
			return nil, "", Errorf(ENOTFOUND, "sentence %d has no attribution to clear", st.Number())
		}
		return nil, "attribution.clear", nil
	})
}

// attributionChange decides a sentence's next attribution from its
// current one (nil: none) and names the audit action; an empty action
// means nothing changes.
type attributionChange func(st *Sentence, cur *Attribution) (next *Attribution, action string, err error)

// changeAttribution runs one change of a sentence's attribution in a
// transaction: it refuses articles that are submitted or approved and
// edits made on a stale version, writes the row and the audit event.
func (s *Store) changeAttribution(ctx context.Context, actor Actor, sentenceID int64, version *int, change attributionChange) (*SentenceAttribution, error) {
	var out SentenceAttribution
	err := s.db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st := &out.Sentence
		if err := tx.First(st, sentenceID).Error; err != nil {
			return notFound(err, "sentence %d", sentenceID)
		}
		if err := s.attributionWritable(tx, st); err != nil {
			return err
		}
		var cur *Attribution
		var row Attribution
		res := tx.Where("sentence_id = ?", sentenceID).Limit(1).Find(&row)
		if res.Error != nil {
			return fmt.Errorf("load attribution of sentence %d: %w", sentenceID, res.Error)
		}
		if res.RowsAffected > 0 {
			cur = &row
		}
		if version != nil {
			have := 0
			if cur != nil {
				have = cur.Version
			}
			if *version != have {
				return &Error{Code: ECONFLICT, Data: cur,
					Message: fmt.Sprintf("the attribution of sentence %d changed meanwhile (version %d, not %d); here is the current one", st.Number(), have, *version)}
			}
		}
		next, action, err := change(st, cur)
		if err != nil {
			return err
		}
		out.Attribution = next
		if action == "" {
			return nil
		}
		switch {
		case next == nil:
			err = tx.Delete(&Attribution{}, cur.ID).Error
		case cur == nil:
			err = tx.Create(next).Error
		default:
			err = tx.Save(next).Error
		}
		if err != nil {
			return fmt.Errorf("%s on sentence %d: %w", action, sentenceID, err)
		}
		if (cur == nil) != (next == nil) || cur != nil && cur.Speaker != next.Speaker {
			if err := s.indexSpeaker(tx, st, next); err != nil {
				return err
			}
		}
		return s.appendEvent(tx, Event{ArticleID: st.ArticleID, Actor: actor, Action: action, Entity: "attribution",
			EntityID: sentenceID, Before: attributionRecord(cur), After: attributionRecord(next)})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// attributionWritable refuses changes to an article that waits for an
// editor's decision or is approved, and to the sentences of its earlier
// revisions, which are read-only. On PostgreSQL it locks the article's
// row, so that a submission cannot slip in between the check and the
// change; SQLite runs one writer at a time.
func (s *Store) attributionWritable(tx *gorm.DB, st *Sentence) error {
	q := `SELECT status, current_revision_id FROM articles WHERE id = ?`
	if s.db.dialect == migrations.Postgres {
		q += ` FOR UPDATE`
	}
	var row struct {
		Status            string
		CurrentRevisionID *int64
	}
	res := tx.Raw(q, st.ArticleID).Scan(&row)
	if res.Error != nil {
		return fmt.Errorf("load status of article %d: %w", st.ArticleID, res.Error)
	}
	switch {
	case res.RowsAffected == 0:
		return Errorf(ENOTFOUND, "article %d not found", st.ArticleID)
	case ArticleStatus(row.Status) == ArticleSubmitted:
		return Errorf(ECONFLICT, "the article is submitted for approval; it cannot change until an editor decides")
	case ArticleStatus(row.Status) == ArticleApproved:
		return Errorf(ECONFLICT, "the article is approved and read-only; an editor must reopen it first")
	case row.CurrentRevisionID == nil || *row.CurrentRevisionID != st.RevisionID:
		return Errorf(ECONFLICT, "this sentence belongs to an earlier revision of the article, which is read-only")
	}
	return nil
}

// attributionRecord is what an audit event records of an attribution. The
// machine's spans and confidence appear when it has them, so that events
// of attributions without them read as they always did.
func attributionRecord(a *Attribution) any {
	if a == nil {
		return nil
	}
	r := map[string]any{
		"speaker": a.Speaker, "cue": a.Cue, "medium": a.Medium, "carried_over": a.CarriedOver,
		"from": a.From, "origin": a.Origin, "confirmed": a.Confirmed(), "version": a.Version,
	}
	if len(a.Spans) > 0 {
		r["spans"] = a.Spans
	}
	if a.Confidence != 0 {
		r["confidence"] = a.Confidence
	}
	return r
}

// sameReading reports whether two attributions read a sentence the same
// way: the same speaker, cue and medium, stated in the same sentence.
func sameReading(a, b *Attribution) bool {
	return a.Speaker == b.Speaker && a.Cue == b.Cue && a.Medium == b.Medium && a.CarriedOver == b.CarriedOver && sameFromIndex(a.From, b.From)
}

// insertAttributions writes the machine's attributions of freshly stored
// sentences: as[i] belongs to ss[i], nil when it has none.
func insertAttributions(tx *gorm.DB, ss []Sentence, as []*Attribution) error {
	rows := make([]Attribution, 0, len(as))
	now := tx.NowFunc()
	for i, a := range as {
		if a == nil {
			continue
		}
		r := *a
		r.ID, r.SentenceID, r.ArticleID, r.UpdatedAt = 0, ss[i].ID, ss[i].ArticleID, now
		if err := r.Spans.Check(); err != nil {
			return fmt.Errorf("attribution of sentence %d: %w", ss[i].Index, err)
		}
		if r.Origin == "" {
			r.Origin = AttributionMachine
		}
		if r.Version == 0 {
			r.Version = 1
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(rows, rowsPerInsert(tx, 17)).Error; err != nil {
		return fmt.Errorf("insert %d attributions: %w", len(rows), err)
	}
	return nil
}

// rowsPerInsert is how many rows of cols columns one multi-row INSERT
// carries. The SQLite driver matches every bound parameter against every
// argument, so a statement's cost grows with the square of its
// parameters: small statements are cheaper there. PostgreSQL pays a round
// trip per statement and accepts up to 65,535 parameters.
func rowsPerInsert(tx *gorm.DB, cols int) int {
	if tx.Dialector.Name() == "postgres" {
		return min(1000, 65535/cols)
	}
	return max(1, 600/cols)
}

func sameFromIndex(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
