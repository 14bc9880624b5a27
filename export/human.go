package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"factdesk/codebook"
)

// This file holds the wording the reports for people (Markdown, HTML, PDF)
// share, so that they say the same things in the same words.

// humanTime prints t for people, in UTC to the second.
func humanTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// humanOptTime prints an optional time, "—" when there is none.
func humanOptTime(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return humanTime(*t)
}

// orDash returns s, or "—" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// ratio prints n of d with its percentage: "12 of 15 (80%)".
func ratio(n, d int) string {
	if d == 0 {
		return fmt.Sprintf("%d of %d", n, d)
	}
	return fmt.Sprintf("%d of %d (%d%%)", n, d, (n*100+d/2)/d)
}

// coefficient prints an agreement figure, "undefined" for nil.
func coefficient(f *float64) string {
	if f == nil {
		return "undefined"
	}
	return strconv.FormatFloat(*f, 'f', 3, 64)
}

// labelText names a sentence's label, "unlabeled" for none.
func labelText(l codebook.Label) string {
	if l == "" {
		return Unlabeled
	}
	return string(l)
}

// splitPerson splits a person as the audit trail names them, "Name
// <email>", into the display name and the address. A name without an
// address comes back whole; a person known by their address alone is "a
// member of staff", so that the address is never used as a name.
func splitPerson(p string) (name, email string) {
	p = strings.TrimSpace(p)
	if !strings.HasSuffix(p, ">") {
		return p, ""
	}
	i := strings.LastIndex(p, "<")
	if i < 0 {
		return p, ""
	}
	name, email = strings.TrimSpace(p[:i]), strings.TrimSpace(p[i+1:len(p)-1])
	if name == "" {
		name = "a member of staff"
	}
	return name, email
}

// attributionText says who a claim is attributed to, in one line:
// "US intelligence agencies (according to; in a report) — carried over".
func attributionText(a *Attribution) string {
	if a == nil || a.Speaker == "" {
		return ""
	}
	var extra []string
	if a.Cue != "" {
		extra = append(extra, "cue “"+a.Cue+"”")
	}
	if a.Medium != "" {
		extra = append(extra, "in "+a.Medium)
	}
	s := a.Speaker
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, "; ") + ")"
	}
	if a.CarriedOver {
		s += ", carried over from an earlier sentence"
	}
	return s
}

// sourceTitle names a source for people; a withheld source is only said
// to exist.
func sourceTitle(s Source) string {
	if s.Withheld {
		return "Withheld source"
	}
	return firstNonEmpty(s.Title, s.URL, "Untitled source")
}

// sourceFacts lists what was recorded about a source besides its title and
// URL, each as "name: value".
func sourceFacts(s Source) []string {
	var f []string
	add := func(name, v string) {
		if v != "" {
			f = append(f, name+": "+v)
		}
	}
	add("kind", strings.ReplaceAll(s.Kind, "_", " "))
	if s.Withheld {
		add("withheld", orDash(s.WithheldReason))
	}
	add("publisher", s.Publisher)
	add("author", s.Author)
	if s.PublishedAt != nil {
		add("published", humanTime(*s.PublishedAt))
	}
	if s.RetrievedAt != nil {
		add("retrieved", humanTime(*s.RetrievedAt))
	}
	if s.HTTPStatus != 0 {
		add("HTTP status", strconv.Itoa(s.HTTPStatus))
	}
	add("content type", s.ContentType)
	add("SHA-256", s.SHA256)
	add("grading", grading(s))
	return f
}

// sourceChangeNote says what of a source has changed since the article's
// approval, as "title changed since approval; now: …" for each field, or
// "" when nothing has.
func sourceChangeNote(s Source) string {
	if !s.ChangedSinceApproval {
		return ""
	}
	if len(s.Changes) == 0 {
		return "changed since approval"
	}
	notes := make([]string, len(s.Changes))
	for i, c := range s.Changes {
		notes[i] = strings.ReplaceAll(c.Field, "_", " ") + " changed since approval; now: " + orDash(c.Now)
	}
	return strings.Join(notes, "; ")
}

// verificationText is the one-line result of the audit trail check. When
// it failed, renderers put verificationFailed before it, as a headline.
func verificationText(v Verification) string {
	if v.OK {
		return fmt.Sprintf("Audit trail verified: %d events, hash chain and replay intact.", v.Events)
	}
	var broken []string
	if !v.ChainOK {
		broken = append(broken, "the hash chain is broken")
	}
	if !v.ReplayOK {
		broken = append(broken, "replaying the events does not give the article's current state")
	}
	if len(broken) == 0 {
		broken = append(broken, "the check did not succeed")
	}
	s := strings.Join(broken, " and ")
	return strings.ToUpper(s[:1]) + s[1:] + ". This record may have been altered after the fact; do not rely on it without investigating."
}

// verificationFailed is the headline of a failed verification.
const verificationFailed = "VERIFICATION FAILED"

// eventChange prints an event's before and after as compact JSON, one
// line: "{…} → {…}".
func eventChange(e Event) string {
	if e.Redacted {
		return "(redacted: concerns a withheld source)"
	}
	return compactJSON(e.Before) + " → " + compactJSON(e.After)
}

func compactJSON(m json.RawMessage) string {
	if len(m) == 0 {
		return "null"
	}
	var b bytes.Buffer
	if err := json.Compact(&b, m); err != nil {
		// Not JSON after all: show it as it is rather than hide it.
		return string(m)
	}
	return b.String()
}

// shortHash abbreviates a hash for tables; the full one is in the JSON.
func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

// paperTitle is the report's title line.
func paperTitle(r *Report) string {
	return "Audit report: " + firstNonEmpty(r.Article.Title, "article "+strconv.FormatInt(r.Article.ID, 10))
}

// bar is one bar of a distribution chart.
type bar struct {
	Name  string
	Count int
	Color string // #rrggbb
}

// labelColors and statusColors give each category its colour from the
// codebook's palette (codebook.LabelPaints, codebook.StatusPaints): the
// same as on the review page, distinguishable with colour-vision
// deficiencies and readable as text on white.
var labelColors, statusColors = paletteColors(codebook.LabelPaints), paletteColors(codebook.StatusPaints)

func paletteColors(ps []codebook.Paint) map[string]string {
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.Name] = p.Light.Color
	}
	return m
}

// otherColor colours a category the codebook does not know.
var otherColor = codebook.LabelPaint("").Light.Color

// labelBars and statusBars give the charts' bars in the codebook's order,
// followed by any category the codebook does not know.
func labelBars(s Summary) []bar {
	names := make([]string, 0, len(codebook.Labels)+1)
	for _, l := range codebook.Labels {
		names = append(names, string(l))
	}
	return bars(s.ByLabel, append(names, Unlabeled), labelColors)
}

func statusBars(s Summary) []bar {
	names := make([]string, 0, len(codebook.Statuses))
	for _, st := range codebook.Statuses {
		names = append(names, string(st))
	}
	return bars(s.ByStatus, names, statusColors)
}

func bars(counts map[string]int, order []string, colors map[string]string) []bar {
	out := make([]bar, 0, len(counts))
	seen := map[string]bool{}
	for _, n := range order {
		seen[n] = true
		out = append(out, bar{Name: n, Count: counts[n], Color: colors[n]})
	}
	for _, n := range sortedKeys(counts) {
		if !seen[n] {
			out = append(out, bar{Name: n, Count: counts[n], Color: otherColor})
		}
	}
	return out
}
