package attribution

import (
	"reflect"
	"strings"
	"testing"

	"factdesk/internal/brat"
	"factdesk/postag"
	"factdesk/segment"
)

// readerArticle is written for these tests: a stated speaker, a quote
// whose "she" must resolve, no attribution, "according to", an apposed
// name with a belief cue, a surname and a "he".
const readerArticle = "Senator Jane Holloway said on Monday that the bridge would close in May. “We have no choice,” she told reporters.\n\n" +
	"The city council approved the budget by seven votes to two. The mayor, according to a spokesman, was not consulted. " +
	"Mr. Daniel Okafor, the council leader, believes the vote was rushed.\n\n" +
	"Okafor warned that costs would rise. He added that the bridge was safe."

// spanText returns the text of a's spans of role, joined by " | ".
func spanText(text string, a Attribution, role string) string {
	var parts []string
	for _, p := range a.Spans {
		if p.Role == role {
			parts = append(parts, text[p.Start:p.End])
		}
	}
	return strings.Join(parts, " | ")
}

// TestReadArticle reads an article written for the test with the
// embedded weights and checks what a checker would accept: speakers
// (pronouns and surnames resolved, titles and appositions dropped), cues,
// the spans' words and a confidence for every attribution.
func TestReadArticle(t *testing.T) {
	segs := segment.Split(readerArticle)
	got := Read(segs)
	if len(got) != len(segs) {
		t.Fatalf("%d attributions for %d sentences", len(got), len(segs))
	}
	tests := []struct {
		speaker, cue, source, content string
		zero                          bool
	}{
		{speaker: "Jane Holloway", cue: "said", source: "Senator Jane Holloway", content: "the bridge would close in May"},
		{speaker: "Jane Holloway", cue: "told", source: "she", content: "We have no choice"},
		{zero: true},
		{speaker: "a spokesman", cue: "according to", source: "a spokesman"},
		{speaker: "Daniel Okafor", cue: "believes", source: "Daniel Okafor", content: "the vote was rushed"},
		{speaker: "Daniel Okafor", cue: "warned", source: "Okafor", content: "costs would rise"},
		{speaker: "Daniel Okafor", cue: "added", source: "He", content: "the bridge was safe"},
	}
	if len(segs) != len(tests) {
		t.Fatalf("split into %d sentences, want %d", len(segs), len(tests))
	}
	for i, tc := range tests {
		a := got[i]
		if tc.zero {
			if !a.IsZero() || len(a.Spans) > 0 {
				t.Errorf("sentence %d: got %+v, want no attribution", i, a)
			}
			continue
		}
		if a.Speaker != tc.speaker || a.Cue != tc.cue {
			t.Errorf("sentence %d: speaker %q cue %q, want %q %q", i, a.Speaker, a.Cue, tc.speaker, tc.cue)
		}
		if src := spanText(readerArticle, a, RoleSource); !strings.Contains(src, tc.source) {
			t.Errorf("sentence %d: source span %q, want it to hold %q", i, src, tc.source)
		}
		if con := spanText(readerArticle, a, RoleContent); !strings.Contains(con, tc.content) {
			t.Errorf("sentence %d: content span %q, want it to hold %q", i, con, tc.content)
		}
		if a.Confidence < 0.5 || a.Confidence > 1 {
			t.Errorf("sentence %d: confidence %.2f, want one in [0.5, 1] for an attribution given", i, a.Confidence)
		}
		for _, p := range a.Spans {
			if p.Start < 0 || p.End > len(readerArticle) || p.Start >= p.End {
				t.Errorf("sentence %d: span %+v outside the text", i, p)
			}
		}
	}
}

// TestReadCarriesQuotation checks the two directions a multi-sentence
// quotation takes its speaker from: the sentence before that names it,
// and the sentence after ("“A. B,” she said.").
func TestReadCarriesQuotation(t *testing.T) {
	text := "The minister said the plan was sound. “It will pay for itself within ten years. Nobody will lose their job.”\n\n" +
		"“We are ready. The money is there,” said Maria Keller, the finance director."
	segs := segment.Split(text)
	got := Read(segs)
	wants := []string{"", "", "", "Maria Keller", "Maria Keller"}
	for i, w := range wants {
		if w != "" && got[i].Speaker != w {
			t.Errorf("sentence %d %q: speaker %q, want %q", i, segs[i].Text, got[i].Speaker, w)
		}
	}
	for i := 1; i <= 2; i++ {
		if got[i].IsZero() || !got[i].CarriedOver || got[i].From != 0 {
			t.Errorf("sentence %d %q: got %+v, want it carried over from sentence 0", i, segs[i].Text, got[i])
		}
	}
	if !got[3].CarriedOver || got[3].From != 4 {
		t.Errorf("sentence 3: got %+v, want the speaker named after it (sentence 4)", got[3])
	}
}

