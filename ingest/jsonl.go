package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ReadJSONL reads a JSON Lines file of articles, one ArticleInput object per
// line, and calls fn for every non-blank line with its 1-based number and
// either the article or the *Error that line has (malformed JSON, invalid
// UTF-8, a line longer than limits.MaxLineBytes). A bad line does not stop
// the reading: fn decides, and reading stops only when fn returns an error,
// which ReadJSONL then returns. A failure of r is returned wrapped. The
// articles are decoded, not validated: call Validate and Convert on each.
func ReadJSONL(r io.Reader, limits Limits, fn func(line int, a ArticleInput, err error) error) error {
	limits = limits.withDefaults()
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for n := 1; ; n++ {
		line, tooLong, readErr := readLine(br, &buf, limits.MaxLineBytes)
		if readErr != nil && readErr != io.EOF {
			return fmt.Errorf("read line %d: %w", n, readErr)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		var err error
		switch {
		case tooLong:
			err = newError(TooLarge, "", "line longer than the limit of %d bytes", limits.MaxLineBytes)
		case len(bytes.TrimSpace(line)) == 0:
			if readErr == io.EOF {
				return nil
			}
			continue
		}
		var a ArticleInput
		if err == nil {
			a, err = DecodeArticle(line)
		}
		if ferr := fn(n, a, err); ferr != nil {
			return ferr
		}
		if readErr == io.EOF {
			return nil
		}
	}
}

// readLine reads one line into *buf (reusing it) without its line break.
// A line longer than max is consumed to its end but not kept: tooLong
// reports it. At the end of the input it returns io.EOF with the last line.
func readLine(br *bufio.Reader, buf *[]byte, max int) (line []byte, tooLong bool, err error) {
	*buf = (*buf)[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(*buf)+len(chunk) > max+2 { // room for "\r\n"
				tooLong = true
				*buf = (*buf)[:0]
			} else {
				*buf = append(*buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(*buf, []byte("\n")), []byte("\r"))
		if len(line) > max {
			tooLong, line = true, nil
		}
		return line, tooLong, err
	}
}
