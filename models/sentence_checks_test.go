package models_test

import (
	"cmp"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/migrations"
	"factdesk/models"
)

// TestSentenceReadsMatchGORM checks the hand-scanned reads of a revision's
// sentences, attributions and suggestions against GORM's reading of the
// same rows, field for field, with every nullable column set on one row
// and not on another, spans and reasons as the store writes them and as
// only a decoder reads them.
func TestSentenceReadsMatchGORM(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		ss := f.sentences
		if _, err := f.st.SetAttribution(ctx, f.checker, ss[1].ID, models.AttributionEdit{Speaker: "Ann <Lee>", Cue: "said"}); err != nil {
			t.Fatal(err)
		}
		g := db.Gorm().WithContext(ctx)
		now := time.Now()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE sentences SET label = 'fact', label_by = ?, label_at = ?, label_suggested = ?, note = ? WHERE id = ?`,
				[]any{f.checker.ID, now, true, "a \"note\"\n", ss[0].ID}},
			{`UPDATE attributions SET spans = ? WHERE sentence_id = ?`, []any{`[{"role":"source","start":1,"end":3},{"role":"cue","start":4,"end":8}]`, ss[2].ID}},
			{`UPDATE attributions SET spans = ?, confidence = 0.25 WHERE sentence_id = ?`, []any{` [ {"end": 8, "role": "content", "start": 4} ]`, ss[1].ID}},
			{`UPDATE suggestions SET reasons = ? WHERE sentence_id = ?`, []any{`["a \"quoted\" \u003cb\u003e","é"]`, ss[0].ID}},
			{`UPDATE suggestions SET reasons = '[]' WHERE sentence_id = ?`, []any{ss[1].ID}},
		} {
			if err := g.Exec(q.sql, q.args...).Error; err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}

		if db.Dialect() == migrations.SQLite {
			// Times as other writers than the driver leave them: the
			// reads must parse them as the driver does.
			times := []string{"2026-01-02 03:04:05", "2026-01-02T03:04:05.5+02:00", "2026-01-02 03:04:05.123456789-07:30",
				"2026-01-02 03:04:05Z", "2026-01-02 03:04:05.1234567891+00:00", "2026-01-02", "2026-01-02 03:04:05 +0000 UTC"}
			for i, q := range []string{
				`UPDATE sentences SET updated_at = ? WHERE id = ?`, `UPDATE sentences SET updated_at = ? WHERE id = ?`, `UPDATE sentences SET updated_at = ? WHERE id = ?`,
				`UPDATE suggestions SET created_at = ? WHERE sentence_id = ?`, `UPDATE suggestions SET created_at = ? WHERE sentence_id = ?`,
				`UPDATE suggestions SET created_at = ? WHERE sentence_id = ?`, `UPDATE attributions SET updated_at = ? WHERE sentence_id = ?`,
			} {
				if err := g.Exec(q, times[i], ss[i%3].ID).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
		var wantS []models.Sentence
		if err := g.Where("revision_id = ?", ss[0].RevisionID).Order("idx").Find(&wantS).Error; err != nil {
			t.Fatal(err)
		}
		for i := range wantS {
			wantS[i].Norm = "" // the similar-claim index is not read
		}
		gotS, err := f.st.Sentences(ctx, ss[0].RevisionID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotS, wantS) {
			t.Errorf("Sentences:\n got %+v\nwant %+v", gotS, wantS)
		}
		if gotS[0].LabelBy == nil || gotS[0].LabelAt == nil || gotS[1].LabelAt != nil {
			t.Errorf("the fixture's labels: %+v", gotS[:2])
		}

		var wantA []models.Attribution
		if err := g.Where("article_id = ?", f.article.ID).Order("sentence_id").Find(&wantA).Error; err != nil {
			t.Fatal(err)
		}
		if len(wantA) != 2 || len(wantA[0].Spans) != 1 || len(wantA[1].Spans) != 2 {
			t.Fatalf("the fixture's attributions: %+v", wantA)
		}
		gotA, err := f.st.Attributions(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotA, wantA) {
			t.Errorf("Attributions:\n got %+v\nwant %+v", gotA, wantA)
		}
		gotA, err = f.st.ShownAttributions(ctx, f.article.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(gotA, func(a, b models.Attribution) int { return cmp.Compare(a.SentenceID, b.SentenceID) })
		if !reflect.DeepEqual(gotA, wantA) {
			t.Errorf("ShownAttributions:\n got %+v\nwant %+v", gotA, wantA)
		}

		var wantG []models.Suggestion
		if err := g.Where("article_id = ? AND reviewer = ?", f.article.ID, "rules").Order("sentence_id").Find(&wantG).Error; err != nil {
			t.Fatal(err)
		}
		if len(wantG) != 3 {
			t.Fatalf("the fixture's suggestions: %+v", wantG)
		}
		for i := range wantG {
			wantG[i].CreatedAt = wantG[i].CreatedAt.UTC() // the suggestions' loader reads times in UTC
		}
		gotG, err := f.st.Suggestions(ctx, f.article.ID, "rules")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotG, wantG) {
			t.Errorf("Suggestions:\n got %+v\nwant %+v", gotG, wantG)
		}
		for i := range wantG {
			wantG[i].Attribution = "" // not read for the sentences' views
		}
		gotG, err = f.st.ShownSuggestions(ctx, f.article.ID, "rules", 3)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(gotG, func(a, b models.Suggestion) int { return cmp.Compare(a.SentenceID, b.SentenceID) })
		if !reflect.DeepEqual(gotG, wantG) {
			t.Errorf("ShownSuggestions:\n got %+v\nwant %+v", gotG, wantG)
		}
	})
}
