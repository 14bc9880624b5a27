package routes_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"factdesk/internal/seedrev"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// reviseSeed applies issue 8's edits to the example article's text.
func reviseSeed(t *testing.T, text string) string {
	t.Helper()
	out, err := seedrev.Revise(text)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type checkJSON struct {
	Label     string `json:"label"`
	Status    string `json:"status"`
	Verdict   string `json:"verdict"`
	Note      string `json:"note"`
	Citations int    `json:"citations"`
	Speaker   string `json:"speaker"`
}

type revisionChangeJSON struct {
	Kind          string     `json:"kind"`
	SentenceID    *int64     `json:"sentence_id"`
	OldSentenceID *int64     `json:"old_sentence_id"`
	Number        int        `json:"number"`
	OldNumber     int        `json:"old_number"`
	Text          string     `json:"text"`
	OldText       string     `json:"old_text"`
	Similarity    float64    `json:"similarity"`
	Diff          []diffJSON `json:"diff"`
	Before        *checkJSON `json:"before"`
	After         *checkJSON `json:"after"`
}

type diffJSON struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

type revisionResultJSON struct {
	ArticleID int64 `json:"article_id"`
	Created   bool  `json:"created"`
	Previous  int   `json:"previous"`
	Revision  struct {
		ID      int64 `json:"id"`
		Number  int   `json:"number"`
		Changes *struct {
			Unchanged, Moved, Changed, New, Removed int
		} `json:"changes"`
	} `json:"revision"`
	Article struct {
		Status string `json:"status"`
	} `json:"article"`
	Changes []revisionChangeJSON `json:"changes"`
}

// seedSentence finds the one sentence of a that contains part.
func seedSentence(t *testing.T, a articleJSON, part string) sentenceJSON {
	t.Helper()
	var found []sentenceJSON
	for _, s := range a.Sentences {
		if strings.Contains(s.Text, part) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d sentences contain %q, want 1", len(found), part)
	}
	return found[0]
}

// TestRevisionCarriesTheCheck is issue 8's scripted correction, through
// the API on both databases: the example article is checked (every
// sentence labeled, some verified against a cited source, one attributed,
// a verdict or two), submitted and approved; then a corrected version
// arrives. Each edited sentence lands in its category, the check travels
// with the text, the article goes back in review in a new round, the
// earlier revision still reads as it was, the same body again changes
// nothing, and the audit trail verifies.
func TestRevisionCarriesTheCheck(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		before := len(a.Sentences)
		for _, s := range a.Sentences {
			if s.Status == "excluded" {
				continue
			}
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
				t.Fatalf("label %d: %d %s", s.ID, r.Status, r.Body)
			}
		}
		src := e.createSource(t, map[string]any{"kind": "official_record", "title": "US embassy staffing notice", "url": "https://state.example/notice"})
		figure, typo := seedSentence(t, a, "decrease to 455"), seedSentence(t, a, seedrev.TypoOld)
		removed, moved := seedSentence(t, a, "Department of Justice"), seedSentence(t, a, "The bill targets Russian energy")
		kept := seedSentence(t, a, "Our assessment is that")
		figCite := e.citeOverAPI(t, figure.ID, src.ID, "supports")
		movedCite := e.citeOverAPI(t, moved.ID, src.ID, "context")
		e.citeOverAPI(t, moved.ID, src.ID, "supports")
		for _, up := range []struct {
			s    sentenceJSON
			body map[string]any
		}{
			{figure, map[string]any{"status": "verified", "verdict": "True", "version": 2}},
			{moved, map[string]any{"status": "verified", "verdict": "Mostly true", "note": "bill text", "version": 2}},
			{removed, map[string]any{"note": "DoJ confirms", "version": 2}},
			{kept, map[string]any{"label": "assessment", "version": 2}},
		} {
			if r := patch(e, models.RoleChecker, up.s.ID, up.body); r.Status != 200 {
				t.Fatalf("update %q: %d %s", up.s.Text, r.Status, r.Body)
			}
		}
		if r := e.api(models.RoleChecker, "PUT", "/api/v1/sentences/"+itoa(moved.ID)+"/attribution",
			map[string]any{"speaker": "the bill's text", "cue": "according to", "version": 0}); r.Status != 200 {
			t.Fatalf("attribution: %d %s", r.Status, r.Body)
		}
		confirmAttributions(t, e, a.ID)
		if r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+itoa(a.ID)+"/submit", nil); r.Status != 200 {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		if r := e.api(models.RoleEditor, "POST", "/api/v1/articles/"+itoa(a.ID)+"/approve", nil); r.Status != 200 {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}

		body := reviseSeed(t, seedArticle(t))
		r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+itoa(a.ID)+"/revisions", map[string]any{"body": body})
		if r.Status != http.StatusCreated {
			t.Fatalf("revision: %d %s", r.Status, r.Body)
		}
		if loc, want := r.Header.Get("Location"), "/api/v1/articles/"+itoa(a.ID)+"/revisions/2"; loc != want {
			t.Errorf("Location: got %q, want %q", loc, want)
		}
		var res revisionResultJSON
		r.decode(t, &res)
		first := r.Body

		t.Run("counts", func(t *testing.T) {
			c := res.Revision.Changes
			if !res.Created || res.Revision.Number != 2 || c == nil {
				t.Fatalf("got created %v revision %d changes %v, want a created revision 2 with counts", res.Created, res.Revision.Number, c)
			}
			m := seedrev.MovedSentences
			want := [5]int{before - 1 - m - 2, m, 2, 1, 1}
			if got := [5]int{c.Unchanged, c.Moved, c.Changed, c.New, c.Removed}; got != want {
				t.Errorf("unchanged, moved, changed, new, removed: got %v, want %v", got, want)
			}
		})

		byText := map[string]revisionChangeJSON{}
		for _, ch := range res.Changes {
			byText[ch.Kind+":"+ch.Text+ch.OldText] = ch
		}
		find := func(t *testing.T, kind, part string) revisionChangeJSON {
			t.Helper()
			for k, ch := range byText {
				if strings.HasPrefix(k, kind+":") && strings.Contains(k, part) {
					return ch
				}
			}
			t.Fatalf("no %s change for %q in %d changes", kind, part, len(res.Changes))
			return revisionChangeJSON{}
		}

		t.Run("the corrected figure", func(t *testing.T) {
			ch := find(t, "changed", seedrev.FigureNew)
			var del, ins []string
			for _, op := range ch.Diff {
				switch op.Op {
				case "delete":
					del = append(del, op.Text)
				case "insert":
					ins = append(ins, op.Text)
				}
			}
			if !slices.Equal(del, []string{"455"}) || !slices.Equal(ins, []string{"445"}) {
				t.Errorf("diff: got deletions %q and insertions %q, want [455] and [445]", del, ins)
			}
			if ch.Before == nil || ch.Before.Status != "verified" || ch.Before.Verdict != "True" || ch.Before.Citations != 1 {
				t.Errorf("before: got %+v, want verified, True, one citation", ch.Before)
			}
			// Back to labeled: the verification was of the old figure.
			if ch.After == nil || ch.After.Label != "fact" || ch.After.Status != "labeled" || ch.After.Verdict != "True" || ch.After.Citations != 1 {
				t.Errorf("after: got %+v, want fact, labeled, its verdict and citation kept as a starting point", ch.After)
			}
		})
		t.Run("the typo", func(t *testing.T) {
			ch := find(t, "changed", seedrev.TypoNew)
			if ch.Similarity < 0.98 || ch.OldSentenceID == nil || *ch.OldSentenceID != typo.ID {
				t.Errorf("got similarity %.3f from %v, want above 0.98 from sentence %d", ch.Similarity, ch.OldSentenceID, typo.ID)
			}
		})
		t.Run("the removed sentence", func(t *testing.T) {
			ch := find(t, "removed", "Department of Justice")
			if ch.SentenceID != nil || ch.After != nil || ch.Before == nil || ch.Before.Label != "fact" || ch.Before.Note != "DoJ confirms" {
				t.Errorf("got %+v with before %+v, want no new sentence and the old check", ch, ch.Before)
			}
			if ch.OldNumber != removed.Index+1 {
				t.Errorf("old number: got %d, want %d", ch.OldNumber, removed.Index+1)
			}
		})
		t.Run("the inserted sentence", func(t *testing.T) {
			ch := find(t, "new", seedrev.Inserted)
			if ch.OldSentenceID != nil || ch.After == nil || ch.After.Status != "unreviewed" || ch.After.Label != "" {
				t.Errorf("got %+v with after %+v, want an unreviewed sentence with no label", ch, ch.After)
			}
		})
		t.Run("the moved paragraph", func(t *testing.T) {
			ch := find(t, "moved", "The bill targets Russian energy")
			want := checkJSON{Label: "fact", Status: "verified", Verdict: "Mostly true", Note: "bill text", Citations: 2, Speaker: "the bill's text"}
			if ch.After == nil || *ch.After != want || ch.Before == nil || *ch.Before != want {
				t.Errorf("got before %+v after %+v, want both %+v", ch.Before, ch.After, want)
			}
			n := 0
			for _, c := range res.Changes {
				if c.Kind == "moved" {
					n++
				}
			}
			if n != seedrev.MovedSentences {
				t.Errorf("moved sentences: got %d, want the paragraph's %d", n, seedrev.MovedSentences)
			}
		})

		var cur struct {
			articleJSON
			Current   bool `json:"current"`
			Revisions []struct {
				Number int `json:"number"`
			} `json:"revisions"`
			Sentences []struct {
				sentenceJSON
				Verdict     string `json:"verdict"`
				Note        string `json:"note"`
				Attribution *struct {
					Speaker string `json:"speaker"`
					Cue     string `json:"cue"`
				} `json:"attribution"`
			} `json:"sentences"`
			RevisionChanges []revisionChangeJSON `json:"revision_changes"`
		}
		e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID), nil).decode(t, &cur)
		t.Run("the current revision", func(t *testing.T) {
			if !cur.Current || cur.Revision != 2 || len(cur.Revisions) != 2 || len(cur.RevisionChanges) != len(res.Changes) {
				t.Errorf("got current %v revision %d, %d revisions, %d changes; want the current revision 2 of 2 with %d changes",
					cur.Current, cur.Revision, len(cur.Revisions), len(cur.RevisionChanges), len(res.Changes))
			}
			if cur.Status != "in_review" {
				t.Errorf("status: got %s, want in_review after a revision of an approved article", cur.Status)
			}
			for _, s := range cur.Sentences {
				switch {
				case strings.Contains(s.Text, "The bill targets Russian energy"):
					if s.Status != "verified" || s.Verdict != "Mostly true" || s.Attribution == nil || s.Attribution.Speaker != "the bill's text" {
						t.Errorf("moved sentence: got %s %q attribution %+v, want verified, Mostly true, the bill's text", s.Status, s.Verdict, s.Attribution)
					}
					if s.Version != 2 {
						t.Errorf("moved sentence version: got %d, want 2 (carried)", s.Version)
					}
				case strings.Contains(s.Text, "Our assessment is that"):
					if s.Label == nil || *s.Label != "assessment" || s.Status != "labeled" {
						t.Errorf("unchanged sentence: got %v %s, want assessment, labeled", s.Label, s.Status)
					}
				case s.Text == seedrev.Inserted:
					if s.Label != nil || s.Status != "unreviewed" {
						t.Errorf("new sentence: got %v %s, want unreviewed", s.Label, s.Status)
					}
				}
			}
		})
		t.Run("citations copied", func(t *testing.T) {
			var cites struct {
				Citations []citationJSON `json:"citations"`
			}
			rr := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"/citations", nil)
			rr.decode(t, &cites)
			got := map[string]int{}
			for _, c := range cites.Citations {
				if c.ID == figCite.ID || c.ID == movedCite.ID {
					t.Errorf("citation %d of revision 1 listed for the current revision", c.ID)
				}
				got[c.SentenceText[:min(20, len(c.SentenceText))]+"/"+c.Relation]++
				if c.SourceID != src.ID || c.Excerpt != "the excerpt" {
					t.Errorf("copied citation %+v: want source %d with its excerpt", c, src.ID)
				}
			}
			if len(cites.Citations) != 3 {
				t.Errorf("citations of revision 2: got %d (%v), want the 3 copied", len(cites.Citations), got)
			}
		})
		t.Run("the earlier revision reads as it was", func(t *testing.T) {
			var old struct {
				articleJSON
				Current   bool `json:"current"`
				Sentences []struct {
					sentenceJSON
					Verdict string `json:"verdict"`
				} `json:"sentences"`
			}
			e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"?revision=1", nil).decode(t, &old)
			if old.Current || old.Revision != 1 || len(old.Sentences) != before {
				t.Fatalf("got current %v revision %d with %d sentences, want revision 1 with %d", old.Current, old.Revision, len(old.Sentences), before)
			}
			for _, s := range old.Sentences {
				if s.ID == figure.ID && (s.Status != "verified" || s.Verdict != "True" || !strings.Contains(s.Text, "455")) {
					t.Errorf("the old figure: got %s %q %q, want verified True with 455", s.Status, s.Verdict, s.Text)
				}
			}
			if r := patch(e, models.RoleChecker, figure.ID, map[string]any{"note": "late", "version": 3}); r.Status != http.StatusConflict {
				t.Errorf("editing a sentence of revision 1: got %d, want 409", r.Status)
			}
			if r := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"?revision=3", nil); r.Status != http.StatusNotFound {
				t.Errorf("revision 3: got %d, want 404", r.Status)
			}
		})
		t.Run("a new round", func(t *testing.T) {
			var got struct {
				Rounds []struct {
					Number    int     `json:"number"`
					DecidedAt *string `json:"decided_at"`
				} `json:"rounds"`
			}
			e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"/rounds", nil).decode(t, &got)
			if rs := got.Rounds; len(rs) != 2 || rs[0].DecidedAt == nil || rs[1].Number != 2 || rs[1].DecidedAt != nil {
				t.Errorf("rounds: got %+v, want round 1 decided and round 2 open", rs)
			}
		})
		t.Run("the editor's list of changes", func(t *testing.T) {
			var ch revisionResultJSON
			rr := e.api(models.RoleEditor, "GET", "/api/v1/articles/"+itoa(a.ID)+"/revisions/2", nil)
			rr.decode(t, &ch)
			if rr.Status != 200 || len(ch.Changes) != len(res.Changes) || ch.Previous != 1 {
				t.Errorf("got %d with %d changes from %d, want 200 with %d from 1", rr.Status, len(ch.Changes), ch.Previous, len(res.Changes))
			}
		})
		t.Run("the round's changes show what the revision reopened", func(t *testing.T) {
			var ch struct {
				Round     int `json:"round"`
				Sentences []struct {
					Text   string    `json:"text"`
					Before checkJSON `json:"before"`
					After  checkJSON `json:"after"`
				} `json:"sentences"`
			}
			e.api(models.RoleEditor, "GET", "/api/v1/articles/"+itoa(a.ID)+"/changes", nil).decode(t, &ch)
			// Carried sentences start where they stood; only the corrected
			// figure's check moved (verified → labeled).
			if ch.Round != 2 || len(ch.Sentences) != 1 || !strings.Contains(ch.Sentences[0].Text, "445") ||
				ch.Sentences[0].Before.Status != "verified" || ch.Sentences[0].After.Status != "labeled" {
				t.Errorf("round changes: got %+v, want round 2 with the figure from verified to labeled", ch)
			}
		})
		t.Run("the carry-over events", func(t *testing.T) {
			var moved2 int64
			for _, s := range cur.Sentences {
				if strings.Contains(s.Text, "The bill targets Russian energy") {
					moved2 = s.ID
				}
			}
			var got struct {
				Events []struct {
					Action string          `json:"action"`
					After  json.RawMessage `json:"after"`
				} `json:"events"`
			}
			e.api(models.RoleViewer, "GET", "/api/v1/sentences/"+itoa(moved2)+"/history", nil).decode(t, &got)
			hist := got.Events
			if len(hist) != 1 || hist[0].Action != "sentence.carry" {
				t.Fatalf("history: got %+v, want one sentence.carry event", hist)
			}
			var after struct {
				From   int64  `json:"from"`
				Match  string `json:"match"`
				Status string `json:"status"`
			}
			if err := json.Unmarshal(hist[0].After, &after); err != nil {
				t.Fatal(err)
			}
			if after.From != moved.ID || after.Match != "moved" || after.Status != "verified" {
				t.Errorf("carry event: got %+v, want from %d, moved, verified", after, moved.ID)
			}
		})

		t.Run("the report's corrections log", func(t *testing.T) {
			rr := e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(a.ID)+"/report?format=json", nil)
			if rr.Status != 200 {
				t.Fatalf("report: %d %s", rr.Status, rr.Body)
			}
			validateReport(t, e, rr.Body)
			var rep struct {
				Method struct {
					Corrections []struct {
						Revision int    `json:"revision"`
						By       string `json:"by"`
						Summary  string `json:"summary"`
						Changes  []struct {
							Kind, Before, After string
						} `json:"changes"`
					} `json:"corrections"`
				} `json:"method"`
				Revisions []struct {
					Number int    `json:"number"`
					Note   string `json:"note"`
				} `json:"revisions"`
			}
			rr.decode(t, &rep)
			cs := rep.Method.Corrections
			if len(cs) != 1 || cs[0].Revision != 2 || !strings.Contains(cs[0].By, "checker") || len(rep.Revisions) != 2 {
				t.Fatalf("got corrections %+v and %d revisions, want revision 2's by the checker, of 2", cs, len(rep.Revisions))
			}
			kinds := map[string]int{}
			for _, ch := range cs[0].Changes {
				kinds[ch.Kind]++
				if ch.Kind == "changed" && strings.Contains(ch.After, "445") && !strings.Contains(ch.Before, "455") {
					t.Errorf("the figure's change: got %q → %q", ch.Before, ch.After)
				}
			}
			if kinds["changed"] != 2 || kinds["added"] != 1 || kinds["removed"] != 1 || len(cs[0].Changes) != 4 {
				t.Errorf("changes: got %v, want 2 changed, 1 added, 1 removed", kinds)
			}
			wantFigure := fmt.Sprintf("sentence %d (was fact, verified, verdict True, 1 citation)", find(t, "changed", seedrev.FigureNew).Number)
			wantRemoved := fmt.Sprintf("sentence %d of revision 1 (fact, labeled)", removed.Index+1)
			for _, want := range []string{"2 sentences changed, 1 added, 1 removed, 3 moved", wantFigure, wantRemoved} {
				if !strings.Contains(cs[0].Summary, want) {
					t.Errorf("summary %q does not say %q", cs[0].Summary, want)
				}
			}
		})
		t.Run("the same body again changes nothing", func(t *testing.T) {
			evs, err := e.store.ArticleEvents(t.Context(), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var sentences int64
			e.db.Gorm().Model(&models.Sentence{}).Count(&sentences)
			r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+itoa(a.ID)+"/revisions", map[string]any{"body": body})
			if r.Status != http.StatusOK {
				t.Fatalf("again: %d %s", r.Status, r.Body)
			}
			again := bytes.Replace(r.Body, []byte(`"created":false`), []byte(`"created":true`), 1)
			if !bytes.Equal(again, first) {
				t.Errorf("the answer differs from the first one beyond created:\nfirst %s\nagain %s", first, r.Body)
			}
			evs2, err := e.store.ArticleEvents(t.Context(), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var sentences2 int64
			e.db.Gorm().Model(&models.Sentence{}).Count(&sentences2)
			if len(evs2) != len(evs) || sentences2 != sentences {
				t.Errorf("events %d → %d, sentences %d → %d: want nothing written", len(evs), len(evs2), sentences, sentences2)
			}
		})
		t.Run("the audit trail verifies", func(t *testing.T) {
			v, err := e.store.VerifyArticle(t.Context(), a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !v.OK {
				t.Errorf("verification failed: %+v", v.Problems)
			}
		})
	})
}

