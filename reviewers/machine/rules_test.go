package machine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"factdesk/codebook"
	"factdesk/segment"
)

var _ Reviewer = (*Rules)(nil)

// sentences builds a reviewer's input from paragraphs of sentences, as an
// import would: byte offsets as if joined by blank lines, attributions
// from attribution.Extract, quotation context left to the marks.
func sentences(paras ...[]string) []Sentence {
	var segs []segment.Sentence
	var text strings.Builder
	for p, ss := range paras {
		if p > 0 {
			text.WriteString("\n")
		}
		for _, s := range ss {
			segs = append(segs, segment.Sentence{Paragraph: p, Index: len(segs), Start: text.Len(), End: text.Len() + len(s), Text: s, Quote: segment.QuoteNone})
			text.WriteString(s + " ")
		}
		text.WriteString("\n")
	}
	return SentencesFrom(text.String(), segs)
}

// suggest runs the rules on paras and returns the suggestion for sentence at.
func suggest(t *testing.T, at int, paras ...[]string) Suggestion {
	t.Helper()
	in := sentences(paras...)
	got, err := NewRules().Suggest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(in) {
		t.Fatalf("got %d suggestions for %d sentences", len(got), len(in))
	}
	return got[at]
}

func hasReason(s Suggestion, prefix string) bool {
	for _, r := range s.Reasons {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

func TestRuleLabels(t *testing.T) {
	tests := []struct {
		name   string
		paras  [][]string
		at     int
		want   codebook.Label
		reason string // a reason that must be given, by its start
	}{
		// Quotations.
		{"opening sentence of a quotation", [][]string{{"The coach spoke after the match.", "“We were slow.", "We were careless.", "We deserved to lose,” he said."}}, 1, codebook.Quote, "opens a direct quotation"},
		{"sentence inside a quotation", [][]string{{"The coach spoke after the match.", "“We were slow.", "We were careless.", "We deserved to lose,” he said."}}, 2, codebook.Quote, "inside a direct quotation"},
		{"closing sentence of a quotation", [][]string{{"The coach spoke after the match.", "“We were slow.", "We were careless.", "We deserved to lose,” he said."}}, 3, codebook.Quote, "closes a direct quotation"},
		{"judgement inside a quotation is the speaker's", [][]string{{"“This is a shameful, reckless decision,” the senator said."}}, 0, codebook.Quote, "a direct quotation"},
		{"whole quoted sentence after a speaker", [][]string{{"“Families are struggling,” the bishop said.", "“The state must help them.”"}}, 1, codebook.Quote, "a direct quotation"},
		// Speech verbs with a speaker.
		{"indirect speech", [][]string{{"The mayor said the bridge would reopen in May."}}, 0, codebook.Quote, "speech verb with a speaker: the mayor said"},
		{"threat", [][]string{{"When the vote passed, the minister threatened that the party would walk out."}}, 0, codebook.Quote, "speech verb with a speaker"},
		// Attribution cues and hedges.
		{"according to", [][]string{{"According to the health ministry, 40 people died in the fire."}}, 0, codebook.Allegation, "attributed: according to the health ministry"},
		{"reportedly", [][]string{{"The firm reportedly paid $2m to settle the case."}}, 0, codebook.Allegation, "hedged: reportedly"},
		{"is reported to", [][]string{{"The minister is reported to have resigned on Friday."}}, 0, codebook.Allegation, "hedged: is reported to"},
		{"passive accusation", [][]string{{"Three officers are accused of falsifying reports."}}, 0, codebook.Allegation, "hedged: are accused of"},
		{"claim", [][]string{{"Critics claim the new law is unconstitutional."}}, 0, codebook.Allegation, "attributed claim: Critics claim"},
		{"accusation", [][]string{{"The opposition accused the government of hiding the deficit."}}, 0, codebook.Allegation, "attributed claim"},
		{"finding of a study", [][]string{{"A study of 2,000 patients found that the drug halved deaths."}}, 0, codebook.Allegation, "attributed claim"},
		// Carry-over.
		{"carried over with it", [][]string{{"According to prosecutors, the firm hid losses of $40m.", "It also shredded documents."}}, 1, codebook.Allegation, "continues a claim attributed to prosecutors (sentence 1)"},
		{"after speech, a plain continuation stays a fact", [][]string{{"The ministry said the activist was held for organising protests.", "He faces up to five years in prison."}}, 1, codebook.Fact, "no attribution, quotation or judgement"},
		{"a bare passive borrows the source", [][]string{{"According to US officials, the group planned the attack.", "The group is reported to have trained abroad."}}, 1, codebook.Allegation, "hedged: is reported to (source: US officials)"},
		// The outlet's voice and the writer's judgement.
		{"our assessment", [][]string{{"Our assessment is that the ceasefire will not hold."}}, 0, codebook.Assessment, "first-person outlet voice: Our assessment"},
		{"we believe", [][]string{{"We believe the council made the wrong call."}}, 0, codebook.Assessment, "first-person outlet voice: We believe"},
		{"evaluative word", [][]string{{"The president has been enigmatic about the deal."}}, 0, codebook.Assessment, "evaluative word: enigmatic"},
		{"would worry", [][]string{{"What would worry the board most is a second strike."}}, 0, codebook.Assessment, "evaluative word: worry"},
		{"unless", [][]string{{"Unless the bank acts, prices will keep rising."}}, 0, codebook.Assessment, "condition: Unless"},
		{"condition alone", [][]string{{"Unless the talks resume, the vote risks being seen as a formality."}}, 0, codebook.Assessment, "condition: Unless"},
		{"perhaps", [][]string{{"Relations are perhaps at their lowest point since the war."}}, 0, codebook.Assessment, "hedge: perhaps"},
		{"prescription", [][]string{{"The government should publish the report in full."}}, 0, codebook.Assessment, "modal verb: should"},
		{"conditional prediction", [][]string{{"If gas prices rise again, the recovery could stall."}}, 0, codebook.Assessment, "conditional prediction"},
		{"rhetorical question", [][]string{{"Who, then, will pay for the new stadium?"}}, 0, codebook.Assessment, "question"},
		// Checkable specifics.
		{"numbers and dates", [][]string{{"Russia ordered 755 US diplomats to leave by September 1, 2017."}}, 0, codebook.Fact, "number: 755"},
		{"plain past events", [][]string{{"The council closed the library in March."}}, 0, codebook.Fact, "date: March"},
		{"headline", [][]string{{"755 US diplomats ousted"}}, 0, codebook.Fact, "number: 755"},
		{"plain statement", [][]string{{"The bill targets energy, banking and shipping."}}, 0, codebook.Fact, "no attribution, quotation or judgement"},
		{"announcement is the news", [][]string{{"The central bank announced a cut in interest rates on Thursday."}}, 0, codebook.Fact, "announcement: the central bank announced"},
		{"public reaction", [][]string{{"The sanctions have been condemned by the European Union."}}, 0, codebook.Fact, "public reaction"},
		{"modal inside an attributed claim is the speaker's", [][]string{{"The governor said rates could rise again in 2025."}}, 0, codebook.Quote, "speech verb with a speaker"},
		{"scheduled future with numbers", [][]string{{"Staff numbers will fall to 455 after September."}}, 0, codebook.Fact, "number: 455"},
		{"could not is a past fact", [][]string{{"Reporters could not verify the claims."}}, 0, codebook.Fact, "no attribution, quotation or judgement"},
		{"alleged as an adjective", [][]string{{"The House voted to impose sanctions for its alleged role in 2016."}}, 0, codebook.Fact, "date: 2016"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := suggest(t, tc.at, tc.paras...)
			if got.Label != tc.want {
				t.Errorf("label: got %s (%.2f, %q), want %s", got.Label, got.Confidence, got.Reasons, tc.want)
			}
			if !hasReason(got, tc.reason) {
				t.Errorf("reasons: got %q, want one starting %q", got.Reasons, tc.reason)
			}
			if got.Confidence <= 0 || got.Confidence > 1 {
				t.Errorf("confidence %v outside (0,1]", got.Confidence)
			}
		})
	}
}

func TestModalInAConditionIsNoPrediction(t *testing.T) {
	got := suggest(t, 0, []string{"It was unclear whether the senate would vote on the bill."})
	if hasReason(got, "modal verb") {
		t.Errorf("reasons: got %q, want no modal verb (it is inside a whether-clause)", got.Reasons)
	}
	if !hasReason(got, "hedge: unclear") {
		t.Errorf("reasons: got %q, want hedge: unclear", got.Reasons)
	}
}

func TestAttributionIsPassedOn(t *testing.T) {
	got := suggest(t, 0, []string{"According to the health ministry, 40 people died."})
	if got.Attribution.Speaker != "the health ministry" || got.Attribution.Cue != "according to" || got.Attribution.From != 0 {
		t.Errorf("attribution: got %+v, want the health ministry, according to, from 0", got.Attribution)
	}
	plain := suggest(t, 0, []string{"The bill targets energy."})
	if !plain.Attribution.IsZero() || plain.Attribution.From != -1 {
		t.Errorf("attribution of a plain sentence: got %+v, want none", plain.Attribution)
	}
}

func TestConfidenceGrowsWhenCuesAgree(t *testing.T) {
	tests := []struct {
		name       string
		weak, more string
	}{
		{"assessment", "Prices may rise.", "Sadly, prices may well rise, and that would be a disaster."},
		{"fact", "The council closed the library.", "The council closed 12 libraries in March 2023."},
		{"allegation", "The minister reportedly resigned.", "According to two officials, the minister reportedly resigned."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			weak := suggest(t, 0, []string{tc.weak})
			more := suggest(t, 0, []string{tc.more})
			if string(weak.Label) != tc.name || string(more.Label) != tc.name {
				t.Fatalf("labels: got %s and %s, want %s", weak.Label, more.Label, tc.name)
			}
			if more.Confidence <= weak.Confidence {
				t.Errorf("confidence with more cues: got %.3f, want more than %.3f", more.Confidence, weak.Confidence)
			}
		})
	}
}

