package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// attrFixture is an article of three sentences imported with the
// machine's reading: no attribution for the first, a stated one for the
// second, a carried-over one for the third, and a suggestion for each.
type attrFixture struct {
	db        *models.DB
	st        *models.Store
	checker   models.Actor
	article   *models.Article
	sentences []models.Sentence
}

func newAttrFixture(t *testing.T, db *models.DB) *attrFixture {
	t.Helper()
	ctx := context.Background()
	st := models.NewStore(db)
	u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "cat@example.org", Name: "Cat", Role: models.RoleChecker, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	na := attrArticle("Headline\n\nAnn said it rained. It rained hard.")
	a, created, err := st.CreateArticle(ctx, u.Actor(), na)
	if err != nil || !created {
		t.Fatalf("create: %v, created %v", err, created)
	}
	ss, err := st.Sentences(ctx, *a.CurrentRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	return &attrFixture{db: db, st: st, checker: u.Actor(), article: a, sentences: ss}
}

// attrArticle builds an article of a headline and two sentences with the
// machine's reading.
func attrArticle(body string) models.NewArticle {
	sum := sha256.Sum256([]byte(body))
	one, two := 1, 1
	head, first := strings.Index(body, "\n\n"), strings.Index(body, ". ")+1
	na := models.NewArticle{
		Title: "Headline", Format: "text", Body: body, BodySHA256: hex.EncodeToString(sum[:]), ParagraphCount: 2,
		Sentences: []models.Sentence{
			{Index: 0, Paragraph: 0, StartByte: 0, EndByte: head, Start: 0, End: head, Text: body[:head], Quote: "none"},
			{Index: 1, Paragraph: 1, StartByte: head + 2, EndByte: first, Start: head + 2, End: first, Text: body[head+2 : first], Quote: "none"},
			{Index: 2, Paragraph: 1, StartByte: first + 1, EndByte: len(body), Start: first + 1, End: len(body), Text: body[first+1:], Quote: "none"},
		},
		Attributions: []*models.Attribution{
			nil,
			{Speaker: "Ann", Cue: "said", From: &one},
			{Speaker: "Ann", Cue: "said", CarriedOver: true, From: &two},
		},
	}
	for i, l := range []codebook.Label{codebook.Fact, codebook.Quote, codebook.Allegation} {
		na.Suggestions = append(na.Suggestions, &models.Suggestion{Reviewer: "rules", ReviewerVersion: "1", Label: l,
			Confidence: 0.5 + float64(i)/10, Reasons: []string{"reason " + string(l)}, Attribution: `{"speaker":""}`})
	}
	return na
}

func TestCreateArticleStoresMachineReading(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		as, err := f.st.Attributions(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 2 {
			t.Fatalf("attributions: got %d, want 2", len(as))
		}
		for i, a := range as {
			s := f.sentences[i+1]
			if a.SentenceID != s.ID || a.ArticleID != f.article.ID || a.Speaker != "Ann" || a.Cue != "said" ||
				a.Origin != models.AttributionMachine || a.Version != 1 || a.Confirmed() || a.From == nil || *a.From != 1 {
				t.Errorf("attribution %d: got %+v, want Ann said of sentence %d, machine, version 1, from 1", i, a, s.ID)
			}
			if got, want := a.CarriedOver, i == 1; got != want {
				t.Errorf("attribution %d carried over: got %v, want %v", i, got, want)
			}
		}
		gs, err := f.st.Suggestions(ctx, f.article.ID, "rules")
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 3 {
			t.Fatalf("suggestions: got %d, want 3", len(gs))
		}
		for i, g := range gs {
			if g.SentenceID != f.sentences[i].ID || len(g.Reasons) != 1 || g.Reasons[0] != "reason "+string(g.Label) || g.ReviewerVersion != "1" {
				t.Errorf("suggestion %d: got %+v", i, g)
			}
		}
		if gs[2].Confidence != 0.7 {
			t.Errorf("confidence: got %v, want 0.7 exactly", gs[2].Confidence)
		}
		if other, err := f.st.Suggestions(ctx, f.article.ID, "another"); err != nil || len(other) != 0 {
			t.Errorf("another reviewer's suggestions: got %d, %v; want none", len(other), err)
		}
	})
}

