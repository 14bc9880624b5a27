package routes_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"factdesk/internal/testdb"
	"factdesk/live"
	"factdesk/models"
)

// Markers of the first reading of the blind article: words that appear
// nowhere else, so that finding one in an answer to the second checker
// means the answer carried that reading.
const (
	blindNoteMarker     = "zebracornnote"    // a sentence's note
	blindCommentMarker  = "quokkafluxremark" // a comment on the article
	blindSourceMarker   = "narwhalquist"     // the title of the source cited
	blindExcerptMarker  = "axolotlexcerpt"   // the citation's excerpt
	blindSpeakerMarker  = "wombatello"       // the attribution's speaker
	blindRequestMarker  = "platypunkrequest" // the editor's change request
	blindSecondChecker  = "second@test.example"
	blindStreamDuration = 700 * time.Millisecond
)

var blindMarkers = []string{blindNoteMarker, blindCommentMarker, blindSourceMarker, blindExcerptMarker, blindSpeakerMarker, blindRequestMarker}

// blindFixture is an article read by a first checker (labels, a note, an
// attribution, a citation, a comment, the machine's suggestions, a round
// sent back with a change request) with a blind second opinion open for
// a second checker, who is also assigned to it and was mentioned in its
// comment before being asked; and another article whose one sentence
// makes the same claim as the noted one.
type blindFixture struct {
	e            *env
	second       tokenClient
	article      articleJSON
	noted        sentenceJSON // labeled, noted, attributed, cited
	current      articleJSON  // the article at its second revision
	other        articleJSON
	opinionID    int64
	sourceID     int64
	sentenceIDs  map[int64]bool // the blind article's sentences
	secondUserID int64
}

