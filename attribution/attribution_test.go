package attribution

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"factdesk/ingest"
	"factdesk/internal/shared"
	"factdesk/segment"
)

// article builds sentences from paragraphs of sentences, with byte offsets
// as if the paragraphs were joined by blank lines and the quotation context
// left for the marks to tell (QuoteNone).
func article(paras ...[]string) []segment.Sentence {
	var out []segment.Sentence
	off := 0
	for p, ss := range paras {
		for _, s := range ss {
			out = append(out, segment.Sentence{Paragraph: p, Index: len(out), Start: off, End: off + len(s), Text: s, Quote: segment.QuoteNone})
			off += len(s) + 1
		}
		off++
	}
	return out
}

// want is what a test expects of one sentence's attribution. Empty
// strings are not checked, except that zero demands no attribution.
type want struct {
	speaker, cue, medium string
	carried              bool
	from                 int // checked when carried
	zero                 bool
}

func check(t *testing.T, got Attribution, w want) {
	t.Helper()
	if w.zero {
		if !got.IsZero() || got.From != -1 {
			t.Errorf("got %+v, want no attribution (From -1)", got)
		}
		return
	}
	if got.IsZero() {
		t.Fatalf("got no attribution, want %+v", w)
	}
	if got.Speaker != w.speaker {
		t.Errorf("speaker: got %q, want %q", got.Speaker, w.speaker)
	}
	if w.cue != "" && got.Cue != w.cue {
		t.Errorf("cue: got %q, want %q", got.Cue, w.cue)
	}
	if w.medium != "" && got.Medium != w.medium {
		t.Errorf("medium: got %q, want %q", got.Medium, w.medium)
	}
	if got.CarriedOver != w.carried {
		t.Errorf("carried over: got %v, want %v", got.CarriedOver, w.carried)
	}
	if w.carried && got.From != w.from {
		t.Errorf("from: got %d, want %d", got.From, w.from)
	}
}

