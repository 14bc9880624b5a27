package reviewers

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"factdesk/models"
	"factdesk/urlnorm"
)

// SourceFields are a source's editable fields as people send them, in
// text; nil means not given. For CreateSource a field not given is empty;
// for UpdateSource it stays as it is, and an empty text clears an optional
// field (dates, Reliability, Credibility).
type SourceFields struct {
	Kind           *string
	Title          *string
	URL            *string
	Publisher      *string
	Author         *string
	PublishedAt    *string // YYYY-MM-DD or RFC 3339
	AccessedAt     *string // YYYY-MM-DD or RFC 3339
	ArchivedURL    *string
	Notes          *string
	Reliability    *string // A to F
	Credibility    *string // 1 to 6
	Withheld       *bool
	WithheldReason *string
}

// change parses and checks every given field, naming the first one at
// fault.
func (f SourceFields) change() (models.SourceChange, error) {
	var ch models.SourceChange
	if f.Kind != nil {
		k := models.SourceKind(strings.TrimSpace(*f.Kind))
		if !k.Valid() {
			return ch, models.FieldError("kind", "unknown kind %q; one of %s", k, kindNames())
		}
		ch.Kind = &k
	}
	texts := []struct {
		field string
		in    *string
		out   **string
		max   int
	}{
		{"title", f.Title, &ch.Title, models.MaxSourceTitle},
		{"publisher", f.Publisher, &ch.Publisher, models.MaxSourceName},
		{"author", f.Author, &ch.Author, models.MaxSourceName},
		{"notes", f.Notes, &ch.Notes, models.MaxSourceNotes},
		{"withheld_reason", f.WithheldReason, &ch.WithheldReason, models.MaxWithheldNote},
	}
	for _, t := range texts {
		if t.in == nil {
			continue
		}
		v := strings.TrimSpace(*t.in)
		if utf8.RuneCountInString(v) > t.max {
			return ch, models.FieldError(t.field, "%s may have at most %d characters", t.field, t.max)
		}
		*t.out = &v
	}
	for _, u := range []struct {
		field string
		in    *string
		out   **string
	}{{"url", f.URL, &ch.URL}, {"archived_url", f.ArchivedURL, &ch.ArchivedURL}} {
		if u.in == nil {
			continue
		}
		n, err := SourceURL(u.field, *u.in)
		if err != nil {
			return ch, err
		}
		*u.out = &n
	}
	for _, d := range []struct {
		field string
		in    *string
		out   **time.Time
	}{{"published_at", f.PublishedAt, &ch.PublishedAt}, {"accessed_at", f.AccessedAt, &ch.AccessedAt}} {
		if d.in == nil {
			continue
		}
		t, err := parseDate(d.field, *d.in)
		if err != nil {
			return ch, err
		}
		*d.out = &t
	}
	if f.Reliability != nil {
		r := models.Reliability(strings.ToUpper(strings.TrimSpace(*f.Reliability)))
		if r != "" && !r.Valid() {
			return ch, models.FieldError("reliability", "reliability is a grade from A to F, not %q", *f.Reliability)
		}
		ch.Reliability = &r
	}
	if f.Credibility != nil {
		var c models.Credibility
		if v := strings.TrimSpace(*f.Credibility); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || !models.Credibility(n).Valid() {
				return ch, models.FieldError("credibility", "credibility is a grade from 1 to 6, not %q", v)
			}
			c = models.Credibility(n)
		}
		ch.Credibility = &c
	}
	ch.Withheld = f.Withheld
	return ch, nil
}

// newSource parses the fields of a source to add. A source with a URL and
// nothing else is a web page titled by its URL until someone names it.
func (f SourceFields) newSource() (models.NewSource, error) {
	ch, err := f.change()
	if err != nil {
		return models.NewSource{}, err
	}
	ns := models.NewSource{PublishedAt: ch.PublishedAt, AccessedAt: ch.AccessedAt}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	ns.Title, ns.URL, ns.Publisher, ns.Author = str(ch.Title), str(ch.URL), str(ch.Publisher), str(ch.Author)
	ns.ArchivedURL, ns.Notes, ns.WithheldReason = str(ch.ArchivedURL), str(ch.Notes), str(ch.WithheldReason)
	switch {
	case ch.Kind != nil:
		ns.Kind = *ch.Kind
	case ns.URL != "":
		ns.Kind = models.KindWebPage
	default:
		return ns, models.FieldError("kind", "kind is required; one of %s", kindNames())
	}
	if ns.Title == "" {
		ns.Title = ns.URL
	}
	if ch.Reliability != nil && *ch.Reliability != "" {
		ns.Reliability = ch.Reliability
	}
	if ch.Credibility != nil && *ch.Credibility != 0 {
		ns.Credibility = ch.Credibility
	}
	if ch.Withheld != nil {
		ns.Withheld = *ch.Withheld
	}
	return ns, nil
}

// SourceURL checks and normalises an address typed for field: "" stays
// "", anything else must be an http or https URL (urlnorm.Normalize).
func SourceURL(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > models.MaxSourceURL {
		return "", models.FieldError(field, "a URL may have at most %d characters", models.MaxSourceURL)
	}
	n, err := urlnorm.Normalize(raw)
	if err != nil {
		switch {
		case errors.Is(err, urlnorm.ErrUnsupportedScheme):
			return "", models.FieldError(field, "%q is not an http or https address", raw)
		case errors.Is(err, urlnorm.ErrNoHost):
			return "", models.FieldError(field, "%q names no host", raw)
		}
		return "", models.FieldError(field, "%q is not a URL", raw)
	}
	return n, nil
}

// parseDate reads YYYY-MM-DD or RFC 3339; "" gives the zero time, which
// clears the date.
func parseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, models.FieldError(field, "%q is not a date (YYYY-MM-DD)", s)
}

func kindNames() string {
	names := make([]string, len(models.SourceKinds))
	for i, k := range models.SourceKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
