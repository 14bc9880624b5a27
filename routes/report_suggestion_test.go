package routes_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestReportCarriesSuggestions checks that every sentence of the JSON
// report carries the machine reviewer's suggestion — label, confidence,
// reasons, reviewer and version, as the article's API shows it — beside
// accepted_suggestion, and null where the machine suggested nothing.
func TestReportCarriesSuggestions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		// One sentence without a suggestion, as after a reviewer that had
		// nothing to say about it.
		if err := db.Gorm().Exec(`DELETE FROM suggestions WHERE sentence_id = ?`, a.Sentences[2].ID).Error; err != nil {
			t.Fatal(err)
		}
		type suggestion struct {
			Label      string   `json:"label"`
			Confidence float64  `json:"confidence"`
			Reasons    []string `json:"reasons"`
			Reviewer   string   `json:"reviewer"`
			Version    string   `json:"version"`
		}
		var article struct {
			Sentences []struct {
				ID         int64 `json:"id"`
				Suggestion *struct {
					Label           string   `json:"label"`
					Confidence      float64  `json:"confidence"`
					Reasons         []string `json:"reasons"`
					Reviewer        string   `json:"reviewer"`
					ReviewerVersion string   `json:"reviewer_version"`
				} `json:"suggestion"`
			} `json:"sentences"`
		}
		e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), nil).decode(t, &article)
		want := map[int64]*suggestion{}
		for _, s := range article.Sentences {
			if g := s.Suggestion; g != nil {
				want[s.ID] = &suggestion{Label: g.Label, Confidence: g.Confidence, Reasons: g.Reasons, Reviewer: g.Reviewer, Version: g.ReviewerVersion}
			}
		}
		if len(want) == 0 {
			t.Fatal("the machine reviewer suggested nothing for the example article")
		}
		r := e.api(models.RoleViewer, "GET", fmt.Sprintf("/api/v1/articles/%d/report?format=json", a.ID), nil)
		if r.Status != 200 {
			t.Fatalf("report: %d %s", r.Status, r.Body)
		}
		var rep struct {
			Sentences []map[string]json.RawMessage `json:"sentences"`
		}
		r.decode(t, &rep)
		nulls := 0
		for i, s := range rep.Sentences {
			raw, ok := s["suggestion"]
			if !ok {
				t.Fatalf("sentence %d has no suggestion key", i+1)
			}
			var id int64
			json.Unmarshal(s["id"], &id)
			var got *suggestion
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatalf("sentence %d suggestion %s: %v", i+1, raw, err)
			}
			if got == nil {
				nulls++
			}
			if w := want[id]; !reflect.DeepEqual(got, w) {
				t.Errorf("sentence %d suggestion: got %s, want %+v", i+1, raw, w)
			}
		}
		if nulls != 1 {
			t.Errorf("%d sentences with a null suggestion, want 1", nulls)
		}
	})
}
