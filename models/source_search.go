package models

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"factdesk/urlnorm"
)

// Source returns the source with the given id.
func (s *Store) Source(ctx context.Context, id int64) (*Source, error) {
	var src Source
	if err := s.db.gorm.WithContext(ctx).First(&src, id).Error; err != nil {
		return nil, notFound(err, "source %d", id)
	}
	return &src, nil
}

// SourceFilter selects and pages the source library.
type SourceFilter struct {
	// Query matches sources whose title starts with it (ignoring case),
	// and from three characters on also those with a word of the title
	// starting with it; those whose publisher starts with it; and, when it
	// looks like an address ("https://…", "example.org/…"), those whose
	// URL starts with it.
	Query       string
	Kind        SourceKind  // empty: any
	Reliability Reliability // empty: any
	Credibility Credibility // 0: any
	Before      int64       // keyset cursor: only sources with a smaller id
	Limit       int         // page size; 0 means 50, at most 200
}

// SourceRow is a source as the library lists it.
type SourceRow struct {
	Source
	Citations int `json:"citations"` // how many citations use it
}

// SourcePage is one page of the library, newest first.
type SourcePage struct {
	Sources []SourceRow `json:"sources"`
	// Next is the cursor of the following page, 0 when this is the last.
	Next int64 `json:"next_cursor,omitempty"`
}

// Sources searches the library, newest first, by keyset: the cost of a
// page does not grow with its depth. On PostgreSQL every branch of the
// query is served by an index (see migration 00003).
func (s *Store) Sources(ctx context.Context, f SourceFilter) (*SourcePage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 200 {
		f.Limit = 200
	}
	db := s.db.gorm.WithContext(ctx)
	q := db.Model(&Source{})
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Reliability != "" {
		q = q.Where("reliability = ?", f.Reliability)
	}
	if f.Credibility != 0 {
		q = q.Where("credibility = ?", f.Credibility)
	}
	if cond, args := sourceQuery(f.Query); cond != "" {
		q = q.Where(cond, args...)
	}
	var srcs []Source
	if err := q.Order("id DESC").Limit(f.Limit + 1).Find(&srcs).Error; err != nil {
		return nil, fmt.Errorf("search sources: %w", err)
	}
	page := &SourcePage{Sources: make([]SourceRow, 0, len(srcs))}
	if len(srcs) > f.Limit {
		srcs = srcs[:f.Limit]
		page.Next = srcs[len(srcs)-1].ID
	}
	if len(srcs) == 0 {
		return page, nil
	}
	ids := make([]int64, len(srcs))
	for i := range srcs {
		ids[i] = srcs[i].ID
	}
	var counts []struct {
		SourceID int64
		N        int
	}
	err := db.Model(&Citation{}).Select("source_id, count(*) AS n").Where("source_id IN ?", ids).Group("source_id").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("count citations of sources: %w", err)
	}
	n := make(map[int64]int, len(counts))
	for _, c := range counts {
		n[c.SourceID] = c.N
	}
	for _, src := range srcs {
		page.Sources = append(page.Sources, SourceRow{Source: src, Citations: n[src.ID]})
	}
	return page, nil
}

// sourceQuery turns a search text into a WHERE condition, each branch of
// which an index serves: title and publisher prefixes (btree with
// text_pattern_ops), a word inside the title (trigram) and URL prefixes.
func sourceQuery(text string) (string, []any) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil
	}
	low := escapeLike(strings.ToLower(text))
	conds := []string{`lower(title) LIKE ? ESCAPE '\'`, `lower(publisher) LIKE ? ESCAPE '\'`}
	args := []any{low + "%", low + "%"}
	if utf8.RuneCountInString(text) >= 3 {
		conds = append(conds, `lower(title) LIKE ? ESCAPE '\'`)
		args = append(args, "% "+low+"%")
	}
	for _, p := range urlPrefixes(text) {
		conds = append(conds, `url LIKE ? ESCAPE '\'`)
		args = append(args, escapeLike(p)+"%")
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// urlPrefixes returns the normalised URLs a search text may be the start
// of: itself when it has a scheme, or, when it looks like a host name with
// an optional path ("example.org/news"), that on http and https, with and
// without "www.".
func urlPrefixes(text string) []string {
	if strings.ContainsAny(text, " \t") {
		return nil
	}
	if strings.Contains(text, "://") {
		if n, err := urlnorm.Normalize(text); err == nil {
			return []string{n}
		}
		return nil
	}
	host, _, _ := strings.Cut(text, "/")
	if !strings.Contains(host, ".") {
		return nil
	}
	bare := text
	if len(bare) > 4 && strings.EqualFold(bare[:4], "www.") {
		bare = bare[4:]
	}
	var out []string
	for _, scheme := range []string{"https://", "http://"} {
		for _, h := range []string{bare, "www." + bare} {
			n, err := urlnorm.Normalize(scheme + h)
			if err != nil {
				return nil
			}
			if !strings.Contains(text, "/") {
				// "example.org" is the start of every page of the site,
				// not only of its root.
				n = strings.TrimSuffix(n, "/")
			}
			out = append(out, n)
		}
	}
	return out
}
