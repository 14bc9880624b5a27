package routes

import (
	"math"
	"sort"

	"factdesk/models"
)

// The panel shows the machine's reading of the selected sentence's
// attribution: its spans marked in the sentence's text, listed in words
// (with the sentence that names a source found elsewhere), and the
// reader's confidence.

// textPart is a stretch of the selected sentence's text and the role of
// the span that marks it, "" for none.
type textPart struct {
	Text string
	Role models.SpanRole
}

// spanView is one span of the machine's reading as the panel lists it.
type spanView struct {
	Role models.SpanRole
	Text string
	// Sentence is the number of the sentence that holds the span when it
	// is not the selected one (a carried-over source), else 0.
	Sentence int
}

// spans returns the spans of the selected sentence's attribution, nil
// when it has none.
func (p *sentencePanel) spans() models.AttributionSpans {
	if p.S.Attribution == nil {
		return nil
	}
	return p.S.Attribution.Spans
}

// TextParts splits the selected sentence's text by the spans of its
// attribution that lie in it. Where spans overlap, a source wins over a
// cue and a cue over content.
func (p *sentencePanel) TextParts() []textPart {
	s := p.S
	spans := p.spans()
	if len(spans) == 0 {
		return []textPart{{Text: s.Text}}
	}
	runes := []rune(s.Text)
	roles := make([]models.SpanRole, len(runes))
	for _, role := range []models.SpanRole{models.SpanContent, models.SpanCue, models.SpanSource} {
		for _, sp := range spans {
			if sp.Role != role {
				continue
			}
			for i := max(sp.Start-s.Start, 0); i < min(sp.End-s.Start, len(runes)); i++ {
				roles[i] = role
			}
		}
	}
	var out []textPart
	from := 0
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || roles[i] != roles[from] {
			out = append(out, textPart{Text: string(runes[from:i]), Role: roles[from]})
			from = i
		}
	}
	return out
}

// Spans lists the spans of the selected sentence's attribution in order,
// each with its words; a span that lies in no sentence of the text is
// left out.
func (p *sentencePanel) Spans() []spanView {
	var out []spanView
	for _, sp := range p.spans() {
		k := sort.Search(len(p.Lines), func(i int) bool { return p.Lines[i].Start > sp.Start }) - 1
		if k < 0 || sp.End > p.Lines[k].End {
			continue
		}
		l := &p.Lines[k]
		runes := []rune(l.Text)
		from, to := sp.Start-l.Start, sp.End-l.Start
		if to > len(runes) {
			continue
		}
		v := spanView{Role: sp.Role, Text: string(runes[from:to])}
		if l.ID != p.S.ID {
			v.Sentence = l.Index + 1
		}
		out = append(out, v)
	}
	return out
}

// SpansElsewhere lists the spans that lie in another sentence than the
// selected one (a source named earlier), those not marked in its text.
func (p *sentencePanel) SpansElsewhere() []spanView {
	var out []spanView
	for _, v := range p.Spans() {
		if v.Sentence != 0 {
			out = append(out, v)
		}
	}
	return out
}

// AttributionPercent is the machine reader's confidence that the
// selected sentence holds attributed content, in whole percent; 0 when
// not known.
func (p *sentencePanel) AttributionPercent() int {
	if p.S.Attribution == nil || p.S.Attribution.Confidence <= 0 {
		return 0
	}
	return max(1, int(math.Round(100*p.S.Attribution.Confidence)))
}
