package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attrOf(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
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
	}
	walk(n)
	return b.String()
}

// TestReviewText parses the markup back and checks that what the page's
// script and styles read is there, and that no value escapes its place.
func TestReviewText(t *testing.T) {
	hostile := `<script>alert("x")</script> & 'quoted' "double"`
	paras := [][]TextSentence{
		{
			{ID: 11, Number: 1, Version: 3, Status: "verified", Label: "fact", Tag: "fact · verified", Verdict: "Mostly true", Note: hostile, Text: "First " + hostile, Selected: true},
			{ID: 12, Number: 2, Version: 1, Status: "unreviewed", Text: "Second.", Threads: 2},
		},
		{
			{ID: 13, Number: 3, Version: 2, Status: "excluded", Reason: `dup "of 1"`, Text: "Third.", Changed: true, Threads: 1, ChangeRequested: true},
		},
	}
	doc, err := html.Parse(strings.NewReader(string(ReviewText(paras))))
	if err != nil {
		t.Fatal(err)
	}
	if got := find(doc, func(n *html.Node) bool { return n.Data == "script" }); len(got) != 0 {
		t.Fatal("a sentence's text became markup")
	}
	if got := find(doc, func(n *html.Node) bool { return n.Data == "p" }); len(got) != 2 {
		t.Errorf("paragraphs: got %d, want 2", len(got))
	}
	sents := find(doc, func(n *html.Node) bool { v, _ := attrOf(n, "class"); return strings.HasPrefix(v, "sentence") })
	if len(sents) != 3 {
		t.Fatalf("sentences: got %d, want 3", len(sents))
	}
	tests := []struct {
		name       string
		n          *html.Node
		attrs      map[string]string
		absent     []string
		text, tail string
	}{
		{"labeled and selected", sents[0], map[string]string{"id": "s-1", "class": "sentence is-selected", "data-id": "11", "data-version": "3",
			"data-status": "verified", "data-label": "fact", "data-verdict": "Mostly true", "data-note": hostile, "aria-current": "true"},
			[]string{"data-reason"}, "1fact · verifiedFirst " + hostile, ""},
		{"open with comments", sents[1], map[string]string{"id": "s-2", "class": "sentence", "data-status": "unreviewed"},
			[]string{"data-label", "data-note", "aria-current"}, "2Second.", " 2 comments"},
		{"excluded, changed, with a change request", sents[2], map[string]string{"class": "sentence is-changed", "data-reason": `dup "of 1"`},
			[]string{"data-label"}, "3Third.", ` excluded: dup "of 1" changes requested`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, want := range tc.attrs {
				if got, _ := attrOf(tc.n, k); got != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			for _, k := range tc.absent {
				if _, ok := attrOf(tc.n, k); ok {
					t.Errorf("%s is set, want it absent", k)
				}
			}
			if got, want := textOf(tc.n), tc.text+tc.tail; got != want {
				t.Errorf("text: got %q, want %q", got, want)
			}
			links := find(tc.n, func(n *html.Node) bool { return n.Data == "a" })
			if len(links) != 1 {
				t.Fatalf("links: %d", len(links))
			}
			if href, _ := attrOf(links[0], "href"); !strings.HasPrefix(href, "?s=") {
				t.Errorf("the number links to %q", href)
			}
		})
	}
}

// textTemplate is the same markup through html/template: the baseline of
// BenchmarkReviewText, and a check that both write the same page.
var textTemplate = template.Must(template.New("text").Parse(`{{range .}}<p class="para">{{range .}}<span class="sentence{{if .Selected}} is-selected{{end}}{{if .Changed}} is-changed{{end}}" id="s-{{.Number}}" data-id="{{.ID}}" data-version="{{.Version}}" data-status="{{.Status}}"{{with .Label}} data-label="{{.}}"{{end}}{{with .Verdict}} data-verdict="{{.}}"{{end}}{{with .Note}} data-note="{{.}}"{{end}}{{with .Reason}} data-reason="{{.}}"{{end}}{{if .Selected}} aria-current="true"{{end}}><a class="num" tabindex="-1" href="?s={{.Number}}#s-{{.Number}}">{{.Number}}</a>{{with .Tag}}<span class="lt">{{.}}</span>{{end}}{{.Text}}{{if eq .Status "excluded"}} <span class="excluded-note">excluded: {{.Reason}}</span>{{end}}{{if .ChangeRequested}} <span class="mark mark-cr">changes requested</span>{{else if eq .Threads 1}} <span class="mark">1 comment</span>{{else if .Threads}} <span class="mark">{{.Threads}} comments</span>{{end}}</span> {{end}}</p>
{{end}}`))

