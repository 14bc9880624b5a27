package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"factdesk/ingest"
	"factdesk/internal/newsgen"
)

// BulkTargetMs is the bound on a 5,000-sentence bulk change.
const BulkTargetMs = 1000

// BulkFigure is one PATCH /api/v1/articles/{id}/sentences labeling every
// sentence of a 5,000-sentence article, over HTTP, all or nothing (median
// of repeats, each on an article of its own); its floor is one bare
// UPDATE of the same rows.
type BulkFigure struct {
	Sentences int     `json:"sentences"`
	Ms        float64 `json:"ms"`
	FloorMs   float64 `json:"floor_ms"`
	Ratio     float64 `json:"ratio"`
	TargetMs  float64 `json:"target_ms"`
	Error     string  `json:"error,omitempty"`
}

func measureBulk(ctx context.Context, e *env, repeats int) BulkFigure {
	f := BulkFigure{TargetMs: BulkTargetMs}
	repeats = min(repeats, 3)
	var took, floor []time.Duration
	labels := []string{"fact", "allegation", "quote", "assessment"}
	for r := range repeats {
		story := newsgen.NewStory(newRand(uint64(4000+r)), BigArticle)
		res, err := e.svc.Import(ctx, e.checker, ingest.ArticleInput{Title: story.Title, Body: story.Body(), Format: "text"})
		if err != nil {
			f.Error = fmt.Sprintf("import: %v", err)
			return f
		}
		rows, err := e.db.SQL().QueryContext(ctx, fmt.Sprintf(`SELECT id, version FROM sentences WHERE article_id = %d ORDER BY idx`, res.Article.ID))
		if err != nil {
			f.Error = err.Error()
			return f
		}
		var items []map[string]any
		for rows.Next() {
			var id int64
			var v int
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				f.Error = err.Error()
				return f
			}
			items = append(items, map[string]any{"id": id, "version": v, "label": labels[len(items)%4]})
		}
		rows.Close()
		body, err := json.Marshal(map[string]any{"sentences": items})
		if err != nil {
			f.Error = err.Error()
			return f
		}
		f.Sentences = len(items)
		// The floor first, on the same rows: it touches only updated_at.
		start := time.Now()
		if _, err := e.db.SQL().ExecContext(ctx, fmt.Sprintf(`UPDATE sentences SET updated_at = updated_at WHERE article_id = %d`, res.Article.ID)); err != nil {
			f.Error = fmt.Sprintf("floor: %v", err)
			return f
		}
		floor = append(floor, time.Since(start))
		req, err := http.NewRequestWithContext(ctx, http.MethodPatch, fmt.Sprintf("%s/api/v1/articles/%d/sentences", e.base, res.Article.ID), bytes.NewReader(body))
		if err != nil {
			f.Error = err.Error()
			return f
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens[0])
		req.Header.Set("Content-Type", "application/json")
		start = time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			f.Error = err.Error()
			return f
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		took = append(took, time.Since(start))
		if resp.StatusCode != http.StatusOK {
			f.Error = fmt.Sprintf("PATCH: %s: %.300s", resp.Status, out)
			return f
		}
		var ans struct {
			Written int `json:"written"`
		}
		if err := json.Unmarshal(out, &ans); err != nil || ans.Written != len(items) {
			f.Error = fmt.Sprintf("PATCH wrote %d of %d (%v)", ans.Written, len(items), err)
			return f
		}
	}
	f.Ms, f.FloorMs = ms(middle(took)), ms(middle(floor))
	f.Ratio = ratio(f.FloorMs, f.Ms)
	return f
}

// middle is the median of ds.
func middle(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