// TestResolve checks coreference on names the test writes: pronouns by
// gender and recency, surnames and "Mr." to the full name, "the senator"
// to the senator, and a name with initials and a party tag kept whole.
func TestResolve(t *testing.T) {
	text := "Sen. Ted Cruz met Rep. G. K. Butterfield (D-N.C.) and Hillary Clinton in Raleigh on Tuesday. " +
		"Barack Obama was not there."
	segs := segment.Split(text)
	sents := readSentences(segs, analyse(segs), ExtractRules(segs), postag.Default().TagTokens)
	who := findPeople(sents)
	end := len(text)
	tests := []struct{ surface, last, want string }{
		{"she", "", "Hillary Clinton"},
		{"Mr. Obama", "", "Barack Obama"},
		{"Obama", "", "Barack Obama"},
		{"the senator", "", "Ted Cruz"},
		{"Butterfield", "", "G. K. Butterfield"},
		{"he", "Ted Cruz", "Ted Cruz"},
		{"Sen. Cruz, a Texas Republican,", "", "Ted Cruz"},
		{"the union", "", "the union"},
	}
	for _, tc := range tests {
		if got := who.resolve(tc.surface, end, tc.last); got != tc.want {
			t.Errorf("resolve(%q, last speaker %q) = %q, want %q", tc.surface, tc.last, got, tc.want)
		}
	}
}

// ExtractRules is the rules' reading, for the tests.
func ExtractRules(segs []segment.Sentence) []Attribution { return extract(segs, nil) }

// tinyCorpus is annotated text the test writes: who said what, in the
// corpus's brat shape.
func tinyCorpus() []brat.Document {
	var docs []brat.Document
	names := []string{"Anna Berg", "Tom Reyes", "the agency", "Lee Park", "the mayor"}
	claims := []string{"prices will fall", "the road is closed", "the vote was fair", "taxes must rise", "the school will open"}
	for i := range 20 {
		name, claim := names[i%len(names)], claims[(i/2)%len(claims)]
		text := name + " said " + claim + ". The weather was cold."
		doc := brat.Document{Name: "tiny", Text: text}
		doc.Relations = []brat.Relation{{
			Source:  []brat.Span{{Start: 0, End: len(name)}},
			Cue:     []brat.Span{{Start: len(name) + 1, End: len(name) + 5}},
			Content: []brat.Span{{Start: len(name) + 6, End: len(name) + 6 + len(claim)}},
		}}
		docs = append(docs, doc)
	}
	return docs
}

// TestTrainReaderTiny trains a reader on a tiny corpus and checks that it
// reads a new sentence of the same shape, and that training is
// reproducible to the byte.
func TestTrainReaderTiny(t *testing.T) {
	docs := tinyCorpus()
	m := TrainReader(docs, nil, 5, 7)
	q, err := m.Quantized()
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(q, nil, nil)
	text := "Nora Quist said the bridge is safe. The weather was cold."
	got := r.Read(segment.Split(text))
	if src := spanText(text, got[0], RoleSource); src != "Nora Quist" {
		t.Errorf("source %q, want %q", src, "Nora Quist")
	}
	if cue := spanText(text, got[0], RoleCue); cue != "said" {
		t.Errorf("cue %q, want said", cue)
	}
	if con := spanText(text, got[0], RoleContent); con != "the bridge is safe" {
		t.Errorf("content %q, want %q", con, "the bridge is safe")
	}
	if !got[1].IsZero() {
		t.Errorf("second sentence: got %+v, want none", got[1])
	}
	var a, b strings.Builder
	if err := m.Encode(&a); err != nil {
		t.Fatal(err)
	}
	if err := TrainReader(docs, nil, 5, 7).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("training twice on the same corpus with the same seed gave different weights")
	}
}

