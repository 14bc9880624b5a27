package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"
)

// mdToText renders Markdown with goldmark (GitHub tables on, raw HTML
// off as by default) and returns the HTML and its visible text.
func mdToText(t *testing.T, md []byte) (string, string) {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table)).Convert(md, &out); err != nil {
		t.Fatalf("render Markdown: %v", err)
	}
	doc, err := html.Parse(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("parse rendered Markdown: %v", err)
	}
	return out.String(), textOf(doc)
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return b.String()
}

func TestMarkdownReadsBackEverySentence(t *testing.T) {
	r := seedReport(t)
	md := render(t, FormatMarkdown, r)
	checkNoSecrets(t, "md", md)
	_, text := mdToText(t, md)
	for _, s := range r.Sentences {
		if !strings.Contains(text, s.Text) {
			t.Errorf("rendered Markdown lacks sentence %d %q", s.Number, s.Text)
		}
	}
	if !strings.Contains(text, "Audit trail verified") {
		t.Errorf("rendered Markdown lacks the verification result")
	}
}

// TestMarkdownEscapes checks that text from the report stays text: no
// raw HTML, links, headings, lists or table cells come out of it.
func TestMarkdownEscapes(t *testing.T) {
	for _, evil := range []string{
		"<script>alert(1)</script>",
		"[click](javascript:alert(1))",
		"# Not a heading",
		"1. Not a list",
		"- not a list",
		"> not a quote",
		"a | b | c",
		"*not emphasis* and _not_ `code`",
		"&lt;entity&gt; &amp;",
		"![img](https://tracker.example/p.gif)",
	} {
		t.Run(evil, func(t *testing.T) {
			r := seedReport(t)
			r.Sentences = r.Sentences[:1]
			r.Sentences[0].Text = evil
			r.Sentences[0].Note = evil
			r.Article.Title = evil
			htm, text := mdToText(t, render(t, FormatMarkdown, r))
			if !strings.Contains(text, evil) {
				t.Errorf("visible text lacks %q", evil)
			}
			for _, bad := range []string{"<script", "<a href=\"javascript", "<img", "<em>", "<code>not", "<h1>Not", "<ol>"} {
				if strings.Contains(htm, bad) {
					t.Errorf("rendered Markdown contains %s", bad)
				}
			}
		})
	}
}

func TestMdText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain words", "plain words"},
		{"# x", `\# x`},
		{"12. x", `12\. x`},
		{"a*b*", `a\*b\*`},
		{"a\nb", "a b"},
		{"“Curly” — dash", "“Curly” — dash"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := mdText(tc.in); got != tc.want {
				t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
