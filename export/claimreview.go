package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"factdesk/codebook"
)

// ClaimReviewMaxLen is the length, in characters, that a claimReviewed
// summary stays under (Google's fact-check markup asks for short ones).
const ClaimReviewMaxLen = 75

// ClaimReview is a schema.org ClaimReview, with the properties Google's
// fact-check markup requires (claimReviewed, reviewRating, url) and
// recommends (author, datePublished, itemReviewed).
type ClaimReview struct {
	Context       string        `json:"@context"`
	Type          string        `json:"@type"`
	URL           string        `json:"url,omitempty"`
	ClaimReviewed string        `json:"claimReviewed"`
	DatePublished string        `json:"datePublished,omitempty"`
	Author        SchemaAgent   `json:"author"`
	ReviewRating  SchemaRating  `json:"reviewRating"`
	ItemReviewed  SchemaClaim   `json:"itemReviewed"`
	InLanguage    string        `json:"inLanguage,omitempty"`
	IsBasedOn     []SchemaThing `json:"isBasedOn,omitempty"`
}

// SchemaAgent is a schema.org Person or Organization.
type SchemaAgent struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// SchemaRating is a schema.org Rating. For a rating of the scale's Unrated
// kind ("Unproven") only AlternateName is set: the claim has no place on
// the numeric scale, and a number outside worstRating…bestRating would be
// wrong.
type SchemaRating struct {
	Type          string `json:"@type"`
	RatingValue   *int   `json:"ratingValue,omitempty"`
	BestRating    *int   `json:"bestRating,omitempty"`
	WorstRating   *int   `json:"worstRating,omitempty"`
	AlternateName string `json:"alternateName"`
}

// SchemaClaim is the schema.org Claim a review is about: who made it,
// when, and where it appeared.
type SchemaClaim struct {
	Type          string       `json:"@type"`
	Author        *SchemaAgent `json:"author,omitempty"`
	DatePublished string       `json:"datePublished,omitempty"`
	Appearance    *SchemaThing `json:"appearance,omitempty"`
}

// SchemaThing is a schema.org CreativeWork (the article a claim appeared
// in, or a source a review is based on).
type SchemaThing struct {
	Type          string       `json:"@type"`
	URL           string       `json:"url,omitempty"`
	Headline      string       `json:"headline,omitempty"`
	DatePublished string       `json:"datePublished,omitempty"`
	Publisher     *SchemaAgent `json:"publisher,omitempty"`
}

// ClaimReviews builds one ClaimReview per sentence with a verdict, in
// sentence order.
//
//   - url is Article.FactCheckURL, the page where the newsroom published
//     its fact-check (factdesk's own report is not public).
//   - claimReviewed is the sentence's ClaimReviewed, or else its text,
//     shortened (ShortenClaim) to under ClaimReviewMaxLen characters.
//   - datePublished is the date of the last approval of the article, or,
//     before any, the date the sentence was checked, or the report's date.
//   - reviewRating comes from the report's scale; a verdict the scale does
//     not know gives alternateName only, like an unrated one.
//   - itemReviewed.author is the attribution's speaker (a Person unless
//     the attribution says it is an organization), or else the outlet;
//     appearance is the article.
//   - isBasedOn lists the supporting, contradicting and origin sources
//     that are not withheld.
func ClaimReviews(r *Report) []ClaimReview {
	p := prepare(r)
	out := []ClaimReview{}
	for i := range p.Sentences {
		s := &p.Sentences[i]
		if s.Verdict == "" {
			continue
		}
		out = append(out, claimReview(p, s))
	}
	return out
}

// ErrNoFactCheckURL is returned (wrapped) by WriteClaimReview for an
// article without Article.FactCheckURL: ClaimReview's url must be the
// published fact-check, and nothing else would do.
var ErrNoFactCheckURL = errors.New("ClaimReview needs the URL of the published fact-check: set the article's fact-check URL first")

