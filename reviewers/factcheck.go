package reviewers

import (
	"context"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"factdesk/models"
)

// MaxFactCheckURL is the longest fact-check URL factdesk keeps, in
// characters.
const MaxFactCheckURL = 2000

// SetFactCheckURL records where the newsroom published its fact-check of
// an article — the url of its ClaimReview markup — or clears it when raw
// is empty. Those who may edit an article (checkers, editors, admins) may
// set it, in any state of the review: it is usually known only once the
// approved check is published. The change is an audit event.
func (s *Service) SetFactCheckURL(ctx context.Context, actor models.Actor, articleID int64, raw string) (*models.Article, error) {
	if err := Authorize(actor, ActEdit); err != nil {
		return nil, err
	}
	u, err := CheckFactCheckURL(raw)
	if err != nil {
		return nil, err
	}
	return s.store.SetFactCheckURL(ctx, actor, articleID, u)
}

// CheckFactCheckURL returns raw without surrounding white space when it is
// an acceptable fact-check URL: empty (no URL), or an absolute http or
// https address with a host, of at most MaxFactCheckURL characters, with no
// white space or control characters inside. Otherwise it returns an
// EINVALID error on the field factcheck_url.
func CheckFactCheckURL(raw string) (string, error) {
	u := strings.TrimSpace(raw)
	if u == "" {
		return "", nil
	}
	if n := utf8.RuneCountInString(u); n > MaxFactCheckURL {
		return "", models.FieldError("factcheck_url", "the fact-check URL has %d characters; at most %d are allowed", n, MaxFactCheckURL)
	}
	if strings.IndexFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", models.FieldError("factcheck_url", "the fact-check URL must not contain spaces or control characters")
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
		return "", models.FieldError("factcheck_url", "the fact-check URL must be an absolute http:// or https:// address, such as https://newsroom.example/fact-checks/123")
	}
	return u, nil
}
