package ingest

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxReadabilityElements bounds the pages given to readability, whose
// scoring grows faster than the page; larger pages use the fallback.
const maxReadabilityElements = 200000

// convertHTML extracts the main text of a page with readability, falling
// back to the text of the page's main, article or body element when
// readability finds nothing. Scripts, styles, navigation, forms and hidden
// elements are never kept; the title is the page's, and opens the body.
func convertHTML(raw []byte) Document {
	root, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		// html.Parse fails only when reading fails, and raw is in memory.
		return Document{}
	}
	parser := readability.NewParser()
	parser.MaxElemsToParse = maxReadabilityElements
	var doc Document
	var body string
	if article, err := parser.ParseDocument(root, nil); err == nil {
		doc.Title = collapseSpace(article.Title())
		doc.Byline = collapseSpace(article.Byline())
		doc.Outlet = collapseSpace(article.SiteName())
		if t, err := article.PublishedTime(); err == nil {
			t = t.UTC()
			doc.PublishedAt = &t
		}
		if article.Node != nil {
			body = nodeText(article.Node)
		}
	}
	if strings.TrimSpace(body) == "" {
		body = nodeText(mainElement(root))
	}
	if doc.Title == "" {
		doc.Title = pageTitle(root)
	}
	if utf8.RuneCountInString(doc.Title) > MaxTitleRunes {
		doc.Title = ""
	}
	if body != "" && doc.Title != "" && !startsWithTitle(body, doc.Title) {
		body = doc.Title + "\n\n" + body
	}
	doc.Body = body
	return doc
}

// startsWithTitle reports whether the text opens with the title, compared
// without regard to case and runs of white space.
func startsWithTitle(body, title string) bool {
	head := body
	if n := 2*len(title) + 64; len(head) > n {
		head = head[:n]
	}
	return strings.HasPrefix(strings.ToLower(collapseSpace(head)), strings.ToLower(title))
}

// mainElement returns the page's main or article element, or its body.
func mainElement(root *html.Node) *html.Node {
	for _, a := range []atom.Atom{atom.Main, atom.Article, atom.Body} {
		if n := findElement(root, a); n != nil {
			return n
		}
	}
	return root
}

// pageTitle returns the text of the title element, or of the first h1.
func pageTitle(root *html.Node) string {
	for _, a := range []atom.Atom{atom.Title, atom.H1} {
		if n := findElement(root, a); n != nil {
			if t := collapseSpace(textContent(n)); t != "" {
				return t
			}
		}
	}
	return ""
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// htmlFragmentText writes the text of an HTML fragment (a Markdown HTML
// block) to tb.
func htmlFragmentText(s string, tb *textBuilder) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return
	}
	w := htmlText{tb: tb}
	for _, n := range nodes {
		w.node(n)
	}
}

// nodeText renders the text of n.
func nodeText(n *html.Node) string {
	var tb textBuilder
	w := htmlText{tb: &tb}
	w.node(n)
	return tb.String()
}

// skipped are elements whose content is never article text.
var skipped = map[atom.Atom]bool{
	atom.Head: true, atom.Title: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Form: true,
	atom.Button: true, atom.Select: true, atom.Textarea: true, atom.Input: true, atom.Label: true,
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Canvas: true, atom.Audio: true, atom.Video: true,
	atom.Img: true, atom.Picture: true, atom.Map: true, atom.Dialog: true, atom.Menu: true,
	atom.Link: true, atom.Meta: true,
}

// blocks are elements that stand as paragraphs of their own.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Blockquote: true, atom.Figure: true, atom.Figcaption: true,
	atom.Address: true, atom.Details: true, atom.Summary: true, atom.Hr: true, atom.Center: true,
	atom.Fieldset: true, atom.Dl: true, atom.Caption: true, atom.Body: true, atom.Html: true,
	atom.Hgroup: true,
}

// htmlText walks an HTML tree and writes its visible text.
type htmlText struct {
	tb   *textBuilder
	item int // depth of list items being written: blocks inside stay on the item's line
}

func (w *htmlText) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.tb.text(n.Data)
		return
	case html.DocumentNode:
		w.children(n)
		return
	case html.ElementNode:
	default:
		return
	}
	if skipped[n.DataAtom] || hidden(n) {
		return
	}
	switch a := n.DataAtom; {
	case a == atom.Br:
		w.tb.line()
	case a == atom.Pre:
		w.tb.paragraph()
		w.tb.pre(textContent(n))
		w.tb.paragraph()
	case a == atom.Ul || a == atom.Ol:
		w.list(n)
	case a == atom.Table:
		w.tb.paragraph()
		w.table(n)
		w.tb.paragraph()
	case a == atom.Dt || a == atom.Dd || a == atom.Li:
		w.tb.line()
		w.children(n)
		w.tb.line()
	case blocks[a] && w.item > 0:
		w.tb.separate()
		w.children(n)
		w.tb.separate()
	case blocks[a]:
		w.tb.paragraph()
		w.children(n)
		w.tb.paragraph()
	default:
		w.children(n)
	}
}

func (w *htmlText) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
}

// list writes one item per line with a "- " or "N. " marker, nested lists
// indented.
func (w *htmlText) list(n *html.Node) {
	if w.item == 0 {
		w.tb.paragraph()
	}
	num := 1
	if n.DataAtom == atom.Ol {
		if s, err := strconv.Atoi(attr(n, "start")); err == nil {
			num = s
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li || hidden(c) {
			if c.Type == html.ElementNode {
				w.node(c)
			}
			continue
		}
		w.tb.line()
		w.tb.flush()
		w.tb.b.WriteString(strings.Repeat("  ", w.item))
		if n.DataAtom == atom.Ol {
			w.tb.word(strconv.Itoa(num) + ".")
			num++
		} else {
			w.tb.word("-")
		}
		w.tb.separate()
		w.item++
		w.children(c)
		w.item--
	}
	if w.item == 0 {
		w.tb.paragraph()
	} else {
		w.tb.line()
	}
}

// table writes one row per line, cells separated by " | ".
func (w *htmlText) table(n *html.Node) {
	var rows func(*html.Node)
	rows = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || hidden(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				w.tb.line()
				first := true
				for cell := c.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.Type != html.ElementNode || (cell.DataAtom != atom.Td && cell.DataAtom != atom.Th) || hidden(cell) {
						continue
					}
					if !first {
						w.tb.separate()
						w.tb.word("|")
					}
					w.tb.separate()
					first = false
					w.item++ // paragraphs inside a cell stay on the row
					w.children(cell)
					w.item--
				}
			case atom.Caption:
				w.tb.line()
				w.children(c)
			default: // thead, tbody, tfoot
				rows(c)
			}
		}
	}
	rows(n)
}

// hidden reports elements that a browser does not show.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "" || strings.EqualFold(a.Val, "true") {
				return true
			}
		case "role":
			switch strings.ToLower(a.Val) {
			case "navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog", "alert":
				return true
			}
		case "style":
			s := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
