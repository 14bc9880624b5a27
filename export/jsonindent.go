package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// writeIndentedJSON encodes v as JSON without HTML escaping and writes it
// to w indented by two spaces, byte for byte as json.Indent would, with a
// final newline. encoding/json's own indenting runs a general scanner over
// every byte and costs twice the encoding itself on a large report; the
// encoder's output is known to be valid, so a plain loop does.
func writeIndentedJSON(w io.Writer, v any) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	out := indentJSON(make([]byte, 0, compact.Len()*3/2), bytes.TrimRight(compact.Bytes(), "\n"))
	out = append(out, '\n')
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// indentJSON appends src, valid compact JSON, to dst indented by two
// spaces per level. Empty objects and arrays stay "{}" and "[]".
func indentJSON(dst, src []byte) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			j := i + 1
			for ; j < len(src); j++ {
				if src[j] == '\\' {
					j++
				} else if src[j] == '"' {
					break
				}
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			dst = append(dst, c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
