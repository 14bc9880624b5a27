package models

import (
	"context"
	"fmt"
)

// AttributionFlags is what readiness needs of a sentence's attribution.
type AttributionFlags struct {
	Attributed  bool // a speaker and a cue
	Unconfirmed bool // the machine's, and nobody has confirmed it
}

// AttributionFlagsOf reads, for every attributed sentence of an article
// (of any revision), whether it names a speaker and a cue and whether it
// is the machine's unconfirmed. It reads the rows without reflection: the
// review page asks on every load, for articles of thousands of sentences.
func (s *Store) AttributionFlagsOf(ctx context.Context, articleID int64) (map[int64]AttributionFlags, error) {
	rows, err := s.db.gorm.WithContext(ctx).Raw(`SELECT sentence_id,
		CASE WHEN speaker <> '' AND cue <> '' THEN 1 ELSE 0 END,
		CASE WHEN origin = ? AND confirmed_at IS NULL THEN 1 ELSE 0 END
		FROM attributions WHERE article_id = ?`, AttributionMachine, articleID).Rows()
	if err != nil {
		return nil, fmt.Errorf("read the attributions of article %d: %w", articleID, err)
	}
	defer rows.Close()
	out := map[int64]AttributionFlags{}
	for rows.Next() {
		var id int64
		var attributed, unconfirmed int
		if err := rows.Scan(&id, &attributed, &unconfirmed); err != nil {
			return nil, fmt.Errorf("read the attributions of article %d: %w", articleID, err)
		}
		out[id] = AttributionFlags{Attributed: attributed == 1, Unconfirmed: unconfirmed == 1}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the attributions of article %d: %w", articleID, err)
	}
	return out, nil
}

// ReadinessOf computes an article's readiness (see Store.Readiness) from
// what the review page has read already: the current revision's sentence
// lines, the attributions' flags and the article's comments.
func ReadinessOf(lines []SentenceLine, flags map[int64]AttributionFlags, comments []Comment) *ArticleReadiness {
	out := &ArticleReadiness{Open: []int{}, Unattributed: []int{}, UnconfirmedAttributions: []int{}, Unchecked: []int{}}
	for i := range lines {
		l := &lines[i]
		row := readinessRow{Idx: l.Index, Status: string(l.Status)}
		if l.Label != "" {
			label := l.Label
			row.Label = &label
		}
		if f, ok := flags[l.ID]; ok {
			row.Attributed, row.Unconfirmed = boolInt(f.Attributed), boolInt(f.Unconfirmed)
		}
		out.count(row)
	}
	out.OpenThreads = OpenThreads(comments)
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