// TestScores checks the evaluation's counting on a document whose
// reading the test writes.
func TestScores(t *testing.T) {
	text := "Anna Berg said prices will fall. The weather was cold. She added that rents would rise."
	doc := brat.Document{Name: "t", Text: text, Relations: []brat.Relation{
		{Source: []brat.Span{{Start: 0, End: 9}}, Cue: []brat.Span{{Start: 10, End: 14}}, Content: []brat.Span{{Start: 15, End: 31}}},
		{Source: []brat.Span{{Start: 55, End: 58}}, Cue: []brat.Span{{Start: 59, End: 64}}, Content: []brat.Span{{Start: 65, End: 87}}},
	}}
	segs := segment.Split(text)
	attrs := []Attribution{
		{Speaker: "Anna Berg", Cue: "said", From: 0, Spans: []Part{{RoleSource, 0, 9}, {RoleCue, 10, 14}, {RoleContent, 15, 31}}},
		{From: -1},
		{Speaker: "Tom Reyes", Cue: "added", From: 2, Spans: []Part{{RoleSource, 55, 58}, {RoleCue, 59, 64}, {RoleContent, 70, 87}}},
	}
	var sc Scores
	sc.Add(doc, segs, attrs, func(start, end int) string {
		if text[start:end] == "She" {
			return "Berg"
		}
		return ""
	})
	if sc.Gold != 2 || sc.Predicted != 2 || sc.Both != 2 {
		t.Errorf("detection gold %d predicted %d both %d, want 2 2 2", sc.Gold, sc.Predicted, sc.Both)
	}
	if sc.SpeakerGold != 2 || sc.SpeakerHead != 2 || sc.SpeakerExact != 2 {
		t.Errorf("speaker of %d: head %d exact %d, want 2 2 2 (the span \"She\" is the annotated source)", sc.SpeakerGold, sc.SpeakerHead, sc.SpeakerExact)
	}
	if sc.PronounGold != 1 || sc.PronounRight != 0 {
		t.Errorf("pronouns %d right %d, want 1 and 0 (Tom Reyes is not Berg)", sc.PronounGold, sc.PronounRight)
	}
	if sc.CueGold != 2 || sc.CueHead != 2 {
		t.Errorf("cues %d right %d, want 2 2", sc.CueGold, sc.CueHead)
	}
	// Content: 14 + 18 letters annotated; the reader missed "that" (4).
	if sc.ContentGold != 32 || sc.ContentPredicted != 28 || sc.ContentBoth != 28 {
		t.Errorf("content gold %d predicted %d both %d, want 32 28 28", sc.ContentGold, sc.ContentPredicted, sc.ContentBoth)
	}
}

// BenchmarkRead measures the learned reader per sentence beside the rules
// it replaces (BenchmarkRules), on the same article.
func BenchmarkRead(b *testing.B) {
	benchReading(b, Read)
}

// BenchmarkRules is the baseline of BenchmarkRead.
func BenchmarkRules(b *testing.B) {
	benchReading(b, Extract)
}

func benchReading(b *testing.B, read func([]segment.Sentence) []Attribution) {
	text := strings.Repeat(readerArticle+"\n\n", 20)
	segs := segment.Split(text)
	read(segs) // the embedded weights load once
	b.ResetTimer()
	for range b.N {
		read(segs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(segs))/1000, "µs/sentence")
}

// TestReadParallel checks that tagging paragraphs on several goroutines
// gives exactly what one pass over the article gives.
func TestReadParallel(t *testing.T) {
	text := strings.Repeat(readerArticle+"\n\n", 160)
	segs := segment.Split(text)
	if len(segs) < 4*chunkSentences {
		t.Fatalf("%d sentences: too few to spread", len(segs))
	}
	r := Default()
	infos, rules := analyse(segs), extract(segs, nil)
	sents, tags := r.tagParallel(segs, infos, rules)
	one := readSentences(segs, infos, rules, r.tag)
	oneTags := tagSentences(r.model, one)
	if !reflect.DeepEqual(tags, oneTags) {
		t.Fatal("the tags differ from one pass's")
	}
	if !reflect.DeepEqual(readAttributions(sents, tags), readAttributions(one, oneTags)) {
		t.Fatal("the attributions differ from one pass's")
	}
}

// TestReadNested checks that of a nested attribution the sentence's
// speaker is the outer source, the one that closes the sentence.
func TestReadNested(t *testing.T) {
	text := "The governor has learned that the audit is late, aides said."
	got := Read(segment.Split(text))[0]
	if got.Speaker != "aides" || got.Cue != "said" {
		t.Errorf("got %q %q, want the outer source: aides said", got.Speaker, got.Cue)
	}
	if src := spanText(text, got, RoleSource); !strings.Contains(src, "aides") {
		t.Errorf("source spans %q, want aides among them", src)
	}
}
