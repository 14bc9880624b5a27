package export

import (
	"fmt"
	"strings"
	"testing"
)

// largeReport builds a report of n sentences by repeating the fixture
// article, with one audit event per sentence, for benchmarks and for the
// bulk memory test.
func largeReport(t testing.TB, n int) *Report {
	t.Helper()
	seed := seedReport(t)
	return growReport(seed, n)
}

// growReport repeats seed's body and sentences until there are n.
func growReport(seed *Report, n int) *Report {
	r := *seed
	per := len(seed.Sentences)
	copies := (n + per - 1) / per
	bodyLen := len([]rune(seed.Article.Body))
	r.Article.Body = strings.Repeat(seed.Article.Body, copies)
	r.Sentences = make([]Sentence, 0, n)
	events := make([]Event, 0, len(seed.Audit.Events)+n)
	events = append(events, seed.Audit.Events...)
	for i := 0; i < n; i++ {
		s := seed.Sentences[i%per]
		k := i / per
		s.ID = int64(1000 + i)
		s.Index, s.Number = i, i+1
		s.Paragraph += k * 9
		s.Start += k * bodyLen
		s.End += k * bodyLen
		r.Sentences = append(r.Sentences, s)
		events = append(events, Event{
			Seq: int64(len(events) + 1), At: seed.Generated.At, Actor: s.LabeledBy, Action: "label.set",
			Entity: "sentence", EntityID: s.ID, After: raw(fmt.Sprintf(`{"label":%q}`, s.Label)),
			Hash: sha(fmt.Sprint(i)), PrevHash: sha(fmt.Sprint(i - 1)),
		})
	}
	r.Audit.Events = events
	r.Audit.Verification.Events = len(events)
	r.Summary = Summarize(r.Sentences, r.Rounds)
	r.Summary.Agreement = seed.Summary.Agreement
	return &r
}
