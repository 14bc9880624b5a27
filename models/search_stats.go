package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"factdesk/search"
)

// Choosing how PostgreSQL reads a search's newest matches.
//
// A common word is best read newest first through the primary key: the
// first thousand matches come after a few thousand rows. A rare one is
// best found through the GIN index. The planner chooses between the two
// from its estimate of how many rows match, and for a phrase it multiplies
// the words' frequencies as if they were independent: "interest rates",
// whose words nearly always come together, was estimated at a twentieth of
// its matches, read through the GIN index, and took 0.8 s at 3,000,000
// sentences where newest first takes 30 ms. So factdesk estimates a bound
// of its own from the same statistics (pg_stats' most common elements of
// the tsvector column): a group of terms matches at most as often as its
// rarest word, groups joined by OR at most the sum. When that bound says
// the search is common, the statement runs with bitmap scans (the only
// way GIN is read) turned off for its transaction.

// commonFraction is the share of the index from which a search is read
// newest first: 1,000 matches then come within 100,000 rows.
const commonFraction = 0.01

// wordStatsTTL is how long the statistics are kept before being read
// again; ANALYZE (autovacuum's, on a busy table every few minutes) renews
// them.
const wordStatsTTL = 5 * time.Minute

// wordStats caches pg_stats' word frequencies of search_docs.tsv.
type wordStats struct {
	mu     sync.Mutex
	read   time.Time
	freq   map[string]float64
	floor  float64 // the frequency of the rarest listed word: a bound for the others
	listed bool    // whether PostgreSQL has statistics at all
}

// frequencies returns the word frequencies, read again when stale.
func (s *Store) frequencies(ctx context.Context) (*wordStats, error) {
	ws := s.db.words
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if !ws.read.IsZero() && time.Since(ws.read) < wordStatsTTL {
		return ws, nil
	}
	var elems, freqs *string
	err := s.db.gorm.WithContext(ctx).Raw(`SELECT most_common_elems::text, most_common_elem_freqs::text FROM pg_stats
		WHERE schemaname = current_schema() AND tablename = 'search_docs' AND attname = 'tsv'`).Row().Scan(&elems, &freqs)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read the search statistics: %w", err)
	}
	ws.read, ws.freq, ws.floor, ws.listed = time.Now(), map[string]float64{}, 0, false
	if elems == nil || freqs == nil {
		return ws, nil
	}
	words := strings.Split(strings.Trim(*elems, "{}"), ",")
	fs := strings.Split(strings.Trim(*freqs, "{}"), ",")
	// The frequencies list one per element, then the least and greatest
	// frequency and the share of NULLs.
	if len(fs) < len(words)+2 {
		return ws, nil
	}
	for i, w := range words {
		var f float64
		if _, err := fmt.Sscan(fs[i], &f); err != nil {
			return ws, nil
		}
		ws.freq[strings.Trim(w, `"`)] = f
	}
	fmt.Sscan(fs[len(words)], &ws.floor)
	ws.listed = len(ws.freq) > 0
	return ws, nil
}

// bound returns at most how large a share of the index q matches, and
// false when there are no statistics to tell.
func (ws *wordStats) bound(q search.Query) (float64, bool) {
	if !ws.listed {
		return 0, false
	}
	total := 0.0
	for _, g := range q.Groups {
		least := 1.0
		for _, t := range g {
			if t.Not {
				continue
			}
			for i, w := range t.Words {
				f := ws.word(w)
				if t.Prefix && i == len(t.Words)-1 {
					f = ws.prefix(w)
				}
				least = min(least, f)
			}
		}
		total += least
	}
	return min(total, 1), true
}

// word is a word's frequency; one not listed is rarer than the floor.
func (ws *wordStats) word(w string) float64 {
	if f, ok := ws.freq[w]; ok {
		return f
	}
	return ws.floor
}

// prefix bounds the frequency of the words starting with p: the listed
// ones summed, plus the floor for those not listed.
func (ws *wordStats) prefix(p string) float64 {
	sum := ws.floor
	for w, f := range ws.freq {
		if strings.HasPrefix(w, p) {
			sum += f
		}
	}
	return min(sum, 1)
}

// readNewestFirst reports whether the sentence window of q should be read
// newest first through the primary key rather than through the GIN index.
func (s *Store) readNewestFirst(ctx context.Context, q search.Query) (bool, error) {
	ws, err := s.frequencies(ctx)
	if err != nil {
		return false, err
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	f, ok := ws.bound(q)
	return ok && f >= commonFraction, nil
}
