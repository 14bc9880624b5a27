package routes_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"factdesk/internal/testdb"
	"factdesk/models"
)

// secondReport is another outlet's report that repeats three claims of the
// example article in slightly different words (claimOf: a unique part of
// the example sentence it repeats), among sentences of its own.
var secondReport = []struct{ text, claimOf string }{
	{"Moscow orders deep cut in US embassy staff.", ""},
	{"Russian President Vladimir Putin announced that 755 American diplomats will have to leave Russia by September 1, 2017.", "Vladimir Putin has announced that 755"},
	{"The move follows a new round of American sanctions passed by Congress last week.", ""},
	{"Russia hacked the Democratic National Committee's servers and sent the contents of those emails to WikiLeaks.", "It hacked the servers"},
	{"The Kremlin has always denied any interference in the vote.", ""},
	{"The bill targets Russia's energy, financial, railway, shipping, metals and mining sectors.", "The bill targets Russian energy"},
	{"Staff at the embassy in Moscow said they were preparing to leave within weeks.", ""},
}

// unrelatedReport shares no claim with the example article.
const unrelatedReport = `Storm closes mountain roads

Heavy snow closed three mountain passes in the Alps on Tuesday, the regional road authority said. Drivers were told to carry chains and to expect delays of several hours. The ski resorts above the valley reported more than a metre of fresh snow overnight. Forecasters expect the weather to clear by the weekend, when temperatures should rise again.`

