package fetch

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Decoded returns the body as UTF-8 text, decoded from the character set the
// page declares (byte order mark, Content-Type charset, or for HTML a meta
// element in its first kilobyte). An undeclared body that is valid UTF-8 is
// taken as UTF-8; an undeclared one that is not is read as Windows-1252, as
// browsers do. A leading UTF-8 byte order mark is dropped. Body, and the
// SHA-256 of what was retrieved, are left untouched.
func (p *Page) Decoded() (string, error) {
	enc, name, certain := charset.DetermineEncoding(p.Body, p.ContentType)
	if name == "utf-8" || (!certain && utf8.Valid(p.Body)) {
		return string(bytes.TrimPrefix(p.Body, []byte("\ufeff"))), nil
	}
	out, err := enc.NewDecoder().Bytes(p.Body)
	if err != nil {
		return "", fmt.Errorf("decode %s from %s: %w", p.FinalURL, name, err)
	}
	return string(bytes.TrimPrefix(out, []byte("\ufeff"))), nil
}