// validateReport checks a JSON audit report against the schema the server
// publishes.
func validateReport(t *testing.T, e *env, report []byte) {
	t.Helper()
	schema := e.api("", "GET", "/api/v1/schemas/report.json", nil)
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.Body))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("report.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("report.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the JSON report does not validate: %v", err)
	}
}

// TestRevisionPages drives the pages without JavaScript: the "import a new
// version" form, the page of what the revision changed, an earlier
// revision at /articles/{id}?revision=N, and a viewer, who may read them
// but not import.
func TestRevisionPages(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		a := importSeed(t, e)
		b := e.browser()
		b.signIn(models.RoleChecker)
		base := "/articles/" + itoa(a.ID)
		if r := b.get(base + "/revise"); r.Status != 200 || !strings.Contains(string(r.Body), `action="`+base+`/revisions"`) {
			t.Fatalf("form: %d\n%s", r.Status, r.Body)
		}
		if r := b.post(base+"/revisions", url.Values{"body": {""}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("an empty text: got %d, want 422 with the form again", r.Status)
		}
		r := b.post(base+"/revisions", url.Values{"body": {reviseSeed(t, seedArticle(t))}, "format": {"text"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != base+"/revisions/2" {
			t.Fatalf("post: got %d to %q, want a redirect to %s/revisions/2", r.Status, r.Header.Get("Location"), base)
		}
		page := b.get(base + "/revisions/2")
		body := string(page.Body)
		for _, want := range []string{"Revision 2: ", "<del>455</del><ins>445</ins>", seedrev.Inserted, "removed"} {
			if !strings.Contains(body, want) {
				t.Errorf("the changes page lacks %q", want)
			}
		}
		old := b.get(base + "?revision=1")
		if old.Status != 200 || !strings.Contains(string(old.Body), "earlier revision, read-only") || !strings.Contains(string(old.Body), seedrev.FigureOld) {
			t.Errorf("?revision=1: got %d without the old text read-only", old.Status)
		}
		if r := b.get(base + "?revision=7"); r.Status != http.StatusNotFound {
			t.Errorf("?revision=7: got %d, want 404", r.Status)
		}
		if r := b.get(base + "?revision=x"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("?revision=x: got %d, want 422", r.Status)
		}
		if r := b.post(base+"/revisions", url.Values{"body": {reviseSeed(t, seedArticle(t))}, "format": {"text"}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != base {
			t.Errorf("the same text again: got %d to %q, want a redirect to the article", r.Status, r.Header.Get("Location"))
		}
		viewer := e.browser()
		viewer.signIn(models.RoleViewer)
		if r := viewer.get(base + "/revisions/1"); r.Status != 200 || strings.Contains(string(r.Body), base+"/revise") {
			t.Errorf("viewer: got %d, want the page without the import link", r.Status)
		}
	})
}