func TestSingleSentenceRules(t *testing.T) {
	tests := []struct {
		name string
		text string
		want want
	}{
		{"according to, leading", "According to the health ministry, 40 people died in the fire.", want{speaker: "the health ministry", cue: "according to"}},
		{"according to, trailing", "Exports fell by 3% in June, according to customs data.", want{speaker: "customs data", cue: "according to"}},
		{"according to, of-phrase", "The talks collapsed, according to the head of the delegation.", want{speaker: "the head of the delegation", cue: "according to"}},
		{"X said", "The mayor said the bridge would reopen in May.", want{speaker: "the mayor", cue: "said"}},
		{"X has repeatedly insisted", "Ministers have repeatedly insisted that the budget is balanced.", want{speaker: "Ministers", cue: "insisted"}},
		{"X told", "Dr Helen Marsh told Reuters the vaccine was safe.", want{speaker: "Helen Marsh", cue: "told"}},
		{"X, who …, said", "Jane Doe, who chairs the committee, said the vote was fair.", want{speaker: "Jane Doe", cue: "said"}},
		{"Title, Name, verb", "Its spokeswoman, Ana Ruiz, warned that prices would rise.", want{speaker: "Ana Ruiz", cue: "warned"}},
		{"Name, age, said", "Tom Price, 44, said he saw the car leave.", want{speaker: "Tom Price", cue: "said"}},
		{"title before name", "Interior Minister Karl Weber threatened to close the border.", want{speaker: "Karl Weber", cue: "threatened"}},
		{"said X after a quotation", "“We will appeal,” said Maria Lopez, the club’s lawyer.", want{speaker: "Maria Lopez", cue: "said"}},
		{"said X after a comma", "The plan is unaffordable, said the finance minister.", want{speaker: "the finance minister", cue: "said"}},
		{"X said at the end", "The plan is unaffordable, the finance minister said on Tuesday.", want{speaker: "the finance minister", cue: "said"}},
		{"shared subject of two verbs", "His lawyer, Elena Sorova, called the charges absurd and said her client would appeal.", want{speaker: "Elena Sorova", cue: "said"}},
		{"sources close to", "Sources close to the negotiations said a deal was near.", want{speaker: "Sources close to the negotiations", cue: "said"}},
		{"relative clause subject", "Residents who lost their homes in the flood accused the council of negligence.", want{speaker: "Residents", cue: "accused"}},
		{"in an interview with", "In an interview with the BBC, the minister said talks had failed.", want{speaker: "the minister", cue: "said", medium: "an interview with the BBC"}},
		{"in a statement", "The company said in a statement that it would cut 300 jobs.", want{speaker: "the company", cue: "said", medium: "a statement"}},
		{"speaking to", "Speaking to Sky News, the general warned of a long war.", want{speaker: "the general", cue: "warned", medium: "Sky News"}},
		{"claim", "Critics claim the new law is unconstitutional.", want{speaker: "Critics", cue: "claim"}},
		{"active accusation", "The opposition accused the government of lying about the deficit.", want{speaker: "the opposition", cue: "accused"}},
		{"announcement", "The central bank announced a cut in interest rates.", want{speaker: "the central bank", cue: "announced"}},
		{"finding before that", "A study of 2,000 patients found that the drug halved deaths.", want{speaker: "a study of 2,000 patients", cue: "found"}},
		{"finding at the end", "Pollution fell sharply last year, a government survey found.", want{speaker: "a government survey", cue: "found"}},
		{"passive reaction with agent", "The verdict was condemned by human rights groups.", want{speaker: "human rights groups", cue: "was condemned"}},
		{"is reported to", "The minister is reported to have resigned.", want{cue: "is reported to"}},
		{"is said to", "The singer is said to be furious about the leak.", want{cue: "is said to"}},
		{"it was alleged", "It was alleged that the money was moved offshore.", want{cue: "it was alleged"}},
		{"it is understood", "It is understood that the talks will resume.", want{cue: "it is understood"}},
		{"reportedly", "The firm reportedly paid $2m to settle the case.", want{cue: "reportedly"}},
		{"allegedly", "He allegedly sold the data to a rival.", want{cue: "allegedly"}},
		{"passive accusation", "Three officers are accused of falsifying reports.", want{cue: "are accused of"}},
		{"passive with agent", "The suspect is believed by police to have fled abroad.", want{speaker: "police", cue: "is believed"}},
		{"outlet: our assessment", "Our assessment is that the ceasefire will not hold.", want{speaker: OutletSpeaker, cue: "Our assessment"}},
		{"outlet: we believe", "We believe the council made the wrong call.", want{speaker: OutletSpeaker, cue: "We believe"}},
		{"outlet: in our view", "In our view, the plan is a mistake.", want{speaker: OutletSpeaker, cue: "In our view"}},
		{"writer: in my view", "In my view, the referee got it wrong.", want{speaker: WriterSpeaker, cue: "In my view"}},
		{"outlet voice inside a quotation is the speaker's", "“We believe in peace,” the president said.", want{speaker: "the president", cue: "said"}},

		{"plain fact", "The bill targets Russian energy, financial and shipping sectors.", want{zero: true}},
		{"speech in a subordinate clause", "Shares fell 20% after the company reported weaker sales.", want{zero: true}},
		{"plain fact with numbers", "Shares in the company fell 4% on Tuesday.", want{zero: true}},
		{"capitalised noun that looks like a verb", "The United States imposed new tariffs on steel.", want{zero: true}},
		{"alleged as an adjective", "The alleged victim was taken to hospital.", want{zero: true}},
		{"its alleged role", "The House voted to impose sanctions for its alleged role.", want{zero: true}},
		{"infinitive", "She refused to say where the money went.", want{zero: true}},
		{"found as an event", "Police found a body in the river on Sunday.", want{zero: true}},
		{"passive reaction without agent", "The claims were rejected in court.", want{zero: true}},
		{"plain past events", "Wikinews, in turn, released the documents to the public.", want{zero: true}},
		{"there is", "There is also an ongoing investigation into the deal.", want{zero: true}},
		{"scare quotes only", "Officials launched an “influence campaign” against the rebels.", want{zero: true}},
		{"headline", "755 US diplomats ousted", want{zero: true}},
		{"empty", "", want{zero: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(article([]string{tc.text}))
			if len(got) != 1 {
				t.Fatalf("got %d attributions, want 1", len(got))
			}
			if !tc.want.zero && got[0].From != 0 {
				t.Errorf("from: got %d, want 0", got[0].From)
			}
			check(t, got[0], tc.want)
		})
	}
}