func newBlindFixture(t *testing.T, db *models.DB) *blindFixture {
	t.Helper()
	e := newEnv(t, db)
	e.svc.SetBroker(live.NewLocal()) // event streams open (they answer 503 without)
	f := &blindFixture{e: e, second: e.extraUser(t, blindSecondChecker, models.RoleChecker), sentenceIDs: map[int64]bool{}}
	f.secondUserID = e.users[blindSecondChecker].ID
	a := importSeed(t, e)
	f.article = a
	for _, s := range a.Sentences {
		f.sentenceIDs[s.ID] = true
	}
	// The noted sentence: attributed by the machine, long enough to be
	// matched as the same claim elsewhere.
	for _, s := range a.Sentences {
		if s.Status != "excluded" && s.Attribution != nil && len(strings.Fields(s.Text)) >= 8 {
			f.noted = s
			break
		}
	}
	if f.noted.ID == 0 {
		t.Fatal("the example has no attributed sentence of eight words")
	}
	for i, s := range a.Sentences {
		if s.Status == "excluded" {
			continue
		}
		body := map[string]any{"label": scriptLabel(i, s), "version": s.Version}
		if s.ID == f.noted.ID {
			body["label"], body["note"] = "allegation", "Checked the wire copy, "+blindNoteMarker+" holds."
		}
		if r := patch(e, models.RoleChecker, s.ID, body); r.Status != http.StatusOK {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
	}
	confirmAttributions(t, e, a.ID)
	if r := e.api(models.RoleChecker, "PUT", fmt.Sprintf("/api/v1/sentences/%d/attribution", f.noted.ID),
		map[string]any{"speaker": "Ada Wombatello", "cue": f.noted.Attribution.Cue}); r.Status != http.StatusOK {
		t.Fatalf("attribute: %d %s", r.Status, r.Body)
	}
	src := e.createSource(t, map[string]any{"kind": "official_record", "title": "The Narwhalquist ledger", "url": "https://ledger.example/narwhal"})
	f.sourceID = src.ID
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/sentences/%d/citations", f.noted.ID),
		map[string]any{"source_id": src.ID, "relation": "supports", "excerpt": "the " + blindExcerptMarker + " passage"}); r.Status != http.StatusCreated {
		t.Fatalf("cite: %d %s", r.Status, r.Body)
	}
	// The second checker is assigned and mentioned before being asked.
	if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/assignees", a.ID), map[string]any{"user_id": f.secondUserID}); r.Status >= 300 {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{
		"body": "@Extra checker the wire says " + blindCommentMarker + ", so an allegation", "sentence_id": f.noted.ID}); r.Status != http.StatusCreated {
		t.Fatalf("comment: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), nil); r.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/request-changes", a.ID),
		map[string]any{"comment": "Sentence two is no allegation: " + blindRequestMarker}); r.Status != http.StatusOK {
		t.Fatalf("request changes: %d %s", r.Status, r.Body)
	}
	// Round 2 starts with the note changed again.
	now := sentenceNow(t, e, f.noted.ID)
	if r := patch(e, models.RoleChecker, f.noted.ID, map[string]any{"note": "Still " + blindNoteMarker + ", see the ledger.", "version": now.Version}); r.Status != http.StatusOK {
		t.Fatalf("round 2: %d %s", r.Status, r.Body)
	}
	// A second revision carries the checks over (its changes list them).
	// One labeled sentence is reworded, so that the revision's changes
	// carry its check before and after.
	var reworded sentenceJSON
	for _, s := range a.Sentences {
		if s.Status != "excluded" && s.ID != f.noted.ID && len(strings.Fields(s.Text)) >= 8 && strings.Count(seedArticle(t), s.Text) == 1 {
			reworded = s
			break
		}
	}
	body := strings.Replace(seedArticle(t), reworded.Text, strings.TrimSuffix(reworded.Text, ".")+" indeed.", 1)
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/revisions", a.ID),
		map[string]any{"body": body + "\n\nAn added closing sentence arrived with the correction."}); r.Status >= 300 {
		t.Fatalf("revise: %d %s", r.Status, r.Body)
	}
	cur := &f.current
	e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d", a.ID), nil).decode(t, cur)
	if cur.Revision != 2 {
		t.Fatalf("the article is at revision %d", cur.Revision)
	}
	for _, s := range cur.Sentences {
		f.sentenceIDs[s.ID] = true
		if s.Text == f.noted.Text {
			f.noted = s
		}
	}
	f.noted = sentenceNow(t, e, f.noted.ID)
	if f.noted.Label == nil || *f.noted.Label != "allegation" {
		t.Fatalf("the noted sentence's check was not carried over: %+v", f.noted)
	}
	f.other = e.importSmall(t, "The same claim elsewhere", f.noted.Text)

	r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": f.secondUserID})
	if r.Status != http.StatusCreated {
		t.Fatalf("ask for the opinion: %d %s", r.Status, r.Body)
	}
	var o models.SecondOpinion
	r.decode(t, &o)
	f.opinionID = o.ID
	return f
}

// leaks lists what of the first reading an answer carries: the markers
// (the source's title is the library's own, so library routes may show
// it) and, in JSON, a label of one of the blind article's sentences.
func (f *blindFixture) leaks(t *testing.T, route string, body []byte) []string {
	t.Helper()
	var out []string
	lower := strings.ToLower(string(body))
	library := strings.Contains(route, "/sources")
	// A search echoes its words: what it must not do is find the blind
	// article by them.
	var searched string
	if u, err := url.Parse(route); err == nil && strings.HasSuffix(u.Path, "/search") {
		searched = u.Query().Get("q")
		if f.searchFinds(body) {
			out = append(out, "a hit in the blind article")
		}
	}
	for _, m := range blindMarkers {
		if (m == blindSourceMarker && library) || m == searched {
			continue
		}
		if strings.Contains(lower, m) {
			out = append(out, "marker "+m)
		}
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		f.walkLabels(v, &out)
	}
	return out
}

// searchFinds reports whether a search answer (JSON or page) has a hit in
// the blind article.
func (f *blindFixture) searchFinds(body []byte) bool {
	var ans struct {
		Articles []struct {
			ID int64 `json:"id"`
		} `json:"articles"`
		Sentences []struct {
			ArticleID int64 `json:"article_id"`
		} `json:"sentences"`
	}
	if json.Unmarshal(body, &ans) == nil {
		for _, a := range ans.Articles {
			if a.ID == f.article.ID {
				return true
			}
		}
		for _, s := range ans.Sentences {
			if s.ArticleID == f.article.ID {
				return true
			}
		}
		return false
	}
	link := "/articles/" + itoa(f.article.ID)
	for _, end := range []string{`"`, "?", "#"} {
		if strings.Contains(string(body), link+end) {
			return true
		}
	}
	return false
}

