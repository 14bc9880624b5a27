package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// AnnotationContext is the JSON-LD context of the W3C Web Annotation
// Data Model.
const AnnotationContext = "http://www.w3.org/ns/anno.jsonld"

// QuoteContextLen is how many code points of the article text before and
// after a sentence its TextQuoteSelector carries as prefix and suffix.
const QuoteContextLen = 32

// AnnotationCollection is a W3C Web Annotation collection holding all of
// an article's annotations in one embedded page.
type AnnotationCollection struct {
	Context string          `json:"@context"`
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Label   string          `json:"label"`
	Total   int             `json:"total"`
	First   *AnnotationPage `json:"first,omitempty"`
	Last    string          `json:"last,omitempty"`
}

// AnnotationPage is one page of a collection.
type AnnotationPage struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	StartIndex int          `json:"startIndex"`
	Items      []Annotation `json:"items"`
}

// Annotation is one labeled sentence, or the spans of its attribution, as
// a W3C Web Annotation.
type Annotation struct {
	Context    string           `json:"@context"`
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	Motivation string           `json:"motivation"`
	Created    string           `json:"created,omitempty"`
	Modified   string           `json:"modified,omitempty"`
	Creator    *AnnotationAgent `json:"creator,omitempty"`
	Generated  string           `json:"generated,omitempty"`
	Generator  *AnnotationAgent `json:"generator,omitempty"`
	// Stylesheet styles the targets' classes (an attribution's spans).
	Stylesheet *AnnotationStylesheet `json:"stylesheet,omitempty"`
	Body       []AnnotationBody      `json:"body"`
	Target     AnnotationTarget      `json:"target"`
	// Targets, when set, are the annotation's targets instead of Target
	// (an attribution's spans); the JSON has them as its "target".
	Targets []AnnotationTarget `json:"-"`
}

