package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"factdesk/segment"
)

const segmentUsage = `segment [--format json|text] [FILE]

Splits FILE (or standard input) into sentences. json writes one object a
line: {"paragraph","index","start","end","text","quote"}, with start and
end in Unicode code points; text writes one sentence a line.`

func runSegment(ctx context.Context, p *Program, args []string) error {
	fs := p.flags("segment", segmentUsage)
	format := fs.String("format", "json", "json or text")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "json" && *format != "text" {
		return usageError{fmt.Sprintf("--format %q: want json or text", *format)}
	}
	var in io.Reader = p.Stdin
	switch fs.NArg() {
	case 0:
	case 1:
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return usageError{fmt.Sprintf("cannot read %s: %v", fs.Arg(0), unwrapPath(err))}
		}
		defer f.Close()
		in = f
	default:
		return usageError{"segment reads one file at most"}
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return usageError{fmt.Sprintf("cannot read input: %v", unwrapPath(err))}
	}
	text := string(b)
	w := bufio.NewWriter(p.Stdout)
	sents := segment.Split(text)
	offs := segment.NewOffsets(text)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, s := range sents {
		if *format == "text" {
			// One sentence per line: line breaks inside it become spaces.
			fmt.Fprintln(w, strings.Join(strings.Fields(s.Text), " "))
			continue
		}
		if err := enc.Encode(offs.Record(s)); err != nil {
			return err
		}
	}
	return w.Flush()
}

// unwrapPath drops the repeated file name from an *os.PathError.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
