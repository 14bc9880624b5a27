package ingest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"factdesk/segment"
)

// ExclusionCode says why a sentence is excluded from review.
type ExclusionCode string

// The reasons Exclusions gives.
const (
	// ExcludeTruncated: a cut-off copy of another sentence, such as the
	// last sentence of a teaser ("The country is..").
	ExcludeTruncated ExclusionCode = "truncated"
	// ExcludeDuplicate: a word-for-word repeat of an earlier sentence.
	ExcludeDuplicate ExclusionCode = "duplicate"
)

// Exclusion marks a sentence that a reviewer should not be asked to check.
type Exclusion struct {
	Index  int           // Index of the excluded sentence
	Code   ExclusionCode // machine-readable reason
	Of     int           // Index of the sentence it copies
	Reason string        // for people: "duplicate of sentence 4" (numbered from 1)
}

// MinDuplicateWords is the fewest words a repeated sentence needs to be
// excluded as a duplicate: short sentences ("He declined.") recur in
// different contexts and each occurrence is a claim of its own.
const MinDuplicateWords = 5

// Minimum words of a truncated sentence's surviving start: a double-dot
// teaser ending ("The country..") is a strong sign, an ellipsis (which also
// ends sentences that trail off) or a missing terminal mark needs more.
const (
	minTruncatedWordsDoubleDot = 2
	minTruncatedWords          = 3
)

// Exclusions returns the sentences, in order, that repeat other sentences
// and need no review of their own:
//
//   - a duplicate: a sentence of at least MinDuplicateWords words that
//     repeats an earlier one word for word (compared without regard to
//     case, runs of white space, quotation mark and dash styles). The
//     later copy is excluded and the first kept;
//   - a truncated teaser: a sentence ending in ".." or an ellipsis ("...",
//     "…"), or the last sentence of a paragraph of several that ends
//     without terminal punctuation, whose text is the start of a later
//     sentence. It is excluded and the complete sentence kept.
//
// The sentences are those of one text, in order, as segment gives them;
// Index and Of in the result are their Index values.
func Exclusions(sentences []segment.Sentence) []Exclusion {
	n := len(sentences)
	norm := make([]string, n)
	for i, s := range sentences {
		norm[i] = normalizeSentence(s.Text)
	}
	excluded := make([]*Exclusion, n)
	canonical := make([]int, n) // position of the first copy of each sentence
	first := make(map[string]int, n)
	for i := range sentences {
		canonical[i] = i
		j, seen := first[norm[i]]
		switch {
		case !seen:
			first[norm[i]] = i
		case wordCount(norm[i]) >= MinDuplicateWords:
			canonical[i] = j
			excluded[i] = newExclusion(sentences, i, j, ExcludeDuplicate, "duplicate of sentence ")
		}
	}

	// Sorted, the sentences that start with a given prefix stand together:
	// each truncation candidate looks only at them.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := strings.Compare(norm[a], norm[b]); c != 0 {
			return c
		}
		return a - b
	})
	for i := range sentences {
		if excluded[i] != nil {
			continue
		}
		prefix, midWord, ok := truncatedPrefix(sentences, i, norm[i])
		if !ok {
			continue
		}
		if j := firstContinuation(norm, order, i, prefix, midWord); j >= 0 {
			excluded[i] = newExclusion(sentences, i, canonical[j], ExcludeTruncated, "truncated teaser: cut-off copy of sentence ")
		}
	}

	var out []Exclusion
	for _, e := range excluded {
		if e != nil {
			out = append(out, *e)
		}
	}
	return out
}

func newExclusion(s []segment.Sentence, i, of int, code ExclusionCode, reason string) *Exclusion {
	return &Exclusion{
		Index:  s[i].Index,
		Code:   code,
		Of:     s[of].Index,
		Reason: reason + strconv.Itoa(s[of].Index+1),
	}
}

// truncatedPrefix decides whether sentence i looks cut off and returns the
// normalised text that a complete copy would start with, and whether the cut
// may fall inside a word.
func truncatedPrefix(sentences []segment.Sentence, i int, norm string) (prefix string, midWord, ok bool) {
	text := strings.TrimSpace(sentences[i].Text)
	switch {
	case strings.HasSuffix(text, "..") || strings.HasSuffix(text, "…"):
		prefix = strings.TrimRight(norm, ".… ")
		min := minTruncatedWords
		if strings.HasSuffix(text, "..") && !strings.HasSuffix(text, "...") {
			min = minTruncatedWordsDoubleDot
		}
		return prefix, true, wordCount(prefix) >= min
	case lastOfLongParagraph(sentences, i) && endsCutOff(text):
		prefix = strings.TrimRight(norm, ", ")
		return prefix, false, wordCount(prefix) >= minTruncatedWords
	}
	return "", false, false
}

// lastOfLongParagraph reports whether sentence i ends a paragraph that has
// other sentences before it (a headline is a paragraph of one).
func lastOfLongParagraph(s []segment.Sentence, i int) bool {
	if i+1 < len(s) && s[i+1].Paragraph == s[i].Paragraph {
		return false
	}
	return i > 0 && s[i-1].Paragraph == s[i].Paragraph
}

// endsCutOff reports text ending in a letter, a digit or a comma: no
// terminal punctuation and no closing quotation mark or bracket.
func endsCutOff(text string) bool {
	r, _ := utf8.DecodeLastRuneInString(text)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == ','
}

// continues reports whether the normalised sentence s is a longer sentence
// starting with prefix; unless midWord, the prefix must end at a word end.
func continues(s, prefix string, midWord bool) bool {
	if len(s) <= len(prefix) || !strings.HasPrefix(s, prefix) {
		return false
	}
	if midWord {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[len(prefix):])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// maxContinuations bounds the sentences examined for one truncated
// candidate, so that a text of thousands of sentences sharing one opening
// stays linear; past it the continuation found may not be the nearest.
const maxContinuations = 256

// firstContinuation returns the position of the first sentence after i that
// continues prefix, or -1; order holds the positions sorted by norm.
func firstContinuation(norm []string, order []int, i int, prefix string, midWord bool) int {
	best := -1
	k, _ := slices.BinarySearchFunc(order, prefix, func(pos int, p string) int {
		return strings.Compare(norm[pos], p)
	})
	for end := min(len(order), k+maxContinuations); k < end && strings.HasPrefix(norm[order[k]], prefix); k++ {
		j := order[k]
		if j > i && (best < 0 || j < best) && continues(norm[j], prefix, midWord) {
			best = j
		}
	}
	return best
}

// normalizeSentence folds what a copy may change without changing the words:
// case, runs of white space, invisible characters, quotation mark and dash
// styles.
func normalizeSentence(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch r {
		case '“', '”', '„', '‟', '«', '»', '″', '＂':
			r = '"'
		case '‘', '’', '‚', '‛', '‹', '›', '′', '`', '´':
			r = '\''
		case '‐', '‑', '‒', '–', '—', '―', '−':
			r = '-'
		case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
			continue
		}
		if r < utf8.RuneSelf {
			if c := byte(r); c == ' ' || '\t' <= c && c <= '\r' {
				space = true
				continue
			}
		} else if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r < utf8.RuneSelf {
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func wordCount(norm string) int {
	if norm == "" {
		return 0
	}
	return strings.Count(norm, " ") + 1
}
