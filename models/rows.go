package models

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// The loaders here read the large row sets of an article — its events,
// sentences and suggestions, thousands each — with plain scans: GORM's
// reflection took more than half of a 5,000-sentence report's time.
// Each reads the same columns GORM would and fills the same fields.

// scanRows runs q on db and calls scan for each row.
func scanRows(db *gorm.DB, what string, scan func(*sql.Rows) error, q string, args ...any) error {
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		return fmt.Errorf("load %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load %s: %w", what, err)
	}
	return nil
}

const eventColumns = `id, article_id, seq, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash`

// loadEvents reads the events of q (which selects eventColumns).
func loadEvents(db *gorm.DB, what, q string, args ...any) ([]AuditEvent, error) {
	var out []AuditEvent
	err := scanRows(db, what, func(r *sql.Rows) error {
		var e AuditEvent
		if err := r.Scan(&e.ID, &e.ArticleID, &e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.Entity, &e.EntityID,
			&e.Before, &e.After, &e.PrevHash, &e.Hash); err != nil {
			return err
		}
		e.At = e.At.UTC()
		out = append(out, e)
		return nil
	}, q, args...)
	return out, err
}

const sentenceRowColumns = `id, article_id, revision_id, idx, paragraph, start_byte, end_byte, start_cp, end_cp, text, quote,
	label, label_by, label_at, label_suggested, status, exclude_reason, verdict, note, version, updated_at, norm`

// loadSentences reads the sentences of q (which selects sentenceRowColumns).
func loadSentences(db *gorm.DB, what, q string, args ...any) ([]Sentence, error) {
	var out []Sentence
	err := scanRows(db, what, func(r *sql.Rows) error {
		var s Sentence
		if err := r.Scan(&s.ID, &s.ArticleID, &s.RevisionID, &s.Index, &s.Paragraph, &s.StartByte, &s.EndByte, &s.Start, &s.End,
			&s.Text, &s.Quote, &s.Label, &s.LabelBy, &s.LabelAt, &s.LabelSuggested, &s.Status, &s.ExcludeReason,
			&s.Verdict, &s.Note, &s.Version, &s.UpdatedAt, &s.Norm); err != nil {
			return err
		}
		s.UpdatedAt = s.UpdatedAt.UTC()
		if s.LabelAt != nil {
			t := s.LabelAt.UTC()
			s.LabelAt = &t
		}
		out = append(out, s)
		return nil
	}, q, args...)
	return out, err
}

const suggestionColumns = `id, sentence_id, article_id, reviewer, reviewer_version, label, confidence, reasons, attribution, created_at`

// loadSuggestions reads the suggestions of q (which selects
// suggestionColumns).
func loadSuggestions(db *gorm.DB, what, q string, args ...any) ([]Suggestion, error) {
	var out []Suggestion
	err := scanRows(db, what, func(r *sql.Rows) error {
		var (
			g       Suggestion
			reasons sql.NullString
		)
		if err := r.Scan(&g.ID, &g.SentenceID, &g.ArticleID, &g.Reviewer, &g.ReviewerVersion, &g.Label, &g.Confidence,
			&reasons, &g.Attribution, &g.CreatedAt); err != nil {
			return err
		}
		g.CreatedAt = g.CreatedAt.UTC()
		out = append(out, g)
		return readReasons(&out[len(out)-1], reasons)
	}, q, args...)
	return out, err
}

// readReasons decodes a suggestion's reasons column (a JSON array of
// strings; NULL and "" read as none).
func readReasons(g *Suggestion, reasons sql.NullString) error {
	if !reasons.Valid || reasons.String == "" {
		return nil
	}
	var ok bool
	if g.Reasons, ok = parsePlainStrings(reasons.String); !ok {
		if err := json.Unmarshal([]byte(reasons.String), &g.Reasons); err != nil {
			return fmt.Errorf("reasons of suggestion %d: %w", g.ID, err)
		}
	}
	return nil
}

// parsePlainStrings reads a compact JSON array of strings that need no
// unescaping (no backslash, no control character, valid UTF-8) without
// reflection, as encoding/json would; anything else reports false, for
// encoding/json to read. "[]" is an empty slice, not nil.
func parsePlainStrings(raw string) ([]string, bool) {
	if len(raw) < 2 || raw[0] != '[' || raw[len(raw)-1] != ']' {
		return nil, false
	}
	body := raw[1 : len(raw)-1]
	out := make([]string, 0, strings.Count(body, `","`)+1)
	for body != "" {
		if body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		v := body[1 : 1+end]
		for i := 0; i < len(v); i++ {
			if v[i] < 0x20 || v[i] == '\\' {
				return nil, false
			}
		}
		if !utf8.ValidString(v) {
			return nil, false
		}
		out = append(out, v)
		body = body[2+end:]
		if body != "" {
			if body[0] != ',' || len(body) == 1 {
				return nil, false
			}
			body = body[1:]
		}
	}
	return out, true
}
