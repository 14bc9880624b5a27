package reviewers_test

import (
	"context"
	"reflect"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
)

// readinessBody has five sentences; the machine attributes 2 ("the
// mayor", "said") and 5 ("the opposition", "according to").
const readinessBody = "The council approved the budget on Monday. The mayor said the vote was historic. Prices rose by 3 percent. " +
	"The plan is a mistake. Residents were not consulted, according to the opposition."

// TestReadinessAndSubmitRules walks an article to submission: readiness
// lists what blocks it, in words with correct plurals, and submit refuses
// with the same first rule — machine attributions included, and under
// RequireChecked unchecked facts and allegations.
func TestReadinessAndSubmitRules(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleChecker)
		res, err := svc.Import(ctx, who, ingest.ArticleInput{Body: readinessBody})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Article.ID
		d, err := svc.ArticleDetail(ctx, who, id)
		if err != nil {
			t.Fatal(err)
		}
		ss := d.Sentences
		ready := func(svc *reviewers.Service) *reviewers.Readiness {
			t.Helper()
			r, err := svc.Readiness(ctx, who, id)
			if err != nil {
				t.Fatal(err)
			}
			// The review page computes the same from what it has read.
			text, err := svc.ArticleText(ctx, who, id)
			if err != nil {
				t.Fatal(err)
			}
			comments, err := svc.Comments(ctx, who, id)
			if err != nil {
				t.Fatal(err)
			}
			page, err := svc.PageReadiness(ctx, who, id, text.Lines, comments)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(page, r) {
				t.Errorf("the page's readiness differs:\n page %+v\n want %+v", page, r)
			}
			return r
		}
		// submit expects a refusal naming field and data key, with message.
		refused := func(svc *reviewers.Service, field, key string, idx []int, msg string) {
			t.Helper()
			_, err := svc.Submit(ctx, who, id, "")
			e, ok := models.AsError(err)
			if !ok || e.Code != models.EINVALID || e.Field != field || e.Message != msg {
				t.Fatalf("submit: got %v, want %s on %s: %q", err, models.EINVALID, field, msg)
			}
			data, _ := e.Data.(map[string]any)
			nums := make([]int, len(idx))
			for i, n := range idx {
				nums[i] = n + 1
			}
			if !reflect.DeepEqual(data[key], idx) || !reflect.DeepEqual(data["numbers"], nums) {
				t.Errorf("submit's data: %v, want %s %v and numbers %v", data, key, idx, nums)
			}
		}
		set := func(i int, up reviewers.SentenceUpdate) {
			t.Helper()
			cur, err := store.Sentence(ctx, ss[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			up.Version = cur.Version
			if _, err := svc.UpdateSentence(ctx, who, ss[i].ID, up); err != nil {
				t.Fatal(err)
			}
		}
		str := func(s string) *string { return &s }

		r := ready(svc)
		want := models.ArticleReadiness{Sentences: 5, Open: []int{1, 2, 3, 4, 5}, Unattributed: []int{}, UnconfirmedAttributions: []int{2, 5},
			Unchecked: []int{}}
		if !reflect.DeepEqual(r.ArticleReadiness, want) || r.Ready || r.RequireChecked {
			t.Fatalf("fresh: got %+v, want %+v", r, want)
		}
		if w := []string{"5 sentences are neither labeled nor excluded: 1, 2, 3, 4, 5",
			"2 sentences have attributions found by the machine that nobody has confirmed (confirm, correct or clear them): 2, 5"}; !reflect.DeepEqual(r.Blocking, w) {
			t.Errorf("blocking: got %q, want %q", r.Blocking, w)
		}
		for i, l := range []string{"fact", "quote", "fact", "assessment"} {
			set(i, reviewers.SentenceUpdate{Label: str(l)})
		}
		msg := "1 sentence is neither labeled nor excluded: 5"
		if r := ready(svc); !reflect.DeepEqual(r.Open, []int{5}) || len(r.Blocking) != 2 || r.Blocking[0] != msg {
			t.Errorf("one open: %+v", r)
		}
		refused(svc, "sentences", "open_sentences", []int{4}, msg)

		set(4, reviewers.SentenceUpdate{Label: str("allegation")})
		refused(svc, "attribution", "unconfirmed_attributions", []int{1, 4},
			"2 sentences have attributions found by the machine that nobody has confirmed (confirm, correct or clear them): 2, 5")
		if _, err := svc.ConfirmAttribution(ctx, who, ss[1].ID, nil); err != nil {
			t.Fatal(err)
		}
		refused(svc, "attribution", "unconfirmed_attributions", []int{4},
			"1 sentence has an attribution found by the machine that nobody has confirmed (confirm, correct or clear it): 5")
		if _, err := svc.ClearAttribution(ctx, who, ss[4].ID, nil); err != nil {
			t.Fatal(err)
		}
		refused(svc, "attribution", "unattributed_sentences", []int{4},
			"1 allegation or quote does not say who makes the claim (speaker and cue): 5")
		if _, err := svc.SetAttribution(ctx, who, ss[4].ID, models.AttributionEdit{Speaker: "the opposition", Cue: "according to"}); err != nil {
			t.Fatal(err)
		}

		// Ready, unless the newsroom requires every claim checked.
		if _, err := svc.AddComment(ctx, who, models.NewComment{ArticleID: id, SentenceID: ss[0].ID, Body: "Which budget?"}); err != nil {
			t.Fatal(err)
		}
		r = ready(svc)
		want = models.ArticleReadiness{Sentences: 5, Open: []int{}, Unattributed: []int{}, UnconfirmedAttributions: []int{},
			Claims: 3, Checked: 0, Unchecked: []int{1, 3, 5}, OpenThreads: 1}
		if !reflect.DeepEqual(r.ArticleReadiness, want) || !r.Ready || len(r.Blocking) != 0 {
			t.Errorf("ready: got %+v, want %+v and ready", r, want)
		}
		// Ready, but the editor will see what is only labeled, and the thread.
		if w := []string{"0 of 3 facts and allegations are checked (verified, disputed or unverifiable); the editor will see the others as labeled only: 1, 3, 5",
			"1 comment thread is still open."}; !reflect.DeepEqual(r.Warnings, w) {
			t.Errorf("warnings: got %q, want %q", r.Warnings, w)
		}
		strict := reviewers.New(store, reviewers.Config{RequireChecked: true}, nil, nil)
		r = ready(strict)
		if w := []string{"3 facts or allegations are not checked yet (verified, disputed or unverifiable), as this newsroom requires: 1, 3, 5"}; r.Ready || !r.RequireChecked || !reflect.DeepEqual(r.Blocking, w) {
			t.Errorf("require checked: got %+v, want blocking %q", r, w)
		}
		for _, i := range []int{0, 2} {
			set(i, reviewers.SentenceUpdate{Status: str("unverifiable"), Note: str("no record found")})
		}
		refused(strict, "status", "unchecked_sentences", []int{4},
			"1 fact or allegation is not checked yet (verified, disputed or unverifiable), as this newsroom requires: 5")
		set(4, reviewers.SentenceUpdate{Status: str("unverifiable"), Note: str("the opposition did not answer")})
		if r := ready(strict); !r.Ready || r.Checked != 3 || len(r.Unchecked) != 0 || !reflect.DeepEqual(r.Warnings, []string{"1 comment thread is still open."}) {
			t.Errorf("all checked: %+v", r)
		}
		if _, err := strict.Submit(ctx, who, id, "Ready."); err != nil {
			t.Fatalf("submit: %v", err)
		}
		// The submission's note is no open thread.
		if r := ready(svc); r.OpenThreads != 1 {
			t.Errorf("after submitting with a note: %d open threads, want 1", r.OpenThreads)
		}
	})
}

// TestReadinessSkipsExcludedSentences: an excluded sentence's machine
// attribution waits for nobody.
func TestReadinessSkipsExcludedSentences(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		store, svc, who := newService(t, db, models.RoleChecker)
		res, err := svc.Import(ctx, who, ingest.ArticleInput{Body: readinessBody})
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.ArticleDetail(ctx, who, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		s := d.Sentences[1]
		reason := "a teaser"
		if _, err := svc.UpdateSentence(ctx, who, s.ID, reviewers.SentenceUpdate{ExcludeReason: &reason, Version: s.Version}); err != nil {
			t.Fatal(err)
		}
		r, err := store.Readiness(ctx, res.Article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.UnconfirmedAttributions, []int{5}) || !reflect.DeepEqual(r.Open, []int{1, 3, 4, 5}) {
			t.Errorf("with sentence 2 excluded: %+v", r)
		}
	})
}
