package export

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestClaimReviewProperties decodes the JSON-LD generically and checks
// the properties Google's fact-check markup requires and recommends.
func TestClaimReviewProperties(t *testing.T) {
	r := seedReport(t)
	out := render(t, FormatClaimReview, r)
	checkNoSecrets(t, "claimreview", out)
	var reviews []map[string]any
	if err := json.Unmarshal(out, &reviews); err != nil {
		t.Fatalf("decode: %v", err)
	}
	var withVerdict []Sentence
	for _, s := range r.Sentences {
		if s.Verdict != "" {
			withVerdict = append(withVerdict, s)
		}
	}
	if len(reviews) != len(withVerdict) || len(reviews) == 0 {
		t.Fatalf("%d reviews, want one per sentence with a verdict (%d)", len(reviews), len(withVerdict))
	}
	for i, cr := range reviews {
		s := withVerdict[i]
		t.Run(s.Verdict+"/"+s.Text[:20], func(t *testing.T) {
			for _, key := range []string{"@context", "@type", "url", "claimReviewed", "reviewRating", "author", "datePublished", "itemReviewed"} {
				if _, ok := cr[key]; !ok {
					t.Errorf("missing %s", key)
				}
			}
			if cr["@context"] != "https://schema.org" || cr["@type"] != "ClaimReview" {
				t.Errorf("@context/@type = %v/%v", cr["@context"], cr["@type"])
			}
			claim, _ := cr["claimReviewed"].(string)
			if n := utf8.RuneCountInString(claim); n == 0 || n >= ClaimReviewMaxLen {
				t.Errorf("claimReviewed %q has %d characters, want 1–%d", claim, n, ClaimReviewMaxLen-1)
			}
			if s.ClaimReviewed != "" && claim != ShortenClaim(s.ClaimReviewed, ClaimReviewMaxLen) {
				t.Errorf("claimReviewed = %q, want the edited %q", claim, s.ClaimReviewed)
			}
			if cr["url"] != seedFactCheckURL {
				t.Errorf("url = %v, want the published fact-check %s", cr["url"], seedFactCheckURL)
			}
			author := cr["author"].(map[string]any)
			if author["@type"] != "Organization" || author["name"] != r.Organisation.Name {
				t.Errorf("author = %v, want the organisation", author)
			}
			if cr["datePublished"] != "2017-08-02" {
				t.Errorf("datePublished = %v, want the approval date 2017-08-02", cr["datePublished"])
			}
			checkRating(t, r, s.Verdict, cr["reviewRating"].(map[string]any))
			item := cr["itemReviewed"].(map[string]any)
			if item["@type"] != "Claim" || item["author"] == nil || item["datePublished"] != "2017-07-31" {
				t.Errorf("itemReviewed = %v, want a Claim with author and date", item)
			}
			app, _ := item["appearance"].(map[string]any)
			if app["@type"] != "CreativeWork" || app["url"] != r.Article.URL {
				t.Errorf("appearance = %v, want the article %s", app, r.Article.URL)
			}
		})
	}
}

func checkRating(t *testing.T, r *Report, verdict string, rating map[string]any) {
	t.Helper()
	if rating["@type"] != "Rating" || rating["alternateName"] != verdict {
		t.Errorf("reviewRating = %v, want a Rating named %q", rating, verdict)
	}
	for _, u := range r.Method.Scale.Unrated {
		if u.Name == verdict {
			if _, ok := rating["ratingValue"]; ok {
				t.Errorf("unrated verdict %q has a ratingValue", verdict)
			}
			return
		}
	}
	v, best, worst := rating["ratingValue"].(float64), rating["bestRating"].(float64), rating["worstRating"].(float64)
	if best != 5 || worst != 1 || v < worst || v > best {
		t.Errorf("rating %v of %v…%v, want within the default scale 1…5", v, worst, best)
	}
	if want, _ := r.Method.Scale.Find(verdict); int(v) != want.Value {
		t.Errorf("ratingValue = %v, want %d", v, want.Value)
	}
}

func TestClaimReviewAuthors(t *testing.T) {
	crs := ClaimReviews(seedReport(t))
	got := map[string]string{}
	for _, cr := range crs {
		got[cr.ReviewRating.AlternateName+"/"+cr.ItemReviewed.Author.Name] = cr.ItemReviewed.Author.Type
	}
	want := map[string]string{
		"True/Vladimir Putin":         "Person",
		"Mostly false/European Union": "Organization",
		"True/The Daily Example":      "Organization", // no attribution: the outlet
		"Unproven/Donald Trump":       "Person",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("claim author %s has type %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func TestClaimReviewEditedTooLong(t *testing.T) {
	r := seedReport(t)
	r.Sentences[15].ClaimReviewed = strings.Repeat("word ", 30)
	for _, cr := range ClaimReviews(r) {
		if n := utf8.RuneCountInString(cr.ClaimReviewed); n >= ClaimReviewMaxLen {
			t.Errorf("claimReviewed has %d characters, want under %d", n, ClaimReviewMaxLen)
		}
	}
}

func TestClaimReviewEmpty(t *testing.T) {
	r := seedReport(t)
	for i := range r.Sentences {
		r.Sentences[i].Verdict = ""
	}
	if got := strings.TrimSpace(string(render(t, FormatClaimReview, r))); got != "[]" {
		t.Errorf("no verdicts gives %q, want []", got)
	}
}

// TestClaimReviewNeedsFactCheckURL checks that ClaimReview is refused for
// an article whose published fact-check is not known, rather than
// pointing at factdesk's own, sign-in-only report.
func TestClaimReviewNeedsFactCheckURL(t *testing.T) {
	for _, u := range []string{"", "  "} {
		r := seedReport(t)
		r.Article.FactCheckURL = u
		var b strings.Builder
		err := Write(&b, FormatClaimReview, r)
		if !errors.Is(err, ErrNoFactCheckURL) {
			t.Errorf("fact-check URL %q: got error %v, want ErrNoFactCheckURL", u, err)
		}
		if strings.Contains(b.String(), r.Generated.URL) {
			t.Errorf("fact-check URL %q: output names the report's own address: %s", u, b.String())
		}
	}
}

func TestShortenClaim(t *testing.T) {
	long := "Russian President, Vladimir Putin has announced that 755 US diplomats would have to leave Russia by September 1, 2017."
	for _, tc := range []struct{ name, in, want string }{
		{"short stays", "The bill passed.", "The bill passed."},
		{"white space collapsed", "  The   bill\npassed. ", "The bill passed."},
		{"cut at a word", long, "Russian President, Vladimir Putin has announced that 755 US diplomats…"},
		{"no comma before the ellipsis", "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nuuuu, xiiii omicron", "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nuuuu…"},
		{"closing quote kept", "He said the talks were “going nowhere” and that he would leave the room for good", "He said the talks were “going nowhere” and that he would leave the room…"},
		{"one long word", strings.Repeat("x", 100), strings.Repeat("x", 73) + "…"},
		{"exactly 74", strings.Repeat("a", 74), strings.Repeat("a", 74)},
		{"accents count as one", strings.Repeat("é", 74), strings.Repeat("é", 74)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ShortenClaim(tc.in, ClaimReviewMaxLen)
			if got != tc.want {
				t.Errorf("ShortenClaim = %q, want %q", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n >= ClaimReviewMaxLen {
				t.Errorf("%d characters, want under %d", n, ClaimReviewMaxLen)
			}
		})
	}
}
