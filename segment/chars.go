package segment

import (
	"unicode"
	"unicode/utf8"
)

// decodeAt returns the code point starting at s[i] and its size, exactly as
// a range loop over s sees it: an invalid byte is one code point,
// utf8.RuneError, of size 1.
func decodeAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// decodeBefore returns the code point ending at s[i] and its size. Called
// only at code point boundaries, where it agrees with a forward decode.
func decodeBefore(s string, i int) (rune, int) {
	if c := s[i-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeLastRuneInString(s[:i])
}

// isSpace reports whether r is white space for the segmenter: Unicode white
// space, the zero-width spaces and joiners, the byte order mark and every
// control character (stray NULs and escape codes are noise, not text).
func isSpace(r rune) bool {
	switch {
	case r <= ' ':
		return true
	case r < 0x7f:
		return false
	case r <= 0xa0:
		return true
	case r < 0x1680:
		return false
	}
	switch r {
	case 0x1680, 0x180e, 0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200d
}

// isLineBreak reports whether r ends a line: \n, \r or both. Other
// separators (\v, \f, U+0085, U+2028, U+2029) are white space within a line:
// news text does not use them to lay out paragraphs, and reading them as
// plain space keeps line finding to one fast search for \n.
func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r'
}

// skipSpace returns the first position at or after i, before end, that
// starts a non-space code point, or end.
func skipSpace(s string, i, end int) int {
	for i < end {
		c := s[i]
		if c < utf8.RuneSelf {
			if c > ' ' && c != 0x7f {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:end])
		if !isSpace(r) {
			return i
		}
		i += n
	}
	return end
}

// trimEnd returns the position just past the last non-space code point in
// s[start:end], or start when there is none. end must be a code point
// boundary.
func trimEnd(s string, start, end int) int {
	for end > start {
		r, n := decodeBefore(s, end)
		if !isSpace(r) {
			return end
		}
		end -= n
	}
	return start
}

func isUpper(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

func isLower(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z'
	}
	return unicode.IsLower(r)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// isOpener reports whether r opens a quotation or a bracket, as seen at the
// start of a word.
func isOpener(r rune) bool {
	switch r {
	case '(', '[', '{', '"', '\'', '`', '“', '‘', '„', '‚', '«', '‹', '¿', '¡':
		return true
	}
	return false
}

// isCloser reports whether r may close a quotation or a bracket right after
// a sentence's final mark.
func isCloser(r rune) bool {
	switch r {
	case ')', ']', '}', '"', '\'', '”', '’', '»', '›':
		return true
	}
	return false
}

// isDash reports whether r is a hyphen or a dash.
func isDash(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−':
		return true
	}
	return false
}

// isBullet reports whether r is a character that marks a list item.
func isBullet(r rune) bool {
	switch r {
	case '•', '◦', '‣', '⁃', '●', '▪', '■', '□', '►', '▸', '➢', '✓', '✔', '∙':
		return true
	}
	return false
}

// continues reports whether a word starting with r carries on the sentence
// before it rather than starting a new one (",", ";", a dash, a closing
// bracket, another final mark…).
func continues(r rune) bool {
	switch r {
	case ',', ';', ':', ')', ']', '}', '%', '&', '.', '?', '!', '…', '/', '»', '”', '’':
		return true
	}
	return isDash(r)
}