type similarJSON struct {
	SentenceID int64 `json:"sentence_id"`
	Eligible   bool  `json:"eligible"`
	Matches    []struct {
		Score    float64 `json:"score"`
		Sentence struct {
			ID      int64   `json:"id"`
			Text    string  `json:"text"`
			Label   *string `json:"label"`
			Status  string  `json:"status"`
			Verdict string  `json:"verdict"`
		} `json:"sentence"`
		Article struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"article"`
		Attribution *attributionJSON `json:"attribution"`
		Citations   []citationJSON   `json:"citations"`
	} `json:"matches"`
}

func similarOf(t *testing.T, e *env, id int64) similarJSON {
	t.Helper()
	r := e.api(models.RoleViewer, "GET", "/api/v1/sentences/"+itoa(id)+"/similar", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("similar %d: %d %s", id, r.Status, r.Body)
	}
	var s similarJSON
	r.decode(t, &s)
	return s
}

// TestSameClaimElsewhere checks the example article's claims against a
// second report that repeats three of them in other words, and an
// unrelated report, on both databases: each repeated claim finds its
// original with the check it has there, nothing else finds anything, and
// a checker takes a citation and an attribution over in one action each,
// recorded with where they came from.
func TestSameClaimElsewhere(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		seed := importSeed(t, e)
		src := e.createSource(t, map[string]any{"kind": "official_record", "title": "H.R.3364", "url": "https://congress.example/hr3364"})
		originals := map[string]sentenceJSON{}
		for _, s := range secondReport {
			if s.claimOf == "" {
				continue
			}
			o := seedSentence(t, seed, s.claimOf)
			originals[s.claimOf] = o
			e.citeOverAPI(t, o.ID, src.ID, "supports")
			if r := patch(e, models.RoleChecker, o.ID, map[string]any{"label": "fact", "status": "verified", "verdict": "True", "version": o.Version}); r.Status != 200 {
				t.Fatalf("verify %q: %d %s", o.Text, r.Status, r.Body)
			}
		}
		bill := originals["The bill targets Russian energy"]
		if r := e.api(models.RoleChecker, "PUT", "/api/v1/sentences/"+itoa(bill.ID)+"/attribution",
			map[string]any{"speaker": "the bill's text", "cue": "according to", "version": 0}); r.Status != 200 {
			t.Fatalf("attribution: %d %s", r.Status, r.Body)
		}
		var texts []string
		for _, s := range secondReport {
			texts = append(texts, s.text)
		}
		second := e.importSmall(t, "Moscow orders cut in US embassy staff", strings.Join(texts, " "))
		if len(second.Sentences) != len(secondReport) {
			t.Fatalf("second report: %d sentences, want %d", len(second.Sentences), len(secondReport))
		}

		for i, s := range secondReport {
			t.Run(s.text[:24], func(t *testing.T) {
				got := similarOf(t, e, second.Sentences[i].ID)
				if s.claimOf == "" {
					for _, m := range got.Matches {
						t.Errorf("found %q (%.3f), want nothing", m.Sentence.Text, m.Score)
					}
					return
				}
				want := originals[s.claimOf]
				if len(got.Matches) != 1 || got.Matches[0].Sentence.ID != want.ID {
					t.Fatalf("got %+v, want the example's sentence %d only", got.Matches, want.ID)
				}
				m := got.Matches[0]
				t.Logf("%.3f %q", m.Score, m.Sentence.Text)
				if m.Score < 0.5 || m.Score > 1 || m.Article.ID != seed.ID || m.Sentence.Status != "verified" ||
					m.Sentence.Verdict != "True" || m.Sentence.Label == nil || *m.Sentence.Label != "fact" ||
					len(m.Citations) != 1 || m.Citations[0].Source.Title != "H.R.3364" {
					t.Errorf("match: got %+v, want the verified original with its citation in article %d", m, seed.ID)
				}
			})
		}

		t.Run("the example article finds the second report back", func(t *testing.T) {
			got := similarOf(t, e, bill.ID)
			if len(got.Matches) != 1 || got.Matches[0].Article.ID != second.ID {
				t.Errorf("got %+v, want the second report's sentence", got.Matches)
			}
		})
		t.Run("an unrelated report finds nothing", func(t *testing.T) {
			other := e.importSmall(t, "Storm closes mountain roads", unrelatedReport)
			for _, s := range other.Sentences {
				if got := similarOf(t, e, s.ID); len(got.Matches) > 0 {
					t.Errorf("%q found %+v", s.Text, got.Matches)
				}
			}
			for _, s := range seed.Sentences {
				for _, m := range similarOf(t, e, s.ID).Matches {
					if m.Article.ID == other.ID {
						t.Errorf("%q found %q of the unrelated report", s.Text, m.Sentence.Text)
					}
				}
			}
		})
		t.Run("short sentences are not matched", func(t *testing.T) {
			got := similarOf(t, e, second.Sentences[0].ID)
			if !got.Eligible {
				t.Errorf("a sentence of 8 words: not eligible")
			}
			short := e.importSmall(t, "Short", "Putin denied it. The bill targets Russian energy sectors.")
			if got := similarOf(t, e, short.Sentences[0].ID); got.Eligible || len(got.Matches) > 0 {
				t.Errorf("%q: got eligible %v with %d matches, want not eligible", short.Sentences[0].Text, got.Eligible, len(got.Matches))
			}
		})

		target := second.Sentences[5] // the bill
		t.Run("reuse a citation", func(t *testing.T) {
			got := similarOf(t, e, target.ID)
			from := got.Matches[0]
			r := e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(target.ID)+"/reuse",
				map[string]any{"from_sentence_id": from.Sentence.ID, "citation_id": from.Citations[0].ID})
			if r.Status != http.StatusCreated {
				t.Fatalf("reuse: %d %s", r.Status, r.Body)
			}
			var res struct {
				Citation citationJSON `json:"citation"`
			}
			r.decode(t, &res)
			if c := res.Citation; c.SentenceID != target.ID || c.SourceID != src.ID || c.Relation != "supports" || c.Excerpt != "the excerpt" {
				t.Errorf("citation: got %+v, want the original's source, relation and excerpt on sentence %d", c, target.ID)
			}
			again := e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(target.ID)+"/reuse",
				map[string]any{"from_sentence_id": from.Sentence.ID, "citation_id": from.Citations[0].ID})
			if again.Status != http.StatusConflict {
				t.Errorf("the same citation again: got %d, want 409", again.Status)
			}
			ev := lastEvent(t, e, second.ID)
			if ev.Action != "citation.reuse" || ev.After["from_sentence_id"] != float64(from.Sentence.ID) ||
				ev.After["from_article_id"] != float64(seed.ID) || ev.After["from_citation_id"] != float64(from.Citations[0].ID) {
				t.Errorf("event: got %s %v, want citation.reuse naming sentence %d of article %d", ev.Action, ev.After, from.Sentence.ID, seed.ID)
			}
		})
		t.Run("reuse the attribution", func(t *testing.T) {
			r := e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(target.ID)+"/reuse",
				map[string]any{"from_sentence_id": bill.ID, "attribution": true})
			if r.Status != http.StatusCreated {
				t.Fatalf("reuse: %d %s", r.Status, r.Body)
			}
			var res struct {
				Attribution attributionJSON `json:"attribution"`
			}
			r.decode(t, &res)
			if a := res.Attribution; a.Speaker != "the bill's text" || a.Cue != "according to" || a.Origin != "checker" || a.ConfirmedAt == nil {
				t.Errorf("attribution: got %+v, want the original's, confirmed by the checker", a)
			}
			ev := lastEvent(t, e, second.ID)
			if ev.Action != "attribution.reuse" || ev.After["from_sentence_id"] != float64(bill.ID) || ev.After["from_article_id"] != float64(seed.ID) {
				t.Errorf("event: got %s %v, want attribution.reuse naming sentence %d", ev.Action, ev.After, bill.ID)
			}
		})
		t.Run("reuse refuses", func(t *testing.T) {
			var unattributed int64
			for _, s := range machineSentences(t, e, second.ID) {
				if s.Attribution == nil && s.ID != target.ID {
					unattributed = s.ID
				}
			}
			if unattributed == 0 {
				t.Fatal("every sentence of the second report has an attribution")
			}
			for _, tc := range []struct {
				name string
				body map[string]any
				want int
			}{
				{"both", map[string]any{"from_sentence_id": bill.ID, "citation_id": 1, "attribution": true}, 422},
				{"neither", map[string]any{"from_sentence_id": bill.ID}, 422},
				{"itself", map[string]any{"from_sentence_id": target.ID, "attribution": true}, 422},
				{"no such sentence", map[string]any{"from_sentence_id": 999999, "attribution": true}, 422},
				{"a citation of another sentence", map[string]any{"from_sentence_id": second.Sentences[0].ID, "citation_id": 1}, 422},
				{"no attribution to reuse", map[string]any{"from_sentence_id": unattributed, "attribution": true}, 422},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if r := e.api(models.RoleChecker, "POST", "/api/v1/sentences/"+itoa(target.ID)+"/reuse", tc.body); r.Status != tc.want {
						t.Errorf("got %d %s, want %d", r.Status, r.Body, tc.want)
					}
				})
			}
			if r := e.api(models.RoleViewer, "POST", "/api/v1/sentences/"+itoa(target.ID)+"/reuse",
				map[string]any{"from_sentence_id": bill.ID, "attribution": true}); r.Status != http.StatusForbidden {
				t.Errorf("viewer: got %d, want 403", r.Status)
			}
		})
		t.Run("the page and its forms", func(t *testing.T) {
			b := e.browser()
			b.signIn(models.RoleChecker)
			page := b.get("/sentences/" + itoa(second.Sentences[1].ID) + "/similar")
			if page.Status != 200 || !strings.Contains(string(page.Body), "Vladimir Putin has announced") ||
				!strings.Contains(string(page.Body), `action="/sentences/`+itoa(second.Sentences[1].ID)+`/reuse"`) {
				t.Fatalf("similar page: %d, want the original and reuse forms:\n%s", page.Status, page.Body)
			}
			from := originals["Vladimir Putin has announced that 755"]
			var cites struct {
				Citations []citationJSON `json:"citations"`
			}
			e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(seed.ID)+"/citations", nil).decode(t, &cites)
			var cid int64
			for _, c := range cites.Citations {
				if c.SentenceID == from.ID {
					cid = c.ID
				}
			}
			if cid == 0 {
				t.Fatalf("no citation of sentence %d among %+v", from.ID, cites.Citations)
			}
			r := b.post("/sentences/"+itoa(second.Sentences[1].ID)+"/reuse", url.Values{"from_sentence_id": {itoa(from.ID)}, "citation_id": {itoa(cid)}})
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/articles/"+itoa(second.ID)) {
				t.Errorf("form: got %d to %q, want a redirect to the article", r.Status, r.Header.Get("Location"))
			}
			if ev := lastEvent(t, e, second.ID); ev.Action != "citation.reuse" || ev.After["from_citation_id"] != float64(cid) {
				t.Errorf("form: last event %s %v, want the citation.reuse of citation %d", ev.Action, ev.After, cid)
			}
			r = b.post("/sentences/"+itoa(second.Sentences[1].ID)+"/reuse", url.Values{"from_sentence_id": {itoa(from.ID)}, "citation_id": {itoa(cid)}})
			if r.Status != http.StatusSeeOther {
				t.Errorf("form again: got %d, want a redirect with the problem", r.Status)
			}
			viewer := e.browser()
			viewer.signIn(models.RoleViewer)
			if vp := viewer.get("/sentences/" + itoa(second.Sentences[1].ID) + "/similar"); strings.Contains(string(vp.Body), "/reuse\"") {
				t.Errorf("a viewer sees reuse buttons")
			}
		})
		t.Run("after a revision of the example", func(t *testing.T) {
			r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+itoa(seed.ID)+"/revisions", map[string]any{"body": reviseSeed(t, seedArticle(t))})
			if r.Status != http.StatusCreated {
				t.Fatalf("revision: %d %s", r.Status, r.Body)
			}
			var cur articleJSON
			e.api(models.RoleViewer, "GET", "/api/v1/articles/"+itoa(seed.ID), nil).decode(t, &cur)
			// The typo sentence changed, the servers' is unchanged and the
			// bill's moved: each is found as its sentence of revision 2.
			for i, s := range secondReport {
				if s.claimOf == "" {
					continue
				}
				part := map[string]string{"Vladimir Putin has announced that 755": "Russian President Vladimir Putin has announced"}[s.claimOf]
				if part == "" {
					part = s.claimOf
				}
				want := seedSentence(t, cur, part)
				got := similarOf(t, e, second.Sentences[i].ID)
				if len(got.Matches) != 1 || got.Matches[0].Sentence.ID != want.ID {
					t.Errorf("%q: got %+v, want sentence %d of revision 2", s.text, got.Matches, want.ID)
				}
			}
		})
	})
}

type eventJSON struct {
	Action string         `json:"action"`
	After  map[string]any `json:"after"`
}

// lastEvent returns the latest audit event of an article.
func lastEvent(t *testing.T, e *env, articleID int64) eventJSON {
	t.Helper()
	evs, err := e.store.ArticleEvents(t.Context(), articleID)
	if err != nil || len(evs) == 0 {
		t.Fatalf("events of article %d: %v (%d)", articleID, err, len(evs))
	}
	last := evs[len(evs)-1]
	out := eventJSON{Action: last.Action}
	if err := json.Unmarshal([]byte(last.After), &out.After); err != nil {
		t.Fatalf("event %d: %v", last.Seq, err)
	}
	return out
}