func TestNeighbourRules(t *testing.T) {
	tests := []struct {
		name  string
		paras [][]string
		at    int // sentence checked
		want  want
	}{
		{"he resolves to the last person named with a title", [][]string{{
			"Prime Minister Anna Berg arrived in Brussels on Monday.",
			"She said talks would continue into the night.",
		}}, 1, want{speaker: "Anna Berg", cue: "said"}},
		{"a surname resolves to the full name", [][]string{{
			"The committee heard from Anna Berg and two officials.",
		}, {
			"Berg denied any wrongdoing.",
		}}, 1, want{speaker: "Anna Berg", cue: "denied"}},
		{"medium and speaker run together", [][]string{{
			"Prime Minister Edi Rama flew to Rome.",
			"In an interview with Radio Tirana Rama said he was optimistic.",
		}}, 1, want{speaker: "Edi Rama", cue: "said", medium: "an interview with Radio Tirana"}},
		{"it carries a report over", [][]string{{
			"According to prosecutors, the firm hid losses of $40m.",
			"It also shredded documents.",
		}}, 1, want{speaker: "prosecutors", cue: "according to", carried: true, from: 0}},
		{"the company carries over", [][]string{{
			"According to the regulator, the bank broke lending rules.",
			"The bank then misled its auditors.",
		}}, 1, want{speaker: "the regulator", cue: "according to", carried: true, from: 0}},
		{"carrying goes on through a chain", [][]string{{
			"According to the indictment, the gang stole 40 cars.",
			"They sold them abroad.",
			"They also forged papers.",
		}}, 2, want{speaker: "the indictment", cue: "according to", carried: true, from: 0}},
		{"a bare passive borrows the source of a report", [][]string{{
			"According to US officials, the group planned the attack.",
			"The group is reported to have trained in the desert.",
		}}, 1, want{speaker: "US officials", cue: "is reported to", carried: true, from: 0}},
		{"he about someone else continues a report", [][]string{{
			"According to police, Smith attacked a man outside a bar.",
			"He then fled in a stolen car.",
		}}, 1, want{speaker: "police", cue: "according to", carried: true, from: 0}},
		{"quotation continues the speaker before it", [][]string{{
			"The coach said the team had let itself down.",
			"“We were slow.",
			"We were careless.",
			"We deserved to lose.”",
		}}, 2, want{speaker: "the coach", cue: "said", carried: true, from: 0}},
		{"quotation closing sentence names the speaker", [][]string{{
			"“The figures are wrong.",
			"Nobody checked them,” Pedro Alves said.",
		}}, 0, want{speaker: "Pedro Alves", cue: "said", carried: true, from: 1}},
		{"a whole quoted sentence continues the previous speaker", [][]string{{
			"“Families are struggling,” the bishop said.",
			"“The state must help them.”",
		}}, 1, want{speaker: "the bishop", cue: "said", carried: true, from: 0}},
		{"a new explicit attribution stops carrying", [][]string{{
			"According to the army, the rebels shelled the town.",
			"The rebels said they fired only at soldiers.",
		}}, 1, want{speaker: "the rebels", cue: "said"}},

		{"paragraph end stops carrying", [][]string{{
			"According to the union, the firm cut wages.",
		}, {
			"It employs 4,000 people.",
		}}, 1, want{zero: true}},
		{"a sentence that does not continue stops carrying", [][]string{{
			"According to the union, the firm cut wages.",
			"Shares rose 2% on Friday.",
			"It employs 4,000 people.",
		}}, 2, want{zero: true}},
		{"dummy it does not continue", [][]string{{
			"According to the union, the firm cut wages.",
			"It is unclear whether the cuts are legal.",
		}}, 1, want{zero: true}},
		{"he about the speaker does not continue", [][]string{{
			"Mayor Tom Hill said the deal was fair.",
			"He resigned in May.",
		}}, 1, want{zero: true}},
		{"the outlet's voice stops carrying", [][]string{{
			"According to the union, the firm cut wages.",
			"We believe the cuts were unnecessary.",
		}}, 1, want{speaker: OutletSpeaker, cue: "We believe"}},
		{"a bare hedge after speech keeps no speaker", [][]string{{
			"The governor said rates would stay high.",
			"The bank is reportedly divided.",
		}}, 1, want{cue: "reportedly"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Extract(article(tc.paras...))
			check(t, got[tc.at], tc.want)
		})
	}
}