func TestCreateArticleRefusesBadMachineReading(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		cases := []struct {
			name   string
			change func(na *models.NewArticle)
		}{
			{"fewer attributions than sentences", func(na *models.NewArticle) { na.Attributions = na.Attributions[:2] }},
			{"fewer suggestions than sentences", func(na *models.NewArticle) { na.Suggestions = na.Suggestions[1:] }},
			{"unknown label", func(na *models.NewArticle) { na.Suggestions[0].Label = "rumour" }},
			{"confidence above 1", func(na *models.NewArticle) { na.Suggestions[1].Confidence = 1.5 }},
			{"attribution with nothing in it", func(na *models.NewArticle) { na.Attributions[0] = &models.Attribution{} }},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				na := attrArticle("Other\n\nBob said it snowed. It snowed " + strings.Repeat("a lot ", i+1) + "today.")
				tc.change(&na)
				if _, _, err := f.st.CreateArticle(ctx, f.checker, na); err == nil {
					t.Fatal("got nil error, want the import refused")
				}
				page, err := f.st.Articles(ctx, models.ArticleFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Articles) != 1 {
					t.Errorf("articles: got %d, want only the fixture's: the import must roll back", len(page.Articles))
				}
			})
		}
	})
}

// attrActions lists the actions of an article's events about attributions.
func attrActions(t *testing.T, st *models.Store, articleID int64) []string {
	t.Helper()
	evs, err := st.ArticleEvents(context.Background(), articleID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		if e.Entity == "attribution" {
			out = append(out, e.Action)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestAttributionEdits(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		head, stated, carried := f.sentences[0].ID, f.sentences[1].ID, f.sentences[2].ID

		// A checker attributes the headline, which had none (version 0).
		res, err := f.st.SetAttribution(ctx, f.checker, head, models.AttributionEdit{Speaker: " The outlet ", Cue: "headline", Version: ptr(0)})
		if err != nil {
			t.Fatal(err)
		}
		a := res.Attribution
		if a.Speaker != "The outlet" || a.Origin != models.AttributionChecker || !a.Confirmed() || a.ConfirmedBy == nil ||
			*a.ConfirmedBy != f.checker.ID || a.Version != 1 || a.From == nil || *a.From != 0 || res.Sentence.ID != head {
			t.Errorf("set: got %+v, want the checker's, confirmed, version 1, from 0", a)
		}
		// The same edit on the version seen before is stale.
		_, err = f.st.SetAttribution(ctx, f.checker, head, models.AttributionEdit{Speaker: "Someone", Version: ptr(0)})
		e, ok := models.AsError(err)
		if !ok || e.Code != models.ECONFLICT {
			t.Fatalf("stale set: got %v, want a conflict", err)
		}
		if cur, ok := e.Data.(*models.Attribution); !ok || cur.Speaker != "The outlet" || cur.Version != 1 {
			t.Errorf("conflict data: got %#v, want the current attribution", e.Data)
		}

		// Confirming the machine's attribution keeps its fields and origin.
		res, err = f.st.ConfirmAttribution(ctx, f.checker, stated, ptr(1))
		if err != nil {
			t.Fatal(err)
		}
		if a := res.Attribution; a.Origin != models.AttributionMachine || !a.Confirmed() || a.Version != 2 || a.Speaker != "Ann" {
			t.Errorf("confirm: got %+v, want the machine's, confirmed, version 2", a)
		}
		// Confirming again changes nothing and records nothing.
		if res, err = f.st.ConfirmAttribution(ctx, f.checker, stated, nil); err != nil || res.Attribution.Version != 2 {
			t.Errorf("confirm again: %v, version %d; want no change", err, res.Attribution.Version)
		}

		// Editing the carried-over one keeps where it comes from.
		res, err = f.st.SetAttribution(ctx, f.checker, carried, models.AttributionEdit{Speaker: "Ann Smith", Cue: "said", CarriedOver: true})
		if err != nil {
			t.Fatal(err)
		}
		if a := res.Attribution; a.From == nil || *a.From != 1 || !a.CarriedOver || a.Version != 2 || a.Origin != models.AttributionChecker {
			t.Errorf("edit carried over: got %+v, want from 1, carried over, version 2", a)
		}
		// Clearing it removes the row.
		if res, err = f.st.ClearAttribution(ctx, f.checker, carried, ptr(2)); err != nil || res.Attribution != nil {
			t.Fatalf("clear: %v, %+v", err, res)
		}
		if _, err := f.st.ClearAttribution(ctx, f.checker, carried, nil); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("clear again: got %v, want not found", err)
		}
		if _, err := f.st.ConfirmAttribution(ctx, f.checker, carried, nil); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("confirm nothing: got %v, want not found", err)
		}
		if _, err := f.st.SetAttribution(ctx, f.checker, 999999, models.AttributionEdit{Speaker: "X"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown sentence: got %v, want not found", err)
		}

		as, err := f.st.Attributions(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 2 || as[0].SentenceID != head || as[1].SentenceID != stated {
			t.Errorf("attributions after the edits: got %+v, want the headline's and the stated one", as)
		}
		got := strings.Join(attrActions(t, f.st, f.article.ID), " ")
		if want := "attribution.set attribution.confirm attribution.set attribution.clear"; got != want {
			t.Errorf("audit actions: got %q, want %q", got, want)
		}
		evs, err := f.st.ArticleEvents(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.EntityID != carried || !strings.Contains(last.Before, `"Ann Smith"`) || last.After != "" || last.ActorID == nil || *last.ActorID != f.checker.ID {
			t.Errorf("clear event: got %+v, want the sentence, the cleared attribution before, nothing after, the checker", last)
		}
		art, err := f.st.Article(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p := models.VerifyChain(evs, art.AuditSeq, art.AuditHead); len(p) != 0 {
			t.Errorf("chain problems: %v", p)
		}
	})
}

func TestAttributionRefusedWhileSubmittedOrApproved(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		stated := f.sentences[1].ID
		for _, status := range []models.ArticleStatus{models.ArticleSubmitted, models.ArticleApproved} {
			t.Run(string(status), func(t *testing.T) {
				if err := db.Gorm().Exec(`UPDATE articles SET status = ? WHERE id = ?`, status, f.article.ID).Error; err != nil {
					t.Fatal(err)
				}
				edits := map[string]func() error{
					"set": func() error {
						_, err := f.st.SetAttribution(ctx, f.checker, stated, models.AttributionEdit{Speaker: "Bob"})
						return err
					},
					"confirm": func() error { _, err := f.st.ConfirmAttribution(ctx, f.checker, stated, nil); return err },
					"clear":   func() error { _, err := f.st.ClearAttribution(ctx, f.checker, stated, nil); return err },
				}
				for name, edit := range edits {
					if err := edit(); models.ErrorCode(err) != models.ECONFLICT {
						t.Errorf("%s: got %v, want a conflict", name, err)
					}
				}
			})
		}
		as, err := f.st.Attributions(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(as) != 2 || as[0].Speaker != "Ann" || as[0].Confirmed() {
			t.Errorf("attributions: got %+v, want them unchanged", as)
		}
		if got := attrActions(t, f.st, f.article.ID); len(got) != 0 {
			t.Errorf("events: got %v, want none", got)
		}
		// Back in review, the same edit goes through.
		if err := db.Gorm().Exec(`UPDATE articles SET status = 'in_review' WHERE id = ?`, f.article.ID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.SetAttribution(ctx, f.checker, stated, models.AttributionEdit{Speaker: "Bob"}); err != nil {
			t.Errorf("in review: %v", err)
		}
		// Once a newer revision is current, the old sentences are read-only.
		rev := &models.Revision{ArticleID: f.article.ID, Number: 2, Body: "A corrected text.", BodySHA256: strings.Repeat("ab", 32),
			Format: "text", SentenceCount: 1, ParagraphCount: 1, ImportedBy: f.checker.ID, ImportedAt: models.Now()}
		if err := db.Gorm().Create(rev).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm().Exec(`UPDATE articles SET current_revision_id = ? WHERE id = ?`, rev.ID, f.article.ID).Error; err != nil {
			t.Fatal(err)
		}
		_, err = f.st.ClearAttribution(ctx, f.checker, stated, nil)
		if e, ok := models.AsError(err); !ok || e.Code != models.ECONFLICT || !strings.Contains(e.Message, "earlier revision") {
			t.Errorf("sentence of an earlier revision: got %v, want a conflict saying so", err)
		}
	})
}

func TestAttributionEditValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name  string
		edit  models.AttributionEdit
		index int
		field string // "" when valid
	}{
		{"speaker only", models.AttributionEdit{Speaker: "Ann"}, 3, ""},
		{"speaker, cue and medium", models.AttributionEdit{Speaker: "Vladimir Putin", Cue: "said", Medium: "an interview with Vesti TV"}, 3, ""},
		{"longest fields", models.AttributionEdit{Speaker: long(models.MaxSpeakerLen), Cue: long(models.MaxCueLen), Medium: long(models.MaxMediumLen)}, 0, ""},
		{"carried over from an earlier sentence", models.AttributionEdit{Speaker: "Ann", CarriedOver: true, From: ptr(1)}, 3, ""},
		{"nothing", models.AttributionEdit{Speaker: "  "}, 3, "speaker"},
		{"cue without speaker", models.AttributionEdit{Cue: "said"}, 3, "speaker"},
		{"medium without speaker", models.AttributionEdit{Medium: "a statement"}, 3, "speaker"},
		{"speaker too long", models.AttributionEdit{Speaker: long(models.MaxSpeakerLen + 1)}, 3, "speaker"},
		{"cue too long", models.AttributionEdit{Speaker: "Ann", Cue: long(models.MaxCueLen + 1)}, 3, "cue"},
		{"medium too long", models.AttributionEdit{Speaker: "Ann", Medium: long(models.MaxMediumLen + 1)}, 3, "medium"},
		{"line break in speaker", models.AttributionEdit{Speaker: "Ann\nBob"}, 3, "speaker"},
		{"invalid UTF-8 in cue", models.AttributionEdit{Speaker: "Ann", Cue: "sa\xffid"}, 3, "cue"},
		{"from a later sentence", models.AttributionEdit{Speaker: "Ann", From: ptr(4)}, 3, "from"},
		{"from before the first", models.AttributionEdit{Speaker: "Ann", From: ptr(-1)}, 3, "from"},
		{"carried over from itself", models.AttributionEdit{Speaker: "Ann", CarriedOver: true, From: ptr(3)}, 3, "from"},
		{"stated elsewhere but not carried over", models.AttributionEdit{Speaker: "Ann", From: ptr(1)}, 3, "carried_over"},
		{"negative version", models.AttributionEdit{Speaker: "Ann", Version: ptr(-1)}, 3, "version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.edit.Normalize(tc.index)
			if tc.field == "" {
				if err != nil {
					t.Errorf("got %v, want it accepted", err)
				}
				return
			}
			e, ok := models.AsError(err)
			if !ok || e.Code != models.EINVALID || e.Field != tc.field {
				t.Errorf("got %v, want an invalid %s", err, tc.field)
			}
		})
	}
}