// walkLabels finds JSON objects naming one of the blind article's
// sentences (by id or sentence_id) with a label.
func (f *blindFixture) walkLabels(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for _, key := range []string{"id", "sentence_id", "old_sentence_id"} {
			id, ok := x[key].(float64)
			if !ok || !f.sentenceIDs[int64(id)] {
				continue
			}
			// The label is the object's own, or its check's (before and
			// after of a change).
			objs := []map[string]any{x}
			for _, y := range x {
				if m, ok := y.(map[string]any); ok {
					objs = append(objs, m)
				}
			}
			for _, o := range objs {
				for _, lk := range []string{"label", "first", "machine"} {
					if l, _ := o[lk].(string); l == "fact" || l == "allegation" || l == "quote" || l == "assessment" {
						*out = append(*out, fmt.Sprintf("%q:%q of sentence %d", lk, l, int64(id)))
					}
				}
			}
		}
		for _, y := range x {
			f.walkLabels(y, out)
		}
	case []any:
		for _, y := range x {
			f.walkLabels(y, out)
		}
	}
}

// paths fills a route's parameters with every value that may reach the
// blind article: its id and the other article's, the noted sentence and
// its copy, the opinion, the source.
func (f *blindFixture) paths(route string) []string {
	ids := map[string][]string{
		"articles":  {itoa(f.article.ID), itoa(f.other.ID)},
		"sentences": {itoa(f.noted.ID), itoa(f.other.Sentences[0].ID)},
		"opinions":  {itoa(f.opinionID)},
		"sources":   {itoa(f.sourceID)},
	}
	out := []string{route}
	segs := strings.Split(route, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") && !strings.HasPrefix(s, "*") {
			continue
		}
		vals := []string{"1"}
		switch {
		case s == ":id" && i > 0 && ids[segs[i-1]] != nil:
			vals = ids[segs[i-1]]
		case s == ":user_id":
			vals = []string{itoa(f.secondUserID)}
		case s == ":file" || strings.HasPrefix(s, "*"):
			vals = []string{"x"}
		}
		var next []string
		for _, p := range out {
			for _, v := range vals {
				ps := strings.Split(p, "/")
				ps[i] = v
				next = append(next, strings.Join(ps, "/"))
			}
		}
		out = next
	}
	return out
}

// streamRead opens an event stream with the token, reads it for a short
// while and returns its status and what came.
func streamRead(t *testing.T, e *env, token, path string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), blindStreamDuration)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, nil
		}
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body) // ends with the context
	return resp.StatusCode, b
}

