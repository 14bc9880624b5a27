package machine

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"factdesk/segment"
)

// splitText stands in for segment.Split until the segmenter lands: blank
// lines end paragraphs; ". ", "? ", "! " (closing quotes included) before a
// capital letter, digit or opening quote end sentences.
func splitText(text string) []segment.Sentence {
	var out []segment.Sentence
	para := -1
	for _, p := range paragraphs(text) {
		para++
		start := skipSpaceFrom(text, p[0], p[1])
		for i := start; i < p[1]; {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if r != '.' && r != '?' && r != '!' {
				continue
			}
			j := i
			for j < p[1] {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if r2 != '"' && r2 != '”' && r2 != '’' && r2 != '.' {
					break
				}
				j += s2
			}
			k := skipSpaceFrom(text, j, p[1])
			if k == j && k < p[1] {
				continue
			}
			if k < p[1] {
				r3, _ := utf8.DecodeRuneInString(text[k:])
				if !unicode.IsUpper(r3) && !unicode.IsDigit(r3) && r3 != '“' && r3 != '"' {
					continue
				}
			}
			out = append(out, segment.Sentence{Paragraph: para, Index: len(out), Start: start, End: j, Text: text[start:j], Quote: segment.QuoteNone})
			start, i = k, k
		}
		end := strings.TrimRightFunc(text[:p[1]], unicode.IsSpace)
		if start < len(end) {
			out = append(out, segment.Sentence{Paragraph: para, Index: len(out), Start: start, End: len(end), Text: text[start:len(end)], Quote: segment.QuoteNone})
		}
	}
	return out
}

func paragraphs(text string) [][2]int {
	var ps [][2]int
	start := 0
	for start < len(text) {
		end := strings.Index(text[start:], "\n\n")
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if strings.TrimSpace(text[start:end]) != "" {
			ps = append(ps, [2]int{start, end})
		}
		start = end + 2
	}
	return ps
}

func skipSpaceFrom(text string, i, end int) int {
	for i < end {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}
