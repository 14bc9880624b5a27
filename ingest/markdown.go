package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// convertMarkdown renders Markdown (CommonMark with GitHub's tables,
// strikethrough and autolinks) to plain text: heading, emphasis and link
// syntax gone, link text kept, list items one per line with a "- " or "N. "
// marker, code kept as text, tables one row per line, images and raw HTML
// tags dropped (the text of HTML blocks kept). The title is the first level-1
// heading, or the first heading when the document opens with one; it stays
// in the body as its first paragraph.
func convertMarkdown(src []byte) Document {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(text.NewReader(src))
	r := &mdRenderer{src: src}
	r.blocks(root, &r.out)
	return Document{Title: r.title, Body: r.out.String()}
}

type mdRenderer struct {
	src    []byte
	out    textBuilder
	title  string
	seen   bool // a block has been rendered, so a later heading is no opening heading
	escBuf bytes.Buffer
	escW   *bufio.Writer
}

// blocks renders the block children of n.
func (r *mdRenderer) blocks(n ast.Node, tb *textBuilder) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c, tb)
		r.seen = true
	}
}

func (r *mdRenderer) block(n ast.Node, tb *textBuilder) {
	switch n := n.(type) {
	case *ast.Heading:
		tb.paragraph()
		r.inlines(n, tb)
		tb.paragraph()
		if r.title == "" && (n.Level == 1 || !r.seen) {
			var h textBuilder
			r.inlines(n, &h)
			r.title = collapseSpace(h.String())
		}
	case *ast.Paragraph, *ast.TextBlock:
		tb.paragraph()
		r.inlines(n, tb)
		tb.paragraph()
	case *ast.List:
		tb.paragraph()
		r.list(n, tb, 0)
		tb.paragraph()
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		tb.paragraph()
		tb.pre(string(n.Lines().Value(r.src)))
		tb.paragraph()
	case *ast.HTMLBlock:
		// Only the text of the markup: scripts, styles and the rest of
		// what a page would not show are dropped.
		var b strings.Builder
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			b.Write(seg.Value(r.src))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(r.src))
		}
		tb.paragraph()
		htmlFragmentText(b.String(), tb)
		tb.paragraph()
	case *east.Table:
		tb.paragraph()
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			tb.line()
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if cell != row.FirstChild() {
					tb.word("|")
					tb.separate()
				}
				r.inlines(cell, tb)
				tb.separate()
			}
		}
		tb.paragraph()
	case *ast.ThematicBreak:
		tb.paragraph()
	default: // block quotes and containers of extensions
		tb.paragraph()
		r.blocks(n, tb)
		tb.paragraph()
	}
}

// list renders one list item per line, nested lists indented.
func (r *mdRenderer) list(l *ast.List, tb *textBuilder, depth int) {
	num := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		tb.line()
		marker := "-"
		if l.IsOrdered() {
			marker = fmt.Sprintf("%d.", num)
			num++
		}
		tb.flush()
		tb.b.WriteString(strings.Repeat("  ", depth))
		tb.word(marker)
		tb.separate()
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.List:
				r.list(c, tb, depth+1)
			case *ast.Paragraph, *ast.TextBlock:
				r.inlines(c, tb)
				tb.separate()
			default:
				// Code or a quotation inside an item stays on its line.
				var inner textBuilder
				r.block(c, &inner)
				tb.text(inner.String())
				tb.separate()
			}
		}
	}
}

// inlines renders the inline children of n.
func (r *mdRenderer) inlines(n ast.Node, tb *textBuilder) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(r.src)
			if c.IsRaw() {
				tb.text(string(v))
			} else {
				tb.text(r.unescape(v))
			}
			switch {
			case c.HardLineBreak():
				tb.line()
			case c.SoftLineBreak():
				tb.separate()
			}
		case *ast.String:
			if c.IsRaw() || c.IsCode() {
				tb.text(string(c.Value))
			} else {
				tb.text(r.unescape(c.Value))
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					tb.text(string(s.Segment.Value(r.src)))
				}
			}
		case *ast.AutoLink:
			tb.text(string(c.Label(r.src)))
		case *ast.Image, *ast.RawHTML, *east.TaskCheckBox:
			// Not article text.
		default: // emphasis, links, strikethrough: their text
			r.inlines(c, tb)
		}
	}
}

// unescape resolves backslash escapes and character references the way
// goldmark's HTML renderer does, then undoes its HTML escaping.
func (r *mdRenderer) unescape(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	r.escBuf.Reset()
	if r.escW == nil {
		r.escW = bufio.NewWriter(&r.escBuf)
	}
	gmhtml.DefaultWriter.Write(r.escW, v)
	r.escW.Flush()
	return html.UnescapeString(r.escBuf.String())
}
