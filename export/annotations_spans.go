package export

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// spanStylesheet styles an attribution annotation's targets by role, in
// the review page's colours.
const spanStylesheet = ".source{background-color:#cfe3fb}.cue{background-color:#fbe3a6}.content{text-decoration:underline dotted #1e6b34}"

// attributionAnnotation is the machine's reading of s's attribution as an
// annotation whose targets are its spans; false when none of them lies in
// the body.
func attributionAnnotation(p *Report, s *Sentence, base, target string, body []rune) (Annotation, bool) {
	at := s.Attribution
	var targets []AnnotationTarget
	for _, sp := range at.Spans {
		if sp.Start < 0 || sp.End <= sp.Start || sp.End > len(body) {
			continue
		}
		targets = append(targets, AnnotationTarget{Type: "SpecificResource", Source: target, StyleClass: sp.Role,
			Selector: textSelectors(string(body[sp.Start:sp.End]), sp.Start, sp.End, body)})
	}
	if len(targets) == 0 {
		return Annotation{}, false
	}
	a := Annotation{
		Context:    AnnotationContext,
		ID:         base + "#annotation-" + strconv.Itoa(s.Number) + "-attribution",
		Type:       "Annotation",
		Motivation: "identifying",
		Creator:    annotationCreator(Machine, false),
		Generated:  annotationTime(&p.Generated.At),
		Generator:  &AnnotationAgent{Type: "Software", Name: strings.TrimSpace("factdesk " + p.Generated.Version)},
		Stylesheet: &AnnotationStylesheet{Type: "CssStylesheet", Value: spanStylesheet},
		Targets:    targets,
	}
	if at.Speaker != "" {
		a.Body = append(a.Body, textBody("identifying", at.Speaker))
	}
	a.Body = append(a.Body, textBody("describing", spanDescription(s)))
	return a, true
}

// spanDescription says in words what an attribution annotation marks.
func spanDescription(s *Sentence) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Sentence %d", s.Number)
	if at := attributionText(s.Attribution); at != "" {
		b.WriteString(" is attributed to " + at)
	} else {
		b.WriteString(" is attributed")
		if s.Attribution.Cue != "" {
			b.WriteString(" (cue “" + s.Attribution.Cue + "”)")
		}
	}
	b.WriteString("; the targets are the words the machine marked as its source, cue and content")
	if c := s.Attribution.Confidence; c > 0 {
		fmt.Fprintf(&b, ". The machine is %d%% sure the sentence is attributed", confidencePercent(c))
	}
	b.WriteString(".")
	return b.String()
}

// confidencePercent is a probability in whole percent.
func confidencePercent(p float64) int {
	return int(math.Round(100 * p))
}

// markedPart is a stretch of a sentence's text and the role of the span
// that marks it, "" for none.
type markedPart struct {
	Text, Role string
}

// markSpans splits the text of a sentence that starts at code point start
// of the body into stretches marked by the spans lying in it. Where spans
// overlap, a source wins over a cue and a cue over content.
func markSpans(text string, start int, spans []Span) []markedPart {
	runes := []rune(text)
	roles := make([]string, len(runes))
	for _, role := range []string{SpanContent, SpanCue, SpanSource} {
		for _, sp := range spans {
			if sp.Role != role {
				continue
			}
			for i := max(sp.Start-start, 0); i < min(sp.End-start, len(runes)); i++ {
				roles[i] = role
			}
		}
	}
	var out []markedPart
	from := 0
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || roles[i] != roles[from] {
			out = append(out, markedPart{Text: string(runes[from:i]), Role: roles[from]})
			from = i
		}
	}
	return out
}