func TestSuggestKeepsOrderAndLength(t *testing.T) {
	in := sentences([]string{"The bill targets energy.", "Our assessment is that it will fail."}, []string{"“We will fight on,” she said."})
	got, err := NewRules().Suggest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := []codebook.Label{codebook.Fact, codebook.Assessment, codebook.Quote}
	if len(got) != len(want) {
		t.Fatalf("got %d suggestions, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Label != want[i] {
			t.Errorf("sentence %d: got %s, want %s", i, got[i].Label, want[i])
		}
	}
	empty, err := NewRules().Suggest(context.Background(), nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("no sentences: got %v, %v; want none, nil", empty, err)
	}
}

func TestSuggestHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewRules().Suggest(ctx, sentences([]string{"The bill targets energy."}))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestSegmenterQuoteContextIsUsed(t *testing.T) {
	// A quotation running across paragraphs: the segmenter knows the
	// second paragraph is still inside it; the marks alone do not.
	in := sentences([]string{"The coach said the season was over."}, []string{"Nobody played well.", "Nobody cared.”"})
	in[1].Quote, in[2].Quote = segment.QuoteInside, segment.QuoteClose
	got, err := NewRules().Suggest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{1, 2} {
		if got[i].Label != codebook.Quote {
			t.Errorf("sentence %d: got %s (%q), want quote", i, got[i].Label, got[i].Reasons)
		}
	}
}