func TestSegmenterQuoteContext(t *testing.T) {
	// The segmenter may know a sentence is inside a quotation when its
	// marks alone do not tell (a quotation spanning paragraphs).
	ss := article([]string{"The minister said the plan was sound.", "It will work.", "Nobody doubts it.”"})
	ss[1].Quote, ss[2].Quote = segment.QuoteInside, segment.QuoteClose
	got := Extract(ss)
	for _, i := range []int{1, 2} {
		check(t, got[i], want{speaker: "the minister", cue: "said", carried: true, from: 0})
	}
}

// goldSentence is one sentence of the seed article's reference reading.
type goldSentence struct {
	N          int    `json:"n"`
	Start, End int    // code points
	Text       string `json:"text"`
}

func TestSeedArticle(t *testing.T) {
	text, err := os.ReadFile(shared.Path(t, "data", "seed-article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(shared.Path(t, "data", "seed-article.gold.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gold struct{ Sentences []goldSentence }
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	ss := segment.Split(string(text))
	// Read as the import reads it: sentences 5 and 6 are excluded (a
	// teaser and a duplicate of sentence 4).
	var excluded []Exclusion
	for _, e := range ingest.Exclusions(ss) {
		excluded = append(excluded, Exclusion{Index: e.Index, Of: e.Of})
	}
	attrs := ExtractExcluding(ss, excluded)
	off := segment.NewOffsets(string(text))
	// at returns the attribution of the segment covering most of gold sentence n.
	at := func(t *testing.T, n int) Attribution {
		t.Helper()
		g := gold.Sentences[n-1]
		start, end := off.Byte(g.Start), off.Byte(g.End)
		best, most := -1, 0
		for k, s := range ss {
			if o := min(end, s.End) - max(start, s.Start); o > most {
				best, most = k, o
			}
		}
		if best < 0 {
			t.Fatalf("no segment covers sentence %d", n)
		}
		return attrs[best]
	}
	agencies := "US intelligence agencies"
	tests := []struct {
		n    int
		want want
	}{
		{4, want{speaker: agencies, cue: "according to"}},
		// The excluded teaser and duplicate get nothing; sentences 7 to 9
		// continue sentence 4, which the duplicate repeats.
		{5, want{zero: true}},
		{6, want{zero: true}},
		{7, want{speaker: agencies, cue: "is reported to", carried: true, from: 3}},
		{8, want{speaker: agencies, carried: true, from: 3}},
		{9, want{speaker: agencies, carried: true, from: 3}},
		{12, want{speaker: "Donald Trump", cue: "said"}},
		{15, want{speaker: "the European Union"}},
		{17, want{speaker: "Vladimir Putin", cue: "denied"}},
		{18, want{speaker: "Vladimir Putin", cue: "threatened"}},
		{22, want{speaker: "Vladimir Putin", cue: "said", medium: "an interview with Vesti TV"}},
		{23, want{speaker: "Vladimir Putin", cue: "said", medium: "an interview with Vesti TV", carried: true, from: 21}},
		{24, want{speaker: "Vladimir Putin", cue: "said", medium: "an interview with Vesti TV", carried: true, from: 21}},
		{25, want{speaker: "Vladimir Putin", cue: "said", medium: "an interview with Vesti TV", carried: true, from: 21}},
		{28, want{speaker: OutletSpeaker, cue: "Our assessment"}},
		// Plain statements of fact carry no attribution.
		{1, want{zero: true}},
		{3, want{zero: true}},
		{10, want{zero: true}},
		{13, want{zero: true}},
		{14, want{zero: true}},
		{16, want{zero: true}},
		{21, want{zero: true}},
		{27, want{zero: true}},
	}
	for _, tc := range tests {
		t.Run(strings.Fields(gold.Sentences[tc.n-1].Text)[0]+"_n"+itoa(tc.n), func(t *testing.T) {
			check(t, at(t, tc.n), tc.want)
		})
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// inQuotation reports whether text or the later sentence that names its
// speaker has quotation marks.
func inQuotation(text, later string) bool {
	return strings.ContainsAny(text+later, "\"“”«»")
}

// TestInvariants runs the extractor over 731 news sentences from outside
// the project, as one article of single-sentence paragraphs and as one
// paragraph, and checks what every result promises.
func TestInvariants(t *testing.T) {
	texts := newsSD(t)
	var paras [][]string
	for _, s := range texts {
		paras = append(paras, []string{s})
	}
	for name, ss := range map[string][]segment.Sentence{"paragraph each": article(paras...), "one paragraph": article(texts)} {
		t.Run(name, func(t *testing.T) {
			got := Extract(ss)
			if len(got) != len(ss) {
				t.Fatalf("got %d attributions for %d sentences", len(got), len(ss))
			}
			found := 0
			for i, a := range got {
				switch {
				case a.IsZero() && a.From != -1:
					t.Errorf("sentence %d: zero attribution with From %d", i, a.From)
				case !a.IsZero() && (a.From < 0 || a.From >= len(ss)):
					t.Errorf("sentence %d: From %d outside the article", i, a.From)
				case a.CarriedOver && a.From > i && !inQuotation(ss[i].Text, ss[a.From].Text):
					// Only a quotation's closing sentence may name its speaker after it.
					t.Errorf("sentence %d: carried from later sentence %d outside a quotation", i, a.From)
				case a.CarriedOver && a.From == i:
					t.Errorf("sentence %d: carried over from itself", i)
				case !a.IsZero() && !a.CarriedOver && a.From != i:
					t.Errorf("sentence %d: stated here but From %d", i, a.From)
				}
				if !a.IsZero() {
					found++
					if a.Cue == "" {
						t.Errorf("sentence %d: attribution without a cue: %+v", i, a)
					}
				}
			}
			if found == 0 {
				t.Errorf("no attribution in %d news sentences", len(ss))
			}
		})
	}
}

// newsSD reads the 731 news sentences of NewsSD-ENG's training split.
func newsSD(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(shared.Path(t, "eval", "newssd_train.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var x struct{ Sentence string }
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, x.Sentence)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(texts) < 700 {
		t.Fatalf("got %d sentences, want the 731 of the file", len(texts))
	}
	return texts
}

func BenchmarkExtract(b *testing.B) {
	text, err := os.ReadFile(shared.Path(b, "data", "seed-article.txt"))
	if err != nil {
		b.Fatal(err)
	}
	ss := segment.Split(string(text))
	b.ReportAllocs()
	for b.Loop() {
		Extract(ss)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ss)), "ns/sentence")
}