func TestReplaceSuggestions(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newAttrFixture(t, db)
		run := models.SuggestionRun{Reviewer: "rules", ReviewerVersion: "2"}
		for _, s := range f.sentences[:2] {
			run.Suggestions = append(run.Suggestions, models.Suggestion{SentenceID: s.ID, Label: codebook.Assessment, Confidence: 1, Reasons: []string{}})
		}
		replaced, err := f.st.ReplaceSuggestions(ctx, models.System, f.article.ID, run)
		if err != nil {
			t.Fatal(err)
		}
		if replaced != 3 {
			t.Errorf("replaced: got %d, want 3", replaced)
		}
		gs, err := f.st.Suggestions(ctx, f.article.ID, "rules")
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 2 || gs[0].Label != codebook.Assessment || gs[1].ReviewerVersion != "2" || gs[0].Reasons == nil {
			t.Errorf("suggestions: got %+v, want the two of the new run", gs)
		}
		evs, err := f.st.ArticleEvents(ctx, f.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		if last.Action != "suggestions.rerun" || last.Actor != "factdesk" || !strings.Contains(last.After, `"assessment":2`) {
			t.Errorf("event: got %s by %s after %s, want suggestions.rerun by factdesk with the labels", last.Action, last.Actor, last.After)
		}
		// A bad suggestion leaves the old ones in place.
		bad := run
		bad.Suggestions = []models.Suggestion{{SentenceID: f.sentences[0].ID, Label: codebook.Fact, Confidence: -0.1}}
		if _, err := f.st.ReplaceSuggestions(ctx, models.System, f.article.ID, bad); err == nil {
			t.Error("negative confidence: got nil error")
		}
		if gs, _ := f.st.Suggestions(ctx, f.article.ID, "rules"); len(gs) != 2 {
			t.Errorf("after a failed run: got %d suggestions, want the 2 before it", len(gs))
		}
	})
}