func longText(n int) [][]TextSentence {
	var paras [][]TextSentence
	for i := 0; i < n; i++ {
		if i%5 == 0 {
			paras = append(paras, nil)
		}
		s := TextSentence{ID: int64(1000 + i), Number: i + 1, Version: 1, Status: "unreviewed",
			Text: fmt.Sprintf("Sen. Maria Alvarez said on Tuesday that the budget for %d would “rise by 3.5%%” — a claim others dispute.", 2000+i)}
		if i%3 == 0 {
			s.Status, s.Label, s.Tag = "labeled", "quote", "quote"
		}
		paras[len(paras)-1] = append(paras[len(paras)-1], s)
	}
	return paras
}

// TestReviewTextMatchesTemplate checks that the hand-written markup is
// what html/template writes from the same data, escaping included.
func TestReviewTextMatchesTemplate(t *testing.T) {
	paras := longText(40)
	paras[0][0].Note = `a "note" <b>`
	paras[1][0].Status, paras[1][0].Reason = "excluded", "dup & co"
	paras[2][0].Threads, paras[2][1].Threads, paras[2][2].ChangeRequested = 1, 3, true
	paras[3][0].Selected, paras[3][0].Changed, paras[3][0].Verdict = true, true, "True"
	var want bytes.Buffer
	if err := textTemplate.Execute(&want, paras); err != nil {
		t.Fatal(err)
	}
	got := string(ReviewText(paras))
	// html/template escapes a few characters differently (&#34; for &quot;):
	// compare what a browser reads.
	norm := func(s string) string {
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := html.Render(&b, doc); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if norm(got) != norm(want.String()) {
		t.Errorf("the markup differs from html/template's:\n got %.600s\nwant %.600s", norm(got), norm(want.String()))
	}
}

// BenchmarkReviewText writes the text of a 5,000-sentence article, next
// to html/template writing the same markup (the baseline).
func BenchmarkReviewText(b *testing.B) {
	paras := longText(5000)
	b.Run("ReviewText", func(b *testing.B) {
		for b.Loop() {
			_ = ReviewText(paras)
		}
	})
	b.Run("html-template", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := textTemplate.Execute(&buf, paras); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestSentenceLinks(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1 sentence is neither labeled nor excluded: 5", `1 sentence is neither labeled nor excluded: <a href="?s=5#s-5" data-goto="5">5</a>`},
		{"2 allegations or quotes do not say who makes the claim (speaker and cue): 4, 12 and 3 more",
			`2 allegations or quotes do not say who makes the claim (speaker and cue): <a href="?s=4#s-4" data-goto="4">4</a>, <a href="?s=12#s-12" data-goto="12">12</a> and 3 more`},
		{"Accepted 2 suggestions (sentences 3, 9); z undoes them one by one.", "Accepted 2 suggestions (sentences 3, 9); z undoes them one by one."},
		{"Accepted 2 suggestions (sentences 3, 9).", `Accepted 2 suggestions (sentences <a href="?s=3#s-3" data-goto="3">3</a>, <a href="?s=9#s-9" data-goto="9">9</a>).`},
		{"Sentence 4 was not saved: <b>", "Sentence 4 was not saved: &lt;b&gt;"},
		{"Comment added.", "Comment added."},
	} {
		if got := string(SentenceLinks(tc.in)); got != tc.want {
			t.Errorf("SentenceLinks(%q)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}
