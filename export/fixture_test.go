package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
	"time"

	"factdesk/codebook"
	"factdesk/internal/shared"
)

// The fixture: the example article labeled, attributed, sourced and
// approved by a fixed script, with fixed times. Golden files are made from
// it, so change it only together with them (go test -update).

var t0 = time.Date(2017, 8, 1, 9, 0, 0, 0, time.UTC)

// at returns a fixed time m minutes after t0.
func at(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }

func atp(m int) *time.Time { t := at(m); return &t }

// Secrets of the withheld source: no export may contain them.
const (
	withheldTitle = "Interview with Jane Roe, State Department"
	withheldURL   = "https://notes.internal.example/interviews/2017-08-01-state"
	withheldName  = "Jane Roe"
	withheldQuote = "the mission will be brought down to 455 people"
)

type goldSentence struct {
	N         int    `json:"n"`
	Paragraph int    `json:"paragraph"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
	Label     string `json:"label"`
	Exclude   string `json:"exclude"`
}

func fixtureSources() map[string]Source {
	return map[string]Source{
		"wire": {ID: 1, Kind: "news_report", Title: "Putin says 755 US diplomatic staff must leave Russia",
			URL: "https://wire.example/2017/07/30/putin-755-diplomats", Publisher: "Example Wire", Author: "Denis Pinchuk",
			PublishedAt: atp(-1590), ArchivedURL: "https://archive.example/2017.07.31/wire-putin-755",
			RetrievedAt: atp(15), HTTPStatus: 200, ContentType: "text/html; charset=utf-8",
			SHA256: sha("wire"), Reliability: "B", Credibility: 2},
		"odni": {ID: 2, Kind: "official_record", Title: "Assessing Russian Activities and Intentions in Recent US Elections",
			URL: "https://www.dni.gov/files/documents/ICA_2017_01.pdf", Publisher: "Office of the Director of National Intelligence",
			PublishedAt: atp(-295 * 24 * 60), RetrievedAt: atp(20), HTTPStatus: 200, ContentType: "application/pdf",
			SHA256: sha("odni"), Reliability: "A", Credibility: 2},
		"congress": {ID: 3, Kind: "official_record", Title: "H.R.3364 — Countering America’s Adversaries Through Sanctions Act",
			URL: "https://www.congress.gov/bill/115th-congress/house-bill/3364", Publisher: "U.S. Congress",
			RetrievedAt: atp(25), HTTPStatus: 200, ContentType: "text/html", SHA256: sha("congress"), Reliability: "A", Credibility: 1},
		"kremlin": {ID: 4, Kind: "interview", Title: "Interview with Vesti TV (transcript)",
			URL: "https://transcripts.example/kremlin/2017-07-30-vesti", Publisher: "Presidential Executive Office",
			PublishedAt: atp(-1500), RetrievedAt: atp(30), HTTPStatus: 200, ContentType: "text/html",
			SHA256: sha("kremlin"), Reliability: "B", Credibility: 1},
		"eu": {ID: 5, Kind: "official_record", Title: "Statement by President Juncker on the US sanctions bill against Russia",
			URL: "https://ec.example/presscorner/statement_17_2157", Publisher: "European Commission", Author: "Jean-Claude Juncker",
			PublishedAt: atp(-7 * 24 * 60), RetrievedAt: atp(24 * 60), HTTPStatus: 200, ContentType: "text/html",
			SHA256: sha("eu"), Reliability: "A", Credibility: 2},
		"lemonde": {ID: 6, Kind: "news_report", Title: "Moscou riposte aux sanctions américaines",
			URL: "https://journal.example/international/2017/07/31/moscou-riposte", Publisher: "Le Journal d’Exemple", Author: "Benoît Vitkine",
			PublishedAt: atp(-600), RetrievedAt: atp(40), HTTPStatus: 200, ContentType: "text/html",
			SHA256: sha("lemonde"), Reliability: "B", Credibility: 3},
		"withheld": {ID: 7, Kind: "interview", Title: withheldTitle, URL: withheldURL, Publisher: "US State Department",
			Author: withheldName, ArchivedURL: withheldURL + "/copy", RetrievedAt: atp(24*60 + 60), SHA256: sha("withheld"),
			Reliability: "B", Credibility: 2, Withheld: true,
			WithheldReason: "Spoke on condition of anonymity; identity protected under the newsroom’s source policy."},
		"wikileaks": {ID: 8, Kind: "dataset", Title: "Search the DNC email database", URL: "https://wikileaks.org/dnc-emails/",
			Publisher: "WikiLeaks", RetrievedAt: atp(45), HTTPStatus: 200, ContentType: "text/html", SHA256: sha("wikileaks"),
			Reliability: "C", Credibility: 3},
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// fixtureCitation describes a citation: sentence number, relation, source,
// excerpt, locator.
type fixtureCitation struct {
	n        int
	rel      codebook.Relation
	src      string
	excerpt  string
	locator  string
	minutes  int
	citedBy  string
	citation int64
}

var fixtureCitations = []fixtureCitation{
	{1, codebook.Supports, "wire", "", "", 60, "ana.lima", 0},
	{2, codebook.Supports, "wire", "“755 people must stop their activity in Russia,” Putin said.", "para. 2", 61, "ana.lima", 0},
	{4, codebook.Origin, "odni", "We assess Russian President Vladimir Putin ordered an influence campaign in 2016 aimed at the US presidential election.", "p. ii", 65, "ana.lima", 0},
	{4, codebook.Supports, "odni", "", "p. ii", 66, "ana.lima", 0},
	{7, codebook.Supports, "odni", "We assess Russian President Vladimir Putin ordered an influence campaign in 2016 aimed at the US presidential election.", "p. ii", 70, "ana.lima", 0},
	{8, codebook.Supports, "odni", "Russian military intelligence (GRU) used the Guccifer 2.0 persona, DCLeaks.com, and WikiLeaks to release US victim data.", "p. 2–3", 72, "ana.lima", 0},
	{10, codebook.Context, "wikileaks", "", "", 75, "ana.lima", 0},
	{14, codebook.Supports, "congress", "Passed House (419–3).", "Roll no. 413", 80, "ana.lima", 0},
	{15, codebook.Contradicts, "eu", "The US bill could have unintended unilateral effects that impact the EU’s energy security interests.", "", 24*60 + 30, "ana.lima", 0},
	{16, codebook.Supports, "congress", "Title II — Sanctions with respect to the Russian Federation", "sec. 225–228", 82, "ana.lima", 0},
	{17, codebook.Context, "wire", "", "", 85, "ana.lima", 0},
	{22, codebook.Origin, "kremlin", "", "00:41:10", 90, "ben.okafor", 0},
	{23, codebook.Origin, "kremlin", "We waited for quite a long time that, perhaps, something will change for the better", "00:41:32", 91, "ben.okafor", 0},
	{24, codebook.Origin, "kremlin", "", "00:41:45", 92, "ben.okafor", 0},
	{25, codebook.Origin, "kremlin", "755 will have to stop this activity", "00:41:58", 93, "ben.okafor", 0},
	{26, codebook.Supports, "lemonde", "Moscou va aussi saisir deux propriétés diplomatiques américaines.", "§ 4", 95, "ana.lima", 0},
	{27, codebook.Supports, "withheld", withheldQuote, "notes, p. 2", 24*60 + 65, "ana.lima", 0},
	{27, codebook.Supports, "wire", "", "para. 5", 96, "ana.lima", 0},
}

type fixtureAttribution struct {
	speaker, kind, cue, medium string
	carried                    bool
}

var fixtureAttributions = map[int]fixtureAttribution{
	2:  {"Vladimir Putin", "person", "has announced", "", false},
	4:  {"US intelligence agencies", "organization", "according to", "", false},
	7:  {"US intelligence agencies", "organization", "is reported to", "", true},
	8:  {"US intelligence agencies", "organization", "", "", true},
	9:  {"US intelligence agencies", "organization", "", "", true},
	12: {"Donald Trump", "person", "has said", "", false},
	15: {"European Union", "organization", "condemned", "", false},
	17: {"Vladimir Putin", "person", "denied", "", false},
	18: {"Vladimir Putin", "person", "threatened", "", false},
	20: {"Donald Trump", "person", "indicated", "", false},
	22: {"Vladimir Putin", "person", "said", "an interview with Vesti TV", false},
	23: {"Vladimir Putin", "person", "", "an interview with Vesti TV", true},
	24: {"Vladimir Putin", "person", "", "an interview with Vesti TV", true},
	25: {"Vladimir Putin", "person", "", "an interview with Vesti TV", true},
	26: {"Russian government", "", "has announced", "", false},
}

// seedFactCheckURL is where the fixture's newsroom published its check.
const seedFactCheckURL = "https://factdesk.example/fact-checks/2017/08/755-us-diplomats"

// seedReport builds the fixture report from the shared example article.
func seedReport(t testing.TB) *Report {
	t.Helper()
	body, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatalf("read seed article: %v", err)
	}
	raw, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatalf("read gold: %v", err)
	}
	var gold struct {
		Sentences []goldSentence `json:"sentences"`
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatalf("parse gold: %v", err)
	}
	runes := []rune(string(body))
	sources := fixtureSources()
	r := &Report{
		Generated:    Generated{At: at(30*60 + 6*60), By: "audit.desk", Version: "v0.1.0-test", URL: "https://factdesk.example/articles/1/report"},
		Organisation: Organisation{Name: "Factdesk Verification Desk", URL: "https://factdesk.example"},
		Article: Article{
			ID: 1, Title: "755 US diplomats ousted", Outlet: "The Daily Example", Byline: "Zoë Ångström and José Núñez",
			URL: "https://daily.example/world/2017/07/31/755-us-diplomats-ousted", FactCheckURL: seedFactCheckURL, Language: "en",
			PublishedAt: atp(-150 - 24*60), ImportedAt: at(-5), ImportedBy: "ana.lima", State: "approved",
			BodySHA256: sha(string(body)), Revision: 1, RevisionCount: 1, Body: string(body),
		},
		Method: DefaultMethod(codebook.DefaultScale()),
	}
	for i, g := range gold.Sentences {
		if got := string(runes[g.Start:g.End]); got != g.Text {
			t.Fatalf("gold sentence %d: body[%d:%d] = %q, want %q", g.N, g.Start, g.End, got, g.Text)
		}
		s := Sentence{
			ID: int64(100 + g.N), Index: i, Number: g.N, Paragraph: g.Paragraph, Start: g.Start, End: g.End, Text: g.Text,
			Quote: "none", Label: codebook.Label(g.Label), Status: codebook.Labeled,
			LabeledBy: "ana.lima", LabeledAt: atp(30 + 2*g.N), Citations: []Citation{},
		}
		switch g.N {
		case 23:
			s.Quote = "open"
		case 24:
			s.Quote = "inside"
		case 25:
			s.Quote = "close"
		case 18:
			s.Quote = "whole"
		}
		if g.N >= 22 && g.N <= 25 {
			s.LabeledBy = "ben.okafor"
		}
		if g.N == 14 || g.N == 16 || g.N == 26 || g.N == 27 {
			s.AcceptedSuggestion = true
			s.Suggestion = &Suggestion{Label: s.Label, Confidence: 0.85, Reasons: []string{"no attribution cue"},
				Reviewer: "rules", Version: "1"}
		}
		if g.N == 5 { // a suggestion the checker did not take
			s.Suggestion = &Suggestion{Label: codebook.Assessment, Confidence: 0.4, Reviewer: "rules", Version: "1"}
		}
		if a, ok := fixtureAttributions[g.N]; ok {
			s.Attribution = &Attribution{Speaker: a.speaker, SpeakerKind: a.kind, Cue: a.cue, Medium: a.medium, CarriedOver: a.carried}
		}
		if g.Exclude != "" {
			s.Status = codebook.Excluded
			s.ExcludeReason = map[string]string{"truncated": "truncated teaser fragment", "duplicate": "duplicate of sentence 4"}[g.Exclude]
			s.CheckedBy, s.CheckedAt = "ana.lima", atp(100+g.N)
		}
		r.Sentences = append(r.Sentences, s)
	}
	for i, fc := range fixtureCitations {
		s := &r.Sentences[fc.n-1]
		s.Citations = append(s.Citations, Citation{
			ID: int64(200 + i), Relation: fc.rel, Excerpt: fc.excerpt, Locator: fc.locator,
			AddedBy: fc.citedBy, AddedAt: atp(fc.minutes), Source: sources[fc.src],
		})
		if s.Status == codebook.Labeled {
			s.Status = codebook.Verified
			s.CheckedBy, s.CheckedAt = fc.citedBy, atp(fc.minutes+1)
		}
	}
	for _, n := range []int{10, 17} { // context alone does not verify
		r.Sentences[n-1].Status, r.Sentences[n-1].CheckedBy, r.Sentences[n-1].CheckedAt = codebook.Labeled, "", nil
	}
	s := &r.Sentences[14]
	s.Status, s.Verdict, s.ClaimReviewed = codebook.Disputed, "Mostly false", "The European Union condemned the US sanctions on Russia"
	s.Note = "The Commission voiced concern about energy security; no condemnation found."
	r.Sentences[1].Verdict = "True"
	r.Sentences[15].Verdict = "True"
	r.Sentences[15].ClaimReviewed = "The sanctions bill targets Russian energy, finance, shipping and mining"
	s = &r.Sentences[19]
	s.Status, s.Verdict, s.CheckedBy, s.CheckedAt = codebook.Unverifiable, "Unproven", "ana.lima", atp(24*60+70)
	s.Note = "No White House statement found on 1 August 2017."
	r.Sentences[12].Note = "+ check the DoJ statement once published"
	r.Sentences[2].Note = "=HYPERLINK(\"https://evil.example\",\"click\")"

	r.Rounds = []Round{
		{Number: 1, OpenedAt: at(0), OpenedBy: "ana.lima", SubmittedBy: "ana.lima", SubmittedAt: atp(6 * 60),
			DecidedBy: "mo.keller", DecidedAt: atp(8*60 + 30), Decision: "changes_requested",
			DecisionComment: "Sentence 15: “condemned” needs a source — find the EU’s own statement.",
			Comments: []Comment{
				{ID: 301, At: at(8*60 + 10), By: "mo.keller", SentenceIndex: intp(14), Kind: "change_request", Body: "Is “condemned” what the EU said? Find the statement.",
					Resolved: true, ResolvedBy: "ana.lima", ResolvedAt: atp(24*60 + 31)},
				{ID: 302, At: at(8*60 + 20), By: "mo.keller", Kind: "comment", Body: "Check the 455 figure with a second source.",
					Resolved: true, ResolvedBy: "ana.lima", ResolvedAt: atp(24*60 + 66)},
			}},
		{Number: 2, OpenedAt: at(24 * 60), OpenedBy: "ana.lima", SubmittedBy: "ana.lima", SubmittedAt: atp(26 * 60),
			DecidedBy: "mo.keller", DecidedAt: atp(29 * 60), Decision: "approved",
			DecisionComment: "Approved. Good catch on the EU statement.",
			Comments: []Comment{
				{ID: 303, At: at(25 * 60), By: "ben.okafor", SentenceIndex: intp(19), Kind: "comment", ReplyTo: int64p(302), Body: "Trump’s intentions: I could not find a primary source either."},
			}},
	}
	r.Revisions = []Revision{{Number: 1, ImportedAt: at(-5), ImportedBy: "ana.lima", Title: r.Article.Title, BodySHA256: r.Article.BodySHA256, Sentences: len(r.Sentences)}}
	r.Summary = Summarize(r.Sentences, r.Rounds)
	r.Summary.Agreement = &Agreement{
		Raters: []string{"ana.lima", Machine}, Items: 28,
		Pairs: []PairAgreement{{Raters: [2]string{"ana.lima", Machine}, N: 28, Observed: f64(0.821), CohenKappa: f64(0.744), GwetAC1: f64(0.781)}},
		Note:  "Machine reviewer suggestions against the checker’s final labels.",
	}
	r.Audit = fixtureAudit()
	return r
}

func intp(i int) *int              { return &i }
func f64(f float64) *float64       { return &f }
func raw(s string) json.RawMessage { return json.RawMessage(s) }

// fixtureAudit builds a small audit trail with a real hash chain.
func fixtureAudit() Audit {
	events := []Event{
		{At: at(-5), Actor: "ana.lima", Action: "article.import", Entity: "article", EntityID: 1, After: raw(`{"title":"755 US diplomats ousted","revision":1}`)},
		{At: at(32), Actor: "ana.lima", Action: "label.set", Entity: "sentence", EntityID: 101, After: raw(`{"label":"fact"}`)},
		{At: at(58), Actor: "ana.lima", Action: "label.set", Entity: "sentence", EntityID: 114, Before: raw(`{"label":""}`), After: raw(`{"label":"fact","accepted_suggestion":true}`)},
		{At: at(60), Actor: "ana.lima", Action: "source.create", Entity: "source", EntityID: 1, After: raw(`{"title":"Putin says 755 US diplomatic staff must leave Russia"}`)},
		{At: at(6 * 60), Actor: "ana.lima", Action: "review.submit", Entity: "article", EntityID: 1, Before: raw(`{"state":"in_review"}`), After: raw(`{"state":"submitted"}`)},
		{At: at(8*60 + 30), Actor: "mo.keller", Action: "review.request_changes", Entity: "article", EntityID: 1, Before: raw(`{"state":"submitted"}`), After: raw(`{"state":"changes_requested"}`)},
		{At: at(24*60 + 30), Actor: "ana.lima", Action: "verdict.set", Entity: "sentence", EntityID: 115, Before: raw(`{"verdict":""}`), After: raw(`{"verdict":"Mostly false","status":"disputed"}`)},
		{At: at(24*60 + 64), Actor: "ana.lima", Action: "source.create", Entity: "source", EntityID: 7, After: raw(`{"title":"` + withheldTitle + `","url":"` + withheldURL + `","withheld":true}`)},
		{At: at(24*60 + 65), Actor: "ana.lima", Action: "citation.create", Entity: "citation", EntityID: 216, After: raw(`{"source_id":7,"excerpt":"` + withheldQuote + `"}`)},
		{At: at(26 * 60), Actor: "ana.lima", Action: "review.submit", Entity: "article", EntityID: 1, Before: raw(`{"state":"in_review"}`), After: raw(`{"state":"submitted"}`)},
		{At: at(29 * 60), Actor: "mo.keller", Action: "review.approve", Entity: "article", EntityID: 1, Before: raw(`{"state":"submitted"}`), After: raw(`{"state":"approved"}`)},
		{At: at(30*60 + 6*60), Actor: "audit.desk", Action: "report.export", Entity: "article", EntityID: 1, After: raw(`{"format":"json"}`)},
	}
	prev := ""
	for i := range events {
		e := &events[i]
		e.Seq = int64(i + 1)
		e.PrevHash = prev
		e.Hash = sha(prev + e.At.Format(time.RFC3339) + e.Actor + e.Action + string(e.Before) + string(e.After))
		prev = e.Hash
	}
	return Audit{Events: events, Verification: Verification{
		OK: true, CheckedAt: at(30*60 + 6*60), Events: len(events), HeadHash: prev, ChainOK: true, ReplayOK: true,
	}}
}

// tampered returns a copy of r whose audit trail failed verification, as
// the store reports an event changed in the database.
func tampered(r *Report) *Report {
	c := *r
	c.Audit.Verification = Verification{
		OK: false, CheckedAt: r.Audit.Verification.CheckedAt, Events: r.Audit.Verification.Events,
		HeadHash: r.Audit.Verification.HeadHash, ChainOK: false, ReplayOK: true,
		Problems: []string{"event 7: stored hash does not match its content (verdict changed after the fact)"},
	}
	return &c
}

func int64p(n int64) *int64 { return &n }
