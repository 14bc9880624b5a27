package ingest

import (
	"strings"
	"testing"
	"time"
)

const newsPage = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Russia expels 755 US diplomats | The Daily Planet</title>
<meta property="og:site_name" content="The Daily Planet">
<meta name="author" content="Lois Lane">
<meta property="article:published_time" content="2017-07-31T10:00:00+02:00">
<style>body { color: red } .STYLE_RULE {}</style>
<script>var tracking = "HEAD_SCRIPT";</script>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Russia expels 755 US diplomats"}</script>
</head>
<body>
<header class="site"><nav><a href="/">Home</a> <a href="/world">NAV_LINK World</a></nav></header>
<div id="cookie" role="dialog">COOKIE_BANNER accept</div>
<main>
<article>
<h1>Russia expels 755 US diplomats</h1>
<p>Russian President Vladimir Putin has announced that 755 US diplomats would have to leave Russia by September 1, 2017. This is in retaliation to the US Congress passing a bill imposing hard sanctions on Russia &amp; its allies.</p>
<p>According to US intelligence agencies, Kremlin interfered in the 2016 presidential
elections. The country is reported to have carried out an &ldquo;influence campaign&rdquo; against Hillary&nbsp;Clinton. It hacked the servers of the <a href="https://example.org/dnc">Democratic National Committee</a> and sent the contents of those emails to Wikileaks.</p>
<script>document.write("BODY_SCRIPT")</script>
<noscript>NOSCRIPT_TEXT</noscript>
<p>The bill targets:</p>
<ul><li>Russian energy</li><li>financial and <b>railways</b></li><li>shipping</li></ul>
<p>US President, Donald Trump has been enigmatic in blaming Russia for the cyber-attacks. He has said that other countries could have been part of this hack as well.<br>There is also an ongoing Department of Justice investigation looking into whether members of the Trump campaign colluded with Russia.</p>
<div style="display: none">HIDDEN_TEXT</div>
<p hidden>HIDDEN_ATTRIBUTE</p>
<aside>Related: ASIDE_LINK</aside>
<form><label>Subscribe FORM_TEXT</label><input name="email"><button>SUBSCRIBE_BUTTON</button></form>
</article>
</main>
<footer>Copyright FOOTER_TEXT</footer>
<script>analytics("FOOT_SCRIPT")</script>
</body></html>`

func TestConvertHTML(t *testing.T) {
	doc, err := Convert(FormatHTML, []byte(newsPage), Limits{})
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	if got, want := doc.Title, "Russia expels 755 US diplomats"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := doc.Byline, "Lois Lane"; got != want {
		t.Errorf("Byline = %q, want %q", got, want)
	}
	if got, want := doc.Outlet, "The Daily Planet"; got != want {
		t.Errorf("Outlet = %q, want %q", got, want)
	}
	wantTime := time.Date(2017, 7, 31, 8, 0, 0, 0, time.UTC)
	if doc.PublishedAt == nil || !doc.PublishedAt.Equal(wantTime) {
		t.Errorf("PublishedAt = %v, want %v", doc.PublishedAt, wantTime)
	}
	for _, gone := range []string{
		"HEAD_SCRIPT", "BODY_SCRIPT", "FOOT_SCRIPT", "STYLE_RULE", "NAV_LINK", "COOKIE_BANNER",
		"NOSCRIPT_TEXT", "HIDDEN_TEXT", "HIDDEN_ATTRIBUTE", "ASIDE_LINK", "FORM_TEXT",
		"SUBSCRIBE_BUTTON", "FOOTER_TEXT", "NewsArticle", "<", "&amp;", "&ldquo;",
	} {
		if strings.Contains(doc.Body, gone) {
			t.Errorf("Body holds %q, want it dropped:\n%s", gone, doc.Body)
		}
	}
	paragraphs := strings.Split(doc.Body, "\n\n")
	want := []string{
		"Russia expels 755 US diplomats",
		"Russian President Vladimir Putin has announced that 755 US diplomats would have to leave Russia by September 1, 2017. This is in retaliation to the US Congress passing a bill imposing hard sanctions on Russia & its allies.",
		"According to US intelligence agencies, Kremlin interfered in the 2016 presidential elections. The country is reported to have carried out an “influence campaign” against Hillary\u00a0Clinton. It hacked the servers of the Democratic National Committee and sent the contents of those emails to Wikileaks.",
		"The bill targets:",
		"- Russian energy\n- financial and railways\n- shipping",
		"US President, Donald Trump has been enigmatic in blaming Russia for the cyber-attacks. He has said that other countries could have been part of this hack as well.\nThere is also an ongoing Department of Justice investigation looking into whether members of the Trump campaign colluded with Russia.",
	}
	if len(paragraphs) != len(want) {
		t.Fatalf("got %d paragraphs, want %d:\n%s", len(paragraphs), len(want), doc.Body)
	}
	for i := range want {
		if paragraphs[i] != want[i] {
			t.Errorf("paragraph %d = %q, want %q", i, paragraphs[i], want[i])
		}
	}
}

func TestConvertHTMLCases(t *testing.T) {
	tests := []struct {
		name, in, wantTitle, wantBody string
	}{
		{
			name:      "title prepended when the text lacks it",
			in:        `<html><head><title>Page title</title></head><body><p>Only text.</p></body></html>`,
			wantTitle: "Page title",
			wantBody:  "Page title\n\nOnly text.",
		},
		{
			name:      "no title",
			in:        `<p>Fragment &eacute;t&eacute; &#8364;5 &lt;b&gt;</p>`,
			wantTitle: "",
			wantBody:  "Fragment été €5 <b>",
		},
		{
			name:      "fallback when readability finds nothing",
			in:        `<html><body><nav>MENU</nav><div class="share social comment">Comment text kept.<script>x("SCRIPT")</script></div></body></html>`,
			wantTitle: "",
			wantBody:  "Comment text kept.",
		},
		{
			name:      "ordered list and table",
			in:        `<html><body><article><p>Figures:</p><ol start="3"><li>three</li><li><p>four</p><ul><li>nested</li></ul></li></ol><table><tr><th>Year</th><th>Staff</th></tr><tr><td>2017</td><td><p>455</p></td></tr></table></article></body></html>`,
			wantTitle: "",
			wantBody:  "Figures:\n\n3. three\n4. four\n  - nested\n\nYear | Staff\n2017 | 455",
		},
		{
			name:      "pre kept",
			in:        "<html><body><p>Code:</p><pre>line one\n    indented</pre></body></html>",
			wantTitle: "",
			wantBody:  "Code:\n\nline one\n    indented",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Convert(FormatHTML, []byte(tt.in), Limits{})
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if doc.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", doc.Title, tt.wantTitle)
			}
			if doc.Body != tt.wantBody {
				t.Errorf("Body = %q, want %q", doc.Body, tt.wantBody)
			}
		})
	}
}