// TestBlindOpinionEveryRoute calls every GET route of the router as the
// checker giving a blind second opinion (API routes with their token,
// pages with their session, event streams briefly) with every parameter
// that may reach the article, plus the query variants of the revision,
// round and search, and checks that no answer carries the first reading.
// A route added later is checked by the same loop.
func TestBlindOpinionEveryRoute(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newBlindFixture(t, db)
		e := f.e
		streams := map[string]bool{}
		for _, rr := range routeRules("") {
			if rr.body == "stream" {
				streams[rr.path] = true
			}
		}
		b := e.browser()
		b.signIn(blindSecondChecker)
		aid := itoa(f.article.ID)
		extra := []string{
			"/api/v1/articles/" + aid + "/changes?round=1",
			"/api/v1/articles/" + aid + "/changes?round=2",
			"/api/v1/articles/" + aid + "?revision=1",
			"/articles/" + aid + "?revision=1",
			"/api/v1/articles/" + aid + "/revisions/2",
			"/articles/" + aid + "/revisions/2",
			"/articles/" + aid + "?s=2",
			"/api/v1/articles?q=" + url.QueryEscape(f.noted.Text[:20]),
			"/api/v1/notifications?unread=1",
		}
		for _, m := range blindMarkers {
			extra = append(extra, "/api/v1/search?q="+m, "/search?q="+m)
		}
		var checked int
		check := func(route, path string) {
			checked++
			var status int
			var body []byte
			switch {
			case streams[route]:
				status, body = streamRead(t, e, e.tokens[blindSecondChecker], path)
				if strings.HasPrefix(route, "/api/v1/articles/:id/") {
					want := http.StatusOK // the other article's stream opens
					if strings.Contains(path, "/articles/"+aid+"/") {
						want = http.StatusForbidden
					}
					if status != want {
						t.Errorf("GET %s (stream): got %d, want %d for the blind checker", path, status, want)
					}
				}
			case strings.HasPrefix(path, "/api/"):
				r := f.second.api("GET", path, nil)
				status, body = r.Status, r.Body
			default:
				r := b.get(path)
				status, body = r.Status, r.Body
			}
			if l := f.leaks(t, path, body); len(l) > 0 {
				t.Errorf("GET %s: %d carries the first reading: %s", path, status, strings.Join(l, ", "))
			}
		}
		for _, rt := range routerRoutes(e) {
			if rt.Method != "GET" {
				continue
			}
			for _, p := range f.paths(rt.Path) {
				check(rt.Path, p)
			}
		}
		for _, p := range extra {
			check(strings.SplitN(p, "?", 2)[0], p)
		}
		if checked < 60 {
			t.Errorf("only %d calls: the router's routes were not enumerated", checked)
		}

		// Once the opinion is done, the article opens again: the fixture
		// really carries the reading the loop looked for.
		var labels []map[string]any
		for _, s := range f.current.Sentences {
			if s.Status != "excluded" {
				labels = append(labels, map[string]any{"sentence_id": s.ID, "label": "fact"})
			}
		}
		if r := f.second.api("PUT", fmt.Sprintf("/api/v1/opinions/%d/labels", f.opinionID), map[string]any{"labels": labels}); r.Status != http.StatusOK {
			t.Fatalf("label the opinion: %d %s", r.Status, r.Body)
		}
		if r := f.second.api("POST", fmt.Sprintf("/api/v1/opinions/%d/complete", f.opinionID), nil); r.Status != http.StatusOK {
			t.Fatalf("complete: %d %s", r.Status, r.Body)
		}
		for _, p := range []string{
			"/api/v1/articles/" + aid + "/changes?round=1",
			"/api/v1/sentences/" + itoa(f.other.Sentences[0].ID) + "/similar",
			"/api/v1/me/work",
			"/api/v1/notifications",
		} {
			r := f.second.api("GET", p, nil)
			if r.Status != http.StatusOK || len(f.leaks(t, p, r.Body)) == 0 {
				t.Errorf("after the opinion, GET %s: %d shows nothing of the first reading: %s", p, r.Status, r.Body)
			}
		}
	})
}

