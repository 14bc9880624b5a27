package attribution

import (
	"factdesk/learn"
	"strings"
	"unicode"
	"unicode/utf8"

	"factdesk/postag"
	"factdesk/segment"
)

// The reader's tags, one per token: outside any attribution, or part of
// its source, its cue or its content.
const (
	tagOut = iota
	tagSource
	tagCue
	tagContent
	tagCount
)

// readerTags names the tags in the model file.
var readerTags = []string{"O", "SRC", "CUE", "CON"}

// rtoken is a token as the reader sees it.
type rtoken struct {
	text, low  string
	start, end int // bytes into the body
	shape      string
	suffix     string // the last three letters, folded
	pos        string
	quoted     bool // inside quotation marks
	qmark      bool // a quotation mark
	cueKind    Kind // the word's kind in the cue lists
	title      bool
	pronoun    bool
	ruleSource bool // inside the speaker the rules found
	ruleCue    bool // inside the cue the rules found
}

// rsentence is a sentence as the reader sees it, with what the rules made
// of it.
type rsentence struct {
	seg      segment.Sentence
	toks     []rtoken
	rule     Attribution
	ruleKind Kind // rule.Kind(), computed once
	firstCue int  // index of the first unquoted cue word, -1 if none
	lastCue  int
	parFirst bool // first sentence of its paragraph
	weak     bool // carried over on a cue no list knows (see weakConfidence)
}

// readSentences tokenizes sentences for the reader. rules are the rule
// extractor's attributions of the same sentences.
func readSentences(sentences []segment.Sentence, infos []sentInfo, rules []Attribution, tag func([]postag.Token) []string) []rsentence {
	out := make([]rsentence, len(sentences))
	for i, s := range sentences {
		ptoks := postag.Tokenize(s.Text)
		var tags []string
		if tag != nil {
			tags = tag(ptoks)
		}
		rs := rsentence{seg: s, rule: rules[i], ruleKind: rules[i].Kind(), firstCue: -1, lastCue: -1,
			parFirst: i == 0 || sentences[i-1].Paragraph != s.Paragraph}
		rs.toks = make([]rtoken, len(ptoks))
		var spans []Span
		if infos != nil {
			spans = infos[i].spans
		}
		for k, t := range ptoks {
			low := fold(t.Text)
			rt := rtoken{text: t.Text, low: low, start: s.Start + t.Start, end: s.Start + t.End,
				shape: shape(t.Text), suffix: suffix(low, 3), qmark: isQuoteToken(t.Text),
				cueKind: lex.verbs[low], title: lex.title[strings.TrimSuffix(low, ".")], pronoun: lex.pronoun[low]}
			if rt.cueKind == KindNone && lex.passiveOnly[low] {
				rt.cueKind = KindReport
			}
			if tags != nil {
				rt.pos = tags[k]
			}
			for _, sp := range spans {
				if t.Start >= sp.Start && t.End <= sp.End {
					rt.quoted = true
				}
			}
			if !rt.quoted && rt.cueKind != KindNone {
				if rs.firstCue < 0 {
					rs.firstCue = k
				}
				rs.lastCue = k
			}
			rs.toks[k] = rt
		}
		markPhrase(s.Text, rs.toks, s.Start, rules[i].Speaker, func(t *rtoken) { t.ruleSource = true })
		markPhrase(s.Text, rs.toks, s.Start, rules[i].Cue, func(t *rtoken) { t.ruleCue = true })
		out[i] = rs
	}
	return out
}

// markPhrase marks the tokens of the first occurrence of phrase in text.
func markPhrase(text string, toks []rtoken, base int, phrase string, mark func(*rtoken)) {
	if phrase == "" {
		return
	}
	at := strings.Index(strings.ToLower(text), strings.ToLower(phrase))
	if at < 0 {
		return
	}
	for k := range toks {
		if toks[k].start-base >= at && toks[k].end-base <= at+len(phrase) {
			mark(&toks[k])
		}
	}
}

func isQuoteToken(s string) bool {
	switch s {
	case `"`, "“", "”", "``", "''", "'", "‘", "’", "«", "»":
		return true
	}
	return false
}

// shape is a word's look: Xxxx, xxxx, XXXX, dd, X.X., with runs cut to 2.
func shape(w string) string {
	var b strings.Builder
	var last rune
	run := 0
	for _, r := range w {
		c := 'x'
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsDigit(r):
			c = 'd'
		case unicode.IsLetter(r):
			c = 'x'
		default:
			c = r
		}
		if c == last {
			run++
			if run > 2 {
				continue
			}
		} else {
			run = 1
		}
		last = c
		b.WriteRune(c)
		if b.Len() > 8 {
			break
		}
	}
	return b.String()
}

func suffix(w string, n int) string {
	if utf8.RuneCountInString(w) <= n {
		return w
	}
	r := []rune(w)
	return string(r[len(r)-n:])
}

