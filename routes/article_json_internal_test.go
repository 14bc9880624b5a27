package routes

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"factdesk/codebook"
	"factdesk/models"
	"factdesk/reviewers"
)

// The article's hand-written JSON must be encoding/json's, byte for byte.

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `"quoted" \back\slash`, "<script>&amp;</script>", "\u2028\u2029", "é“”—…",
		"\xff\xfe", "a\x00b\x1f\x7f", "\b\f\n\r\t", "\xe2\x80", "\xed\xa0\x80", "😀"} {
		f.Add(s)
	}
	for c := range 256 {
		f.Add(string([]byte{byte(c)}))
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

func TestAppendJSONFloat(t *testing.T) {
	fs := []float64{0, math.Copysign(0, -1), 0.5, 1, -1, 0.9428161618017336, 1e-6, 9.99e-7, 1e-7, 1.5e-9, 1e20, 1e21, 1.5e21,
		123456789.123, 5e-324, math.MaxFloat64, -1e-6, -2.5e-8, 1e100}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		fs = append(fs, r.Float64(), r.NormFloat64()*math.Pow(10, float64(r.IntN(60)-30)), math.Float64frombits(r.Uint64()))
	}
	for _, f := range fs {
		want, werr := json.Marshal(f)
		got, gerr := appendJSONFloat(nil, f)
		if (werr != nil) != (gerr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("appendJSONFloat(%v) = %s, %v; encoding/json writes %s, %v", f, got, gerr, want, werr)
		}
	}
}

func TestAppendArticleAtAsEncodingJSON(t *testing.T) {
	kolkata := time.FixedZone("IST", 5*3600+1800)
	t0 := time.Date(2026, 3, 4, 5, 6, 7, 891011121, kolkata)
	t1 := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	by, zero, from, url := int64(7), int64(0), 2, "https://example.org/check"
	fact := codebook.Fact
	views := []reviewers.SentenceView{
		{Sentence: models.Sentence{ID: 1, ArticleID: 9, RevisionID: 3, Text: "Plain.", Quote: "none", Status: codebook.Unreviewed, Version: 1, UpdatedAt: t1}},
		{
			Sentence: models.Sentence{ID: 2, ArticleID: 9, RevisionID: 3, Index: 1, Paragraph: 1, StartByte: 7, EndByte: 30, Start: 7, End: 28,
				Text: "“Quoted” <b>&</b>\u2028\xff", Quote: "full", Label: &fact, LabelBy: &by, LabelAt: &t0, LabelSuggested: true,
				Status: codebook.Labeled, ExcludeReason: "x", Verdict: "True", Note: "line\nbreak\t\"q\"", Version: 3, UpdatedAt: t0},
			Attribution: &models.Attribution{ID: 5, SentenceID: 2, ArticleID: 9, Speaker: "Ann <Lee>", Cue: "said", Medium: "a & b",
				CarriedOver: true, From: &from, Origin: models.AttributionChecker, ConfirmedBy: &by, ConfirmedAt: &t0, UpdatedBy: &zero,
				UpdatedAt: t1, Version: 2, Spans: models.AttributionSpans{{Role: models.SpanSource, Start: 1, End: 4}, {Role: models.SpanCue, Start: 5, End: 9}},
				Confidence: 0.9428161618017336},
			Suggestion: &models.Suggestion{ID: 11, SentenceID: 2, ArticleID: 9, Reviewer: "reader", ReviewerVersion: "2.1", Label: codebook.Quote,
				Confidence: 1e-7, Reasons: []string{"quotation marks", "<said>"}, Attribution: `{"x":1}`, CreatedAt: t0},
		},
		{
			Sentence:    models.Sentence{ID: 3, LabelBy: &zero, UpdatedAt: t0},
			Attribution: &models.Attribution{SentenceID: 3, Origin: models.AttributionMachine, UpdatedAt: t1},
			Suggestion:  &models.Suggestion{SentenceID: 3, Reasons: []string{}, CreatedAt: t1},
		},
		// The instant of the sentence before, in another zone: the same
		// time to Equal, not the same text.
		{Sentence: models.Sentence{ID: 4, UpdatedAt: t0.UTC()}},
		{Sentence: models.Sentence{ID: 5, UpdatedAt: t0.UTC()}},
	}
	long := make([]reviewers.SentenceView, 2001)
	for i := range long {
		long[i] = views[i%len(views)]
		long[i].ID = int64(i + 1)
	}
	article := &models.Article{ID: 9, Title: "A <title>", Status: models.ArticleStatus("in_review"), PublishedAt: &t0, FactCheckURL: &url,
		DueAt: &t1, CreatedBy: 1, CreatedAt: t1, UpdatedAt: t0}
	for _, tc := range []struct {
		name string
		d    *reviewers.ArticleAt
	}{
		{"full", &reviewers.ArticleAt{ArticleDetail: &reviewers.ArticleDetail{Article: article, Revision: 2, RevisionID: 3, BodySHA256: "ab",
			Format: "text", ImportedAt: t0, SentenceCount: len(views), Sentences: views, Assignees: []models.Assignment{{}}, Rev: &models.Revision{}},
			Current: true, Revisions: []models.RevisionSummary{{}, {}}, RevisionChanges: []models.RevisionChangeView{{}}}},
		{"empty", &reviewers.ArticleAt{ArticleDetail: &reviewers.ArticleDetail{Article: &models.Article{}, Sentences: []reviewers.SentenceView{}}}},
		{"nil sentences", &reviewers.ArticleAt{ArticleDetail: &reviewers.ArticleDetail{Article: &models.Article{}}}},
		{"long", &reviewers.ArticleAt{ArticleDetail: &reviewers.ArticleDetail{Article: article, Sentences: long}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendArticleAt(nil, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("appendArticleAt:\n got %s\nwant %s", got, want)
			}
		})
	}
	bad := *views[1].Suggestion
	bad.CreatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := appendSuggestion(nil, &bad, &lastTimes{}); err == nil {
		t.Error("a time past year 9999 encoded without an error; encoding/json refuses it")
	}
}
