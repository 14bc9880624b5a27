package search

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryLen is the longest query accepted, in characters.
const MaxQueryLen = 1000

// MinPrefix is the fewest letters a prefix search (word*) needs: a shorter
// prefix matches most of the archive and says little.
const MinPrefix = 2

// Errors of Parse, in words a person can act on.
var (
	ErrTooLong       = errors.New("the search is longer than 1,000 characters; shorten it")
	ErrOnlyExcluded  = errors.New("say what to look for: -word only leaves out what is found by the other words")
	ErrShortPrefix   = errors.New("a prefix search needs at least 2 letters before the *")
	ErrInvalidString = errors.New("the search is not valid text (UTF-8 without control characters)")
)

// Term is one part of a query: a word or a phrase (several words that must
// follow each other), optionally a prefix (its last word may go on), or
// excluded (-word: what has it is left out).
type Term struct {
	Words  []string
	Prefix bool
	Not    bool
}

// Query is a parsed search: groups of terms, all of whose terms must match
// (words, "phrases", prefix*, -exclusions); a text matches when any group
// does (groups are separated by OR).
type Query struct {
	Groups [][]Term
	// Ignored are the words left out as too common ("the", "of"); a
	// query of nothing else is Empty.
	Ignored []string
}

// Empty reports whether the query looks for nothing: it was blank, or
// all its words are too common to search by.
func (q Query) Empty() bool { return len(q.Groups) == 0 }

// Parse reads a search as people type it: words, "quoted phrases",
// -exclusions (-word, -"phrase"), prefix* and OR between alternatives.
// An unclosed quote runs to the end. Characters that are neither letters
// nor digits separate words, also inside a word (covid-19 is the phrase
// "covid 19").
func Parse(s string) (Query, error) {
	if utf8.RuneCountInString(s) > MaxQueryLen {
		return Query{}, ErrTooLong
	}
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && !unicode.IsSpace(r) }) {
		return Query{}, ErrInvalidString
	}
	var (
		q     Query
		group []Term
	)
	endGroup := func() error {
		if len(group) == 0 {
			return nil
		}
		positive := false
		for _, t := range group {
			positive = positive || !t.Not
		}
		if !positive {
			return ErrOnlyExcluded
		}
		q.Groups = append(q.Groups, group)
		group = nil
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		not := false
		if r == '-' && i+1 < len(s) && !unicode.IsSpace(rune(s[i+1])) {
			not = true
			i++
		}
		var raw string
		quoted := false
		if i < len(s) && s[i] == '"' {
			quoted = true
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				raw, i = s[i+1:], len(s)
			} else {
				raw, i = s[i+1:i+1+end], i+1+end+1
			}
		} else {
			end := strings.IndexFunc(s[i:], unicode.IsSpace)
			if end < 0 {
				end = len(s) - i
			}
			raw, i = s[i:i+end], i+end
		}
		prefix := false
		if quoted {
			// "a phrase"* makes its last word a prefix.
			if i < len(s) && s[i] == '*' {
				prefix = true
				i++
			}
		} else {
			if raw == "OR" && !not {
				if err := endGroup(); err != nil {
					return Query{}, err
				}
				continue
			}
			if trimmed := strings.TrimRight(raw, "*"); trimmed != raw {
				prefix, raw = true, trimmed
			}
		}
		t, ignored, err := term(raw, prefix, not)
		if err != nil {
			return Query{}, err
		}
		q.Ignored = append(q.Ignored, ignored...)
		if len(t.Words) > 0 {
			group = append(group, t)
		}
	}
	if err := endGroup(); err != nil {
		return Query{}, err
	}
	return q, nil
}

// term folds the words of one part of a query. A prefix's last word is
// kept even when it is a stop word, as long as it is MinPrefix long.
func term(raw string, prefix, not bool) (Term, []string, error) {
	var all []string
	scan(raw, func(t token) { all = append(all, t.word) })
	var (
		t       = Term{Prefix: prefix, Not: not}
		ignored []string
	)
	for i, w := range all {
		last := i == len(all)-1
		switch {
		case prefix && last:
			if utf8.RuneCountInString(w) < MinPrefix {
				return Term{}, nil, ErrShortPrefix
			}
			t.Words = append(t.Words, w)
		case len(w) > MaxWordBytes:
		case IsStopWord(w):
			ignored = append(ignored, w)
		default:
			t.Words = append(t.Words, w)
		}
	}
	if prefix && len(all) == 0 {
		return Term{}, nil, ErrShortPrefix
	}
	return t, ignored, nil
}

// Positive returns the words the query looks for (not those it excludes),
// and the prefixes, for highlighting.
func (q Query) Positive() (words map[string]bool, prefixes []string) {
	words = map[string]bool{}
	for _, g := range q.Groups {
		for _, t := range g {
			if t.Not {
				continue
			}
			for i, w := range t.Words {
				if t.Prefix && i == len(t.Words)-1 {
					prefixes = append(prefixes, w)
				} else {
					words[w] = true
				}
			}
		}
	}
	return words, prefixes
}

// TSQuery returns the query as a PostgreSQL tsquery literal for the
// vectors Vector builds: & between terms, <-> inside phrases, :* for a
// prefix, ! for an exclusion, | between groups. Words hold only letters
// and digits, so they need no escaping inside the quotes.
func (q Query) TSQuery() string {
	var groups []string
	for _, g := range q.Groups {
		var parts []string
		for _, t := range g {
			words := make([]string, len(t.Words))
			for i, w := range t.Words {
				words[i] = "'" + w + "'"
				if t.Prefix && i == len(t.Words)-1 {
					words[i] += ":*"
				}
			}
			p := strings.Join(words, " <-> ")
			if len(words) > 1 {
				p = "(" + p + ")"
			}
			if t.Not {
				p = "!" + p
			}
			parts = append(parts, p)
		}
		groups = append(groups, "("+strings.Join(parts, " & ")+")")
	}
	return strings.Join(groups, " | ")
}

// FTS5 returns the query in SQLite FTS5's syntax: every term a quoted
// phrase ("w1 w2", with * after it for a prefix), AND between the positive
// terms of a group, NOT for each exclusion, OR between groups.
func (q Query) FTS5() string {
	var groups []string
	for _, g := range q.Groups {
		var pos, neg []string
		for _, t := range g {
			p := `"` + strings.Join(t.Words, " ") + `"`
			if t.Prefix {
				p += " *"
			}
			if t.Not {
				neg = append(neg, p)
			} else {
				pos = append(pos, p)
			}
		}
		expr := "(" + strings.Join(pos, " AND ") + ")"
		for _, n := range neg {
			expr = "(" + expr + " NOT " + n + ")"
		}
		groups = append(groups, expr)
	}
	return strings.Join(groups, " OR ")
}

// String is the query as it was understood, for showing back: the terms
// with their folded words.
func (q Query) String() string {
	var groups []string
	for _, g := range q.Groups {
		var parts []string
		for _, t := range g {
			p := strings.Join(t.Words, " ")
			if len(t.Words) > 1 {
				p = `"` + p + `"`
			}
			if t.Prefix {
				p += "*"
			}
			if t.Not {
				p = "-" + p
			}
			parts = append(parts, p)
		}
		groups = append(groups, strings.Join(parts, " "))
	}
	return strings.Join(groups, " OR ")
}
