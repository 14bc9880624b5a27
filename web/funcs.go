package web

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"time"
)

func (e *Engine) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":         e.AssetURL,
		"date":          formatDate,
		"time":          formatTime,
		"percent":       percent,
		"percent100":    func(f float64) int { return int(f*100 + 0.5) },
		"plural":        Plural,
		"add":           func(a, b int) int { return a + b },
		"title":         titleWord,
		"join":          strings.Join,
		"dict":          dict,
		"sentenceLinks": SentenceLinks,
		"marked":        Marked,
	}
}

// formatDate prints a time as a date, or an empty string for nil.
func formatDate(v any) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006")
	case *time.Time:
		if t == nil {
			return ""
		}
		return formatDate(*t)
	}
	return ""
}

// formatTime prints a time to the minute, in UTC, as newsrooms log it.
func formatTime(v any) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 2006 15:04 UTC")
	case *time.Time:
		if t == nil {
			return ""
		}
		return formatTime(*t)
	}
	return ""
}

func percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}

// Plural returns "1 sentence" or "3 sentences".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// titleWord turns "in_review" into "In review".
func titleWord(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dict builds a map from alternating keys and values, to pass several
// values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// trailingNumbers finds the list of sentence numbers that ends a message
// ("…: 3, 5, 12 and 4 more." or "…(sentences 3, 5).").
var trailingNumbers = regexp.MustCompile(`^(.*?[:(] ?(?:sentences? )?)((?:\d+, )*\d+)((?: and \d+ more)?\)?\.?)$`)

// SentenceLinks writes a message whose trailing sentence numbers are links
// to those sentences on the review page (?s=N selects one); the rest is
// escaped text.
func SentenceLinks(msg string) template.HTML {
	m := trailingNumbers.FindStringSubmatch(msg)
	if m == nil {
		return template.HTML(template.HTMLEscapeString(msg))
	}
	var b strings.Builder
	b.WriteString(template.HTMLEscapeString(m[1]))
	for i, n := range strings.Split(m[2], ", ") {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `<a href="?s=%s#s-%s" data-goto="%s">%s</a>`, n, n, n, n)
	}
	b.WriteString(template.HTMLEscapeString(m[3]))
	return template.HTML(b.String())
}

// Marked renders a search highlight (search.Highlight: the text escaped,
// the matching words in <mark>) as HTML. Anything else that looks like a
// tag is escaped, so that a highlight from elsewhere cannot inject markup.
func Marked(h string) template.HTML {
	bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h)
	if strings.ContainsAny(bare, "<>") {
		return template.HTML(template.HTMLEscapeString(h))
	}
	return template.HTML(h)
}