// TestBlindOpinionRefusesEdits: the checker giving a blind second opinion
// labels in the opinion, not in the article: a change of one of its
// sentences is refused before anything, a stale version included, and
// the refusal carries nothing of the sentence; the form does the same.
func TestBlindOpinionRefusesEdits(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newBlindFixture(t, db)
		id := f.noted.ID
		for _, body := range []map[string]any{
			{"label": "quote", "version": 1},                    // stale
			{"label": "quote", "version": f.noted.Version},      // current
			{"note": "second look", "version": f.noted.Version}, // current, a note
		} {
			r := f.second.api("PATCH", "/api/v1/sentences/"+itoa(id), body)
			if r.Status != http.StatusForbidden || r.errorCode(t) != string(models.EFORBIDDEN) {
				t.Errorf("blind PATCH %v: %d %s, want 403", body, r.Status, r.Body)
			}
			if l := f.leaks(t, "PATCH", r.Body); len(l) > 0 || strings.Contains(string(r.Body), `"data"`) {
				t.Errorf("blind PATCH %v carries the sentence: %s", body, r.Body)
			}
		}
		if now := sentenceNow(t, f.e, id); now.Version != f.noted.Version || now.Label == nil || *now.Label != "allegation" {
			t.Errorf("the refused edits changed the sentence: %+v", now)
		}
		b := f.e.browser()
		b.signIn(blindSecondChecker)
		b.get(fmt.Sprintf("/opinions/%d", f.opinionID))
		r := b.post("/sentences/"+itoa(id), url.Values{"label": {"quote"}, "version": {"1"}})
		if r.Status != http.StatusForbidden {
			t.Errorf("blind form edit: %d, want 403", r.Status)
		}
		if l := f.leaks(t, "POST /sentences/:id", r.Body); len(l) > 0 {
			t.Errorf("blind form edit carries the first reading: %s", strings.Join(l, ", "))
		}
		// Someone else's stale version still gets the current sentence.
		r = patch(f.e, models.RoleChecker, id, map[string]any{"label": "quote", "version": 1})
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), blindNoteMarker) {
			t.Errorf("first checker's stale edit: %d %s", r.Status, r.Body)
		}
		// Nor can they take over the attribution or a citation of the
		// blind article for a sentence elsewhere: the answer is them.
		r = f.second.api("POST", fmt.Sprintf("/api/v1/sentences/%d/reuse", f.other.Sentences[0].ID),
			map[string]any{"from_sentence_id": id, "attribution": true})
		if r.Status != http.StatusForbidden {
			t.Errorf("blind reuse of the attribution: %d %s, want 403", r.Status, r.Body)
		}
		if l := f.leaks(t, "reuse", r.Body); len(l) > 0 {
			t.Errorf("blind reuse carries the first reading: %s", strings.Join(l, ", "))
		}
		// Writes whose answer is the first reading are refused before
		// they change anything: resolving a thread, removing or adding a
		// citation, setting, confirming or clearing an attribution.
		var comments struct {
			Comments []struct {
				ID int64 `json:"id"`
			} `json:"comments"`
		}
		f.e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/comments", f.article.ID), nil).decode(t, &comments)
		var citations struct {
			Citations []struct {
				ID int64 `json:"id"`
			} `json:"citations"`
		}
		f.e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/citations", f.article.ID), nil).decode(t, &citations)
		if len(comments.Comments) == 0 || len(citations.Citations) == 0 {
			t.Fatalf("the fixture has %d comments and %d citations", len(comments.Comments), len(citations.Citations))
		}
		for _, w := range []struct {
			method, path string
			body         any
		}{
			{"POST", fmt.Sprintf("/api/v1/comments/%d/resolve", comments.Comments[0].ID), map[string]any{"resolved": true}},
			{"DELETE", fmt.Sprintf("/api/v1/citations/%d", citations.Citations[0].ID), nil},
			{"POST", fmt.Sprintf("/api/v1/sentences/%d/citations", id), map[string]any{"url": "https://blind.example/other", "relation": "context"}},
			{"PUT", fmt.Sprintf("/api/v1/sentences/%d/attribution", id), map[string]any{"speaker": "Someone Else", "cue": "said"}},
			{"POST", fmt.Sprintf("/api/v1/sentences/%d/attribution/confirm", id), map[string]any{}},
			{"DELETE", fmt.Sprintf("/api/v1/sentences/%d/attribution", id), nil},
		} {
			r := f.second.api(w.method, w.path, w.body)
			if r.Status != http.StatusForbidden {
				t.Errorf("blind %s %s: %d %s, want 403", w.method, w.path, r.Status, r.Body)
			}
			if l := f.leaks(t, w.method+" "+w.path, r.Body); len(l) > 0 {
				t.Errorf("blind %s %s carries the first reading: %s", w.method, w.path, strings.Join(l, ", "))
			}
		}
		var after struct {
			Citations []struct {
				ID int64 `json:"id"`
			} `json:"citations"`
		}
		f.e.api(models.RoleChecker, "GET", fmt.Sprintf("/api/v1/articles/%d/citations", f.article.ID), nil).decode(t, &after)
		if len(after.Citations) != len(citations.Citations) {
			t.Errorf("the refused writes changed the citations: %d, were %d", len(after.Citations), len(citations.Citations))
		}
	})
}