func TestNameAndVersion(t *testing.T) {
	r := NewRules()
	if r.Name() != "rules" {
		t.Errorf("Name() = %q, want rules", r.Name())
	}
	if v := r.Version(); !strings.HasPrefix(v, rulesVersion+"+") || len(v) < len(rulesVersion)+10 {
		t.Errorf("Version() = %q, want %s+<hash of the word lists>", v, rulesVersion)
	}
}

func TestParseLexicon(t *testing.T) {
	if _, err := parseLexicon(wordsTxt); err != nil {
		t.Fatalf("embedded words.txt: %v", err)
	}
	tests := []struct{ name, src, wantErr string }{
		{"entry before a section", "would\n[modal]\n", "before any section"},
		{"repeated section", "[modal]\nwould\n[modal]\ncould\n", "repeated"},
		{"missing section", "[modal]\nwould\n", "missing or empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLexicon(tc.src)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestConcurrentSuggest(t *testing.T) {
	r := NewRules()
	in := sentences([]string{"According to the army, rebels shelled the town.", "It also shelled a school.", "“We will win,” he said."})
	want, err := r.Suggest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := r.Suggest(context.Background(), sentences([]string{"According to the army, rebels shelled the town.", "It also shelled a school.", "“We will win,” he said."}))
			if err == nil {
				for i := range got {
					if got[i].Label != want[i].Label || got[i].Confidence != want[i].Confidence {
						err = errors.New("different suggestions from the same input")
					}
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