// WriteClaimReview writes ClaimReviews(r) as a JSON-LD array (empty when
// no sentence has a verdict); each element carries its own @context so it
// can be placed in a page's script element on its own. It refuses an
// article with no fact-check URL (ErrNoFactCheckURL).
func WriteClaimReview(w io.Writer, r *Report) error {
	if strings.TrimSpace(r.Article.FactCheckURL) == "" {
		return fmt.Errorf("write ClaimReview of article %d: %w", r.Article.ID, ErrNoFactCheckURL)
	}
	if err := writeIndentedJSON(w, ClaimReviews(r)); err != nil {
		return fmt.Errorf("write ClaimReview of article %d: %w", r.Article.ID, err)
	}
	return nil
}

func claimReview(p *Report, s *Sentence) ClaimReview {
	cr := ClaimReview{
		Context:       "https://schema.org",
		Type:          "ClaimReview",
		URL:           p.Article.FactCheckURL,
		ClaimReviewed: ShortenClaim(firstNonEmpty(strings.TrimSpace(s.ClaimReviewed), s.Text), ClaimReviewMaxLen),
		DatePublished: schemaDate(reviewDate(p, s)),
		Author:        SchemaAgent{Type: "Organization", Name: p.Organisation.Name, URL: p.Organisation.URL},
		ReviewRating:  schemaRating(p.Method.Scale, s.Verdict),
		ItemReviewed: SchemaClaim{
			Type:          "Claim",
			Author:        claimAuthor(p, s),
			DatePublished: schemaDate(p.Article.PublishedAt),
			Appearance: &SchemaThing{
				Type: "CreativeWork", URL: p.Article.URL, Headline: p.Article.Title,
				DatePublished: schemaDate(p.Article.PublishedAt),
				Publisher:     agentOrNil("Organization", p.Article.Outlet),
			},
		},
		InLanguage: p.Article.Language,
	}
	for _, c := range s.Citations {
		if c.Source.Withheld || c.Source.URL == "" || c.Relation == codebook.Context {
			continue
		}
		cr.IsBasedOn = append(cr.IsBasedOn, SchemaThing{
			Type: "CreativeWork", URL: c.Source.URL, Headline: c.Source.Title,
			DatePublished: schemaDate(c.Source.PublishedAt),
			Publisher:     agentOrNil("Organization", c.Source.Publisher),
		})
	}
	return cr
}

// reviewDate is when the review was published: the article's last
// approval, else when the sentence was checked, else the report's date.
func reviewDate(p *Report, s *Sentence) *time.Time {
	for i := len(p.Rounds) - 1; i >= 0; i-- {
		if rd := p.Rounds[i]; rd.Decision == "approved" && rd.DecidedAt != nil {
			return rd.DecidedAt
		}
	}
	if s.CheckedAt != nil {
		return s.CheckedAt
	}
	t := p.Generated.At
	return &t
}

func schemaRating(scale codebook.Scale, verdict string) SchemaRating {
	rt := SchemaRating{Type: "Rating", AlternateName: verdict}
	for _, x := range scale.Ratings {
		if x.Name == verdict {
			v, best, worst := x.Value, scale.Best(), scale.Worst()
			rt.RatingValue, rt.BestRating, rt.WorstRating = &v, &best, &worst
			break
		}
	}
	return rt
}

func claimAuthor(p *Report, s *Sentence) *SchemaAgent {
	if a := s.Attribution; a != nil && a.Speaker != "" {
		kind := "Person"
		if a.SpeakerKind == "organization" {
			kind = "Organization"
		}
		return &SchemaAgent{Type: kind, Name: a.Speaker}
	}
	return agentOrNil("Organization", p.Article.Outlet)
}

func agentOrNil(kind, name string) *SchemaAgent {
	if name == "" {
		return nil
	}
	return &SchemaAgent{Type: kind, Name: name}
}

func schemaDate(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// ShortenClaim returns text with its white space collapsed, shortened when
// needed to fewer than max characters: cut at the last word boundary that
// leaves room for "…", without trailing punctuation before the ellipsis. A
// first word too long to fit is cut inside.
func ShortenClaim(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) < max {
		return text
	}
	limit := max - 2 // characters before the ellipsis, so the total stays under max
	runes := []rune(text)
	cut := 0
	for i := 1; i <= limit && i < len(runes); i++ {
		if unicode.IsSpace(runes[i]) {
			cut = i
		}
	}
	if cut == 0 {
		cut = limit
	}
	short := strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && !strings.ContainsRune("”’)]", r)
	})
	if short == "" {
		short = string(runes[:limit])
	}
	return short + "…"
}
