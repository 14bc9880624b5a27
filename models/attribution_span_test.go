package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// TestAttributionSpansStoredAndCleared stores the machine's reading with
// spans and a confidence, and checks what each change keeps: confirming
// and saving the same attribution keep them, an edit clears both, and
// the audit events record them so that the replay of the trail still
// matches the table — and notices spans changed behind its back.
func TestAttributionSpansStoredAndCleared(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		st := models.NewStore(db)
		u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "sam@example.org", Name: "Sam", Role: models.RoleChecker, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		who := u.Actor()
		// "Headline\n\nAnn said it rained. It rained hard."
		//  0         10  14   19         30
		na := attrArticle("Headline\n\nAnn said it rained. It rained hard.")
		stated := models.AttributionSpans{{Role: models.SpanSource, Start: 10, End: 13}, {Role: models.SpanCue, Start: 14, End: 18},
			{Role: models.SpanContent, Start: 19, End: 29}}
		carried := models.AttributionSpans{{Role: models.SpanSource, Start: 10, End: 13}, {Role: models.SpanContent, Start: 30, End: 44}}
		na.Attributions[1].Spans, na.Attributions[1].Confidence = stated, 0.93
		na.Attributions[2].Spans, na.Attributions[2].Confidence = carried, 0.5
		a, _, err := st.CreateArticle(ctx, who, na)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := st.Sentences(ctx, *a.CurrentRevisionID)
		if err != nil {
			t.Fatal(err)
		}
		attrOf := func(n int) *models.Attribution {
			t.Helper()
			at, err := st.AttributionOf(ctx, ss[n].ID)
			if err != nil {
				t.Fatal(err)
			}
			return at
		}
		for n, want := range map[int]struct {
			spans models.AttributionSpans
			conf  float64
		}{1: {stated, 0.93}, 2: {carried, 0.5}} {
			if got := attrOf(n); !slices.Equal(got.Spans, want.spans) || got.Confidence != want.conf {
				t.Errorf("sentence %d stored spans %v, confidence %v; want %v, %v", n+1, got.Spans, got.Confidence, want.spans, want.conf)
			}
		}

		if _, err := st.ConfirmAttribution(ctx, who, ss[1].ID, nil); err != nil {
			t.Fatal(err)
		}
		if got := attrOf(1); !got.Confirmed() || !slices.Equal(got.Spans, stated) || got.Confidence != 0.93 {
			t.Errorf("confirmed: spans %v, confidence %v; want them kept", got.Spans, got.Confidence)
		}
		same := models.AttributionEdit{Speaker: "Ann", Cue: "said", CarriedOver: true}
		if _, err := st.SetAttribution(ctx, who, ss[2].ID, same); err != nil {
			t.Fatal(err)
		}
		if got := attrOf(2); got.Origin != models.AttributionChecker || !slices.Equal(got.Spans, carried) || got.Confidence != 0.5 {
			t.Errorf("saved unchanged: origin %s, spans %v, confidence %v; want the spans kept", got.Origin, got.Spans, got.Confidence)
		}
		if v, err := st.VerifyArticle(ctx, a.ID); err != nil || !v.OK {
			t.Fatalf("verify after confirming: %v %+v", err, v)
		}

		res, err := st.SetAttribution(ctx, who, ss[1].ID, models.AttributionEdit{Speaker: "Ann Lee", Cue: "said"})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Attribution; len(got.Spans) != 0 || got.Confidence != 0 {
			t.Errorf("edited: spans %v, confidence %v; want both cleared", got.Spans, got.Confidence)
		}
		if got := attrOf(1); len(got.Spans) != 0 || got.Confidence != 0 {
			t.Errorf("edited, stored: spans %v, confidence %v; want both cleared", got.Spans, got.Confidence)
		}
		evs, err := st.ArticleEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Action != "attribution.set" || !strings.Contains(last.Before, `"spans":[{"role":"source","start":10,"end":13}`) ||
			!strings.Contains(last.Before, `"confidence":0.93`) || strings.Contains(last.After, `"spans"`) || strings.Contains(last.After, `"confidence"`) {
			t.Errorf("the edit's event does not show the spans going: %s\nbefore %s\nafter %s", last.Action, last.Before, last.After)
		}
		if v, err := st.VerifyArticle(ctx, a.ID); err != nil || !v.OK {
			t.Fatalf("verify after the edit: %v %+v", err, v)
		}

		if err := db.Gorm().Exec(`UPDATE attributions SET spans = '[]' WHERE sentence_id = ?`, ss[2].ID).Error; err != nil {
			t.Fatal(err)
		}
		v, err := st.VerifyArticle(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range v.Problems {
			found = found || p.Table == "attributions" && strings.Contains(p.Message, "spans")
		}
		if v.ReplayOK || !found {
			t.Errorf("spans changed outside factdesk: replay ok %v, problems %+v; want a problem with the spans", v.ReplayOK, v.Problems)
		}
	})
}

// TestCreateArticleRefusesBadSpans: the store keeps no span that is not
// one, whatever the caller sends.
func TestCreateArticleRefusesBadSpans(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		for i, bad := range []models.AttributionSpan{
			{Role: "speaker", Start: 10, End: 13},
			{Role: models.SpanCue, Start: 18, End: 14},
			{Role: models.SpanCue, Start: -1, End: 4},
		} {
			na := attrArticle("Other\n\nBob said it snowed. It snowed " + strings.Repeat("a lot ", i+1) + "today.")
			na.Attributions[1].Spans = models.AttributionSpans{bad}
			if _, _, err := f.st.CreateArticle(ctx, f.checker, na); err == nil {
				t.Errorf("span %+v: stored, want the import refused", bad)
			}
		}
	})
}

func TestAttributionSpansScan(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  any
		want models.AttributionSpans
	}{
		{"null", nil, nil},
		{"empty text", "", nil},
		{"empty array", "[]", nil},
		{"bytes", []byte(`[{"role":"cue","start":3,"end":7}]`), models.AttributionSpans{{Role: models.SpanCue, Start: 3, End: 7}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got models.AttributionSpans
			if err := got.Scan(tc.src); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if v, err := models.AttributionSpans(nil).Value(); err != nil || v != "[]" {
		t.Errorf("no spans are stored as %v (%v), want []", v, err)
	}
	var bad models.AttributionSpans
	if err := bad.Scan("{"); err == nil {
		t.Error("scan of malformed JSON: nil error")
	}
}
