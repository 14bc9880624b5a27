// Package brat reads attribution annotations in the brat standoff format
// as PolNeAR and PARC-style corpora ship them: text-bound spans (Source,
// Cue, Content, the Attribution trigger) with code point offsets into the
// article's text, and events that link one relation's parts. It is what
// "factdesk suggest --eval" and the training program read.
package brat

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"factdesk/postag"
)

// Span is a range of a text, [Start, End), in bytes.
type Span struct{ Start, End int }

// Relation is one attribution: who (Source, absent for a bare passive or
// "reportedly"), by which words (Cue) and what (Content). Each part may be
// discontinuous. Offsets are bytes into the document's text.
type Relation struct {
	Source  []Span
	Cue     []Span
	Content []Span
}

// Document is an article's text with its attribution relations.
type Document struct {
	Name      string // the file name without extension and annotator
	Text      string
	Relations []Relation
}

// textSpan is a T line.
type textSpan struct {
	kind  string
	spans []Span
}

// Parse reads the annotations of text from a .ann file. Offsets in the
// file count code points; the spans returned count bytes. Lines other
// than T and E (notes, attributes) are skipped; so are spans that fall
// outside the text.
func Parse(text string, ann io.Reader) ([]Relation, error) {
	bytesAt := codePointOffsets(text)
	spans := map[string]textSpan{}
	var events [][]string
	sc := bufio.NewScanner(ann)
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 2 || fields[0] == "" {
			continue
		}
		switch fields[0][0] {
		case 'T':
			kind, ranges, ok := strings.Cut(fields[1], " ")
			if !ok {
				return nil, fmt.Errorf("line %d: a text span without offsets", line)
			}
			ts := textSpan{kind: kind}
			for _, r := range strings.Split(ranges, ";") {
				a, b, ok := strings.Cut(strings.TrimSpace(r), " ")
				start, err1 := strconv.Atoi(a)
				end, err2 := strconv.Atoi(b)
				if !ok || err1 != nil || err2 != nil || start < 0 || end < start {
					return nil, fmt.Errorf("line %d: bad offsets %q", line, ranges)
				}
				if end >= len(bytesAt) {
					continue
				}
				ts.spans = append(ts.spans, Span{bytesAt[start], bytesAt[end]})
			}
			spans[fields[0]] = ts
		case 'E':
			events = append(events, strings.Fields(fields[1]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read annotations: %w", err)
	}
	var out []Relation
	for _, ev := range events {
		if len(ev) == 0 || !strings.HasPrefix(ev[0], "Attribution") {
			continue
		}
		var r Relation
		for _, arg := range ev[1:] {
			role, id, _ := strings.Cut(arg, ":")
			ts := spans[id]
			switch strings.TrimRight(role, "0123456789") {
			case "Source":
				r.Source = append(r.Source, ts.spans...)
			case "Cue":
				r.Cue = append(r.Cue, ts.spans...)
			case "Content":
				r.Content = append(r.Content, ts.spans...)
			}
		}
		if len(r.Content) > 0 || len(r.Cue) > 0 {
			for _, p := range [][]Span{r.Source, r.Cue, r.Content} {
				slices.SortFunc(p, func(a, b Span) int { return a.Start - b.Start })
			}
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b Relation) int { return first(a) - first(b) })
	return out, nil
}

// first is where a relation starts in the text.
func first(r Relation) int {
	at := -1
	for _, p := range [][]Span{r.Source, r.Cue, r.Content} {
		if len(p) > 0 && (at < 0 || p[0].Start < at) {
			at = p[0].Start
		}
	}
	return at
}

// codePointOffsets maps each code point offset of text (and one past the
// end) to its byte offset.
func codePointOffsets(text string) []int {
	out := make([]int, 0, len(text)+1)
	for i := range text {
		out = append(out, i)
	}
	return append(out, len(text))
}

// ReadDir reads a corpus directory: the texts as NAME.txt and their
// annotations as NAME_ANNOTATOR.ann or NAME.ann, either side by side or in
// text/ and attributions/ subdirectories. Where an article has several
// annotators, the first in name order is read. Documents come sorted by
// name; a text without annotations is an error, since its sentences would
// all count as unattributed.
func ReadDir(dir string) ([]Document, error) {
	textDir, annDir := dir, dir
	if st, err := os.Stat(filepath.Join(dir, "text")); err == nil && st.IsDir() {
		textDir, annDir = filepath.Join(dir, "text"), filepath.Join(dir, "attributions")
	}
	texts, err := filepath.Glob(filepath.Join(textDir, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s: no .txt files", textDir)
	}
	anns, err := filepath.Glob(filepath.Join(annDir, "*.ann"))
	if err != nil {
		return nil, err
	}
	slices.Sort(anns)
	slices.Sort(texts)
	var docs []Document
	for _, t := range texts {
		name := strings.TrimSuffix(filepath.Base(t), ".txt")
		ann := annotationsOf(name, anns)
		if ann == "" {
			return nil, fmt.Errorf("%s: no annotations (%s.ann or %s_ANNOTATOR.ann) in %s", filepath.Base(t), name, name, annDir)
		}
		d, err := ReadDocument(t, ann)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// annotationsOf is the first annotation file of the article name.
func annotationsOf(name string, anns []string) string {
	for _, a := range anns {
		base := strings.TrimSuffix(filepath.Base(a), ".ann")
		if base == name {
			return a
		}
		if rest, ok := strings.CutPrefix(base, name+"_"); ok && !strings.Contains(rest, "_") {
			return a
		}
	}
	return ""
}

// ReadDocument reads one text and its annotation file.
func ReadDocument(textPath, annPath string) (Document, error) {
	b, err := os.ReadFile(textPath)
	if err != nil {
		return Document{}, err
	}
	if !utf8.Valid(b) {
		return Document{}, fmt.Errorf("%s: not UTF-8", textPath)
	}
	f, err := os.Open(annPath)
	if err != nil {
		return Document{}, err
	}
	defer f.Close()
	rels, err := Parse(string(b), f)
	if err != nil {
		return Document{}, fmt.Errorf("%s: %w", annPath, err)
	}
	return Document{Name: strings.TrimSuffix(filepath.Base(textPath), ".txt"), Text: string(b), Relations: rels}, nil
}

// Dev reports whether the article named name belongs to factdesk's fixed
// development split of a training corpus: one article in ten, chosen by
// a hash of its name (the one postag.DevArticle uses), so the split never
// depends on the order of files and every trainer holds out the same
// articles.
func Dev(name string) bool { return postag.DevArticle(name) }