// MarshalJSON writes the annotation, with Targets as its target when it
// has them.
func (a Annotation) MarshalJSON() ([]byte, error) {
	type plain Annotation
	var v any = plain(a)
	if len(a.Targets) > 0 {
		v = struct {
			plain
			Target []AnnotationTarget `json:"target"`
		}{plain(a), a.Targets}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as writeIndentedJSON writes the rest
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// AnnotationStylesheet is an embedded CSS stylesheet.
type AnnotationStylesheet struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// AnnotationAgent is a Person or Software that made an annotation. Email
// is a mailto: IRI, given only when the export is asked to (WithEmails).
type AnnotationAgent struct {
	Type  string `json:"type"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// AnnotationBody is a TextualBody (label, status, verdict, attribution)
// or a SpecificResource (a citation).
type AnnotationBody struct {
	Type     string              `json:"type"`
	Purpose  string              `json:"purpose"`
	Value    string              `json:"value,omitempty"`
	Format   string              `json:"format,omitempty"`
	Label    string              `json:"label,omitempty"`
	Source   *AnnotationResource `json:"source,omitempty"`
	Selector *AnnotationSelector `json:"selector,omitempty"`
}

// AnnotationResource is an external web resource: a cited source.
type AnnotationResource struct {
	ID     string `json:"id"`
	Type   string `json:"type,omitempty"`
	Format string `json:"format,omitempty"`
	Label  string `json:"label,omitempty"`
}

// AnnotationTarget is the annotated sentence, or a span of its
// attribution: the article with a quote selector and a position selector.
type AnnotationTarget struct {
	Type   string `json:"type"`
	Source string `json:"source"`
	// StyleClass is the role of an attribution's span: source, cue or
	// content.
	StyleClass string               `json:"styleClass,omitempty"`
	Selector   []AnnotationSelector `json:"selector"`
}

// AnnotationSelector is a TextQuoteSelector or a TextPositionSelector.
type AnnotationSelector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// Annotations builds the collection of r's labeled sentences, one
// annotation each. Identifiers hang off Generated.URL (or, without it, a
// urn:factdesk: name for the article and revision) with the fragments
// "#annotations", "#annotations-page-1" and "#annotation-N".
//
// The target's source is the article URL. Its TextQuoteSelector carries
// the sentence with up to QuoteContextLen code points of Article.Body
// around it; its TextPositionSelector the sentence's code point offsets
// into Article.Body, which match the published page's text only as far as
// the imported body does — the quote selector is the one to trust.
//
// Bodies: the label (purpose classifying), the status (tagging), the
// exclusion reason and the attribution (describing), the verdict
// (assessing) and one SpecificResource per citation (linking; its label is
// the relation, its selector the excerpt). A withheld source appears as
// urn:factdesk:source:ID labeled only as withheld.
//
// After them come, for each labeled sentence whose attribution has spans
// (the machine's reading, see Attribution.Spans), an annotation
// "#annotation-N-attribution" (motivation identifying) whose targets are
// the spans, each with the role as its styleClass (source, cue, content)
// and the two selectors of a sentence's target, and whose bodies name the
// speaker (identifying) and say the attribution in words (describing).
//
// The creator of an annotation is the person who labeled the sentence,
// by their display name: annotations are meant for publication, and staff
// e-mail addresses appear (as the creator's email) only WithEmails.
func Annotations(r *Report, opts ...Option) AnnotationCollection {
	o := collect(opts)
	p := prepare(r)
	base := annotationBase(p)
	c := AnnotationCollection{
		Context: AnnotationContext,
		ID:      base + "#annotations",
		Type:    "AnnotationCollection",
		Label:   "factdesk labels of “" + firstNonEmpty(p.Article.Title, "article "+strconv.FormatInt(p.Article.ID, 10)) + "”",
	}
	body := []rune(p.Article.Body)
	target := firstNonEmpty(p.Article.URL, fmt.Sprintf("urn:factdesk:article:%d", p.Article.ID))
	var items []Annotation
	for i := range p.Sentences {
		s := &p.Sentences[i]
		if s.Label == "" {
			continue
		}
		items = append(items, annotation(p, s, base, target, body, o.emails))
	}
	for i := range p.Sentences {
		s := &p.Sentences[i]
		if s.Label == "" || s.Attribution == nil || len(s.Attribution.Spans) == 0 {
			continue
		}
		if a, ok := attributionAnnotation(p, s, base, target, body); ok {
			items = append(items, a)
		}
	}
	c.Total = len(items)
	if len(items) > 0 {
		page := &AnnotationPage{ID: base + "#annotations-page-1", Type: "AnnotationPage", Items: items}
		c.First, c.Last = page, page.ID
	}
	return c
}

// WriteAnnotations writes Annotations(r, opts...) as indented JSON-LD.
func WriteAnnotations(w io.Writer, r *Report, opts ...Option) error {
	if err := writeIndentedJSON(w, Annotations(r, opts...)); err != nil {
		return fmt.Errorf("write annotations of article %d: %w", r.Article.ID, err)
	}
	return nil
}

func annotationBase(p *Report) string {
	if p.Generated.URL != "" {
		base, _, _ := strings.Cut(p.Generated.URL, "#")
		return base
	}
	return fmt.Sprintf("urn:factdesk:article:%d:revision:%d", p.Article.ID, p.Article.Revision)
}

func annotation(p *Report, s *Sentence, base, target string, body []rune, emails bool) Annotation {
	a := Annotation{
		Context:    AnnotationContext,
		ID:         base + "#annotation-" + strconv.Itoa(s.Number),
		Type:       "Annotation",
		Motivation: "classifying",
		Created:    annotationTime(s.LabeledAt),
		Creator:    annotationCreator(s.LabeledBy, emails),
		Generated:  annotationTime(&p.Generated.At),
		Generator:  &AnnotationAgent{Type: "Software", Name: strings.TrimSpace("factdesk " + p.Generated.Version)},
		Target:     annotationTarget(s, target, body),
	}
	if s.CheckedAt != nil && s.LabeledAt != nil && s.CheckedAt.After(*s.LabeledAt) {
		a.Modified = annotationTime(s.CheckedAt)
	}
	a.Body = append(a.Body,
		textBody("classifying", string(s.Label)),
		textBody("tagging", string(s.Status)))
	if s.ExcludeReason != "" {
		a.Body = append(a.Body, textBody("describing", "Excluded: "+s.ExcludeReason))
	}
	if at := attributionText(s.Attribution); at != "" {
		a.Body = append(a.Body, textBody("describing", "Attributed to "+at))
	}
	if s.Verdict != "" {
		a.Body = append(a.Body, textBody("assessing", s.Verdict))
	}
	for _, c := range s.Citations {
		a.Body = append(a.Body, citationBody(c))
	}
	return a
}

func textBody(purpose, value string) AnnotationBody {
	return AnnotationBody{Type: "TextualBody", Purpose: purpose, Value: value, Format: "text/plain"}
}

func citationBody(c Citation) AnnotationBody {
	src := &AnnotationResource{ID: "urn:factdesk:source:" + strconv.FormatInt(c.Source.ID, 10), Label: sourceTitle(c.Source)}
	if c.Source.Withheld {
		src.Label = "Withheld source"
		if c.Source.WithheldReason != "" {
			src.Label += ": " + c.Source.WithheldReason
		}
	} else if webAddress(c.Source.URL) {
		src.ID = c.Source.URL
		src.Format = mediaType(c.Source.ContentType)
	}
	b := AnnotationBody{Type: "SpecificResource", Purpose: "linking", Label: string(c.Relation), Source: src}
	if c.Excerpt != "" {
		b.Selector = &AnnotationSelector{Type: "TextQuoteSelector", Exact: c.Excerpt}
	}
	return b
}

// mediaType drops the parameters of a content type: "text/html".
func mediaType(ct string) string {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.TrimSpace(mt)
}

func annotationTarget(s *Sentence, source string, body []rune) AnnotationTarget {
	return AnnotationTarget{Type: "SpecificResource", Source: source, Selector: textSelectors(s.Text, s.Start, s.End, body)}
}

// textSelectors selects exact, the text at code points start to end of
// body: a TextQuoteSelector with up to QuoteContextLen code points of
// context either side, and a TextPositionSelector.
func textSelectors(exact string, start, end int, body []rune) []AnnotationSelector {
	quote := AnnotationSelector{Type: "TextQuoteSelector", Exact: exact}
	if start >= 0 && start <= end && end <= len(body) {
		quote.Prefix = string(body[max(0, start-QuoteContextLen):start])
		quote.Suffix = string(body[end:min(len(body), end+QuoteContextLen)])
	}
	pos := AnnotationSelector{Type: "TextPositionSelector", Start: &start, End: &end}
	return []AnnotationSelector{quote, pos}
}

func annotationCreator(person string, emails bool) *AnnotationAgent {
	switch person {
	case "":
		return nil
	case Machine:
		return &AnnotationAgent{Type: "Software", Name: "factdesk machine reviewer"}
	}
	name, email := splitPerson(person)
	a := &AnnotationAgent{Type: "Person", Name: name}
	if emails && email != "" {
		a.Email = "mailto:" + email
	}
	return a
}

func annotationTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