// features appends the features of token k of s to dst: the token and
// its neighbours, the cue lists, quotation, the rules' reading and the
// tags already given to the tokens before it.
func (s *rsentence) features(dst []uint64, k int, prev1, prev2 int, prevSentence int) []uint64 {
	t := &s.toks[k]
	at := func(d int) *rtoken {
		if j := k + d; j >= 0 && j < len(s.toks) {
			return &s.toks[j]
		}
		return nil
	}
	word := func(d int) string {
		if x := at(d); x != nil {
			return x.low
		}
		if d < 0 {
			return "<s>"
		}
		return "</s>"
	}
	pos := func(d int) string {
		if x := at(d); x != nil {
			return x.pos
		}
		return "-"
	}
	cuePlace := "none"
	switch {
	case s.firstCue < 0:
	case k < s.firstCue:
		cuePlace = "before"
	case k == s.firstCue:
		cuePlace = "at"
	case k <= s.lastCue:
		cuePlace = "between"
	default:
		cuePlace = "after"
	}
	dist := "far"
	if s.firstCue >= 0 {
		d := k - s.firstCue
		if d < 0 {
			d = -d
		}
		switch {
		case d <= 3:
			dist = string(rune('0' + d))
		case d <= 6:
			dist = "near"
		}
	}
	pt := readerTags[prev1]
	dst = append(dst,
		learn.HashParts("w=", t.low),
		learn.HashParts("s3=", t.suffix),
		learn.HashParts("sh=", t.shape),
		learn.HashParts("p=", t.pos),
		learn.HashParts("w-1=", word(-1)),
		learn.HashParts("w+1=", word(1)),
		learn.HashParts("w-2=", word(-2)),
		learn.HashParts("w+2=", word(2)),
		learn.HashParts("w-1w=", word(-1), " ", t.low),
		learn.HashParts("ww+1=", t.low, " ", word(1)),
		learn.HashParts("p-1=", pos(-1)),
		learn.HashParts("p+1=", pos(1)),
		learn.HashParts("pp+1=", t.pos, " ", pos(1)),
		learn.HashParts("p-1p=", pos(-1), " ", t.pos),
		learn.HashParts("t-1=", pt),
		learn.HashParts("t-2t-1=", readerTags[prev2], " ", pt),
		learn.HashParts("t-1w=", pt, " ", t.low),
		learn.HashParts("t-1p=", pt, " ", t.pos),
		learn.HashParts("cue=", string(t.cueKind)),
		learn.HashParts("cue-1=", string(kindAt(at(-1)))),
		learn.HashParts("cue+1=", string(kindAt(at(1)))),
		learn.HashParts("cueplace=", cuePlace),
		learn.HashParts("cuedist=", dist, " ", cuePlace),
		learn.HashParts("cueplace-t=", cuePlace, " ", pt),
		learn.HashParts("q=", flag(t.quoted)),
		learn.HashParts("qm=", flag(t.qmark)),
		learn.HashParts("q-t=", flag(t.quoted), " ", pt),
		learn.HashParts("sq=", string(s.seg.Quote)),
		learn.HashParts("title=", flag(t.title)),
		learn.HashParts("pron=", flag(t.pronoun)),
		learn.HashParts("rs=", flag(t.ruleSource)),
		learn.HashParts("rc=", flag(t.ruleCue)),
		learn.HashParts("rk=", string(s.ruleKind), " ", cuePlace),
		learn.HashParts("rcarry=", flag(s.rule.CarriedOver)),
		learn.HashParts("par0=", flag(s.parFirst)),
		learn.HashParts("prevsent=", readerTags[prevSentence]),
		learn.HashParts("prevsent-t=", readerTags[prevSentence], " ", pt, " ", "k0=", flag(k == 0)),
	)
	dst = append(dst,
		learn.HashParts("w-3=", word(-3)),
		learn.HashParts("w+3=", word(3)),
		learn.HashParts("p-2=", pos(-2)),
		learn.HashParts("p+2=", pos(2)),
		learn.HashParts("pp+1p+2=", t.pos, " ", pos(1), " ", pos(2)),
		learn.HashParts("p-2p-1=", pos(-2), " ", pos(-1), " ", t.pos),
		learn.HashParts("colon=", s.colonPlace(k)),
		learn.HashParts("w+1cue=", word(1), " ", string(kindAt(at(2)))),
	)
	if k == 0 {
		dst = append(dst, learn.Hash("first"))
	}
	if k == len(s.toks)-1 {
		dst = append(dst, learn.Hash("last"))
	}
	return dst
}

// colonPlace says where token k lies from the sentence's first colon
// outside quotation marks: "X said: …" puts the content after it.
func (s *rsentence) colonPlace(k int) string {
	for j, t := range s.toks {
		if t.text == ":" && !t.quoted {
			switch {
			case k < j:
				return "before"
			case k == j:
				return "at"
			}
			return "after"
		}
	}
	return "none"
}

// flag is a yes-or-no feature's value.
func flag(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

func kindAt(t *rtoken) Kind {
	if t == nil {
		return "-"
	}
	return t.cueKind
}
