package ingest

import (
	"strings"
	"testing"
)

func TestConvertMarkdown(t *testing.T) {
	tests := []struct {
		name, in, wantTitle, wantBody string
	}{
		{
			name: "article with links and emphasis",
			in: "# Russia *expels* 755 US diplomats\n\n" +
				"Russian President, **Vladimir Putin** has announced that 755 US diplomats\n" +
				"would have to leave Russia by [September 1, 2017](https://example.com/x \"title\").\n" +
				"It is _in retaliation_ to ~~a~~ the bill.\n\n" +
				"## Background\n\n" +
				"See <https://example.com/report> and [the report][r].\n\n" +
				"[r]: https://example.com/r\n",
			wantTitle: "Russia expels 755 US diplomats",
			wantBody: "Russia expels 755 US diplomats\n\n" +
				"Russian President, Vladimir Putin has announced that 755 US diplomats would have to leave Russia by September 1, 2017. It is in retaliation to a the bill.\n\n" +
				"Background\n\n" +
				"See https://example.com/report and the report.",
		},
		{
			name:      "lists as lines",
			in:        "The bill targets:\n\n- energy\n- *financial* and\n  railways\n  1. nested\n  2. nested two\n- shipping\n\n3. third\n4. fourth\n",
			wantTitle: "",
			wantBody:  "The bill targets:\n\n- energy\n- financial and railways\n  1. nested\n  2. nested two\n- shipping\n\n3. third\n4. fourth",
		},
		{
			name:      "loose list",
			in:        "* one\n\n* two\n",
			wantTitle: "",
			wantBody:  "- one\n- two",
		},
		{
			name:      "code kept as text",
			in:        "Run `go test` now.\n\n```sh\ngo test ./...\n  indented\n```\n\n    four-space code\n",
			wantTitle: "",
			wantBody:  "Run go test now.\n\ngo test ./...\n  indented\n\nfour-space code",
		},
		{
			name:      "escapes and entities",
			in:        "Fish \\& chips \\*not emphasis\\* &amp; &copy; &#8364; `a\\b`\n",
			wantTitle: "",
			wantBody:  "Fish & chips *not emphasis* & © € a\\b",
		},
		{
			name:      "hard line break",
			in:        "MOSCOW  \nThe statement was read.\n",
			wantTitle: "",
			wantBody:  "MOSCOW\nThe statement was read.",
		},
		{
			name:      "setext heading opening the document",
			in:        "Headline\n========\n\nBody.\n",
			wantTitle: "Headline",
			wantBody:  "Headline\n\nBody.",
		},
		{
			name:      "opening level-2 heading",
			in:        "## Sub headline\n\nBody.\n",
			wantTitle: "Sub headline",
			wantBody:  "Sub headline\n\nBody.",
		},
		{
			name:      "later section heading is no title",
			in:        "Intro paragraph.\n\n## Section\n\nMore.\n",
			wantTitle: "",
			wantBody:  "Intro paragraph.\n\nSection\n\nMore.",
		},
		{
			name:      "later level-1 heading is the title",
			in:        "Kicker\n\n# Real title\n\nMore.\n",
			wantTitle: "Real title",
			wantBody:  "Kicker\n\nReal title\n\nMore.",
		},
		{
			name:      "block quote",
			in:        "> Quoted first.\n>\n> Quoted second.\n\nAfter.\n",
			wantTitle: "",
			wantBody:  "Quoted first.\n\nQuoted second.\n\nAfter.",
		},
		{
			name:      "images and raw html dropped",
			in:        "Text ![a chart](c.png) and <span class=\"x\">inline</span> html.\n\n<div>Block <b>text</b><script>alert('x')</script><style>p{}</style></div>\n\nEnd.\n",
			wantTitle: "",
			wantBody:  "Text and inline html.\n\nBlock text\n\nEnd.",
		},
		{
			name:      "table rows as lines",
			in:        "| Year | Staff |\n|---|---|\n| 2016 | 1,210 |\n| 2017 | 455 |\n",
			wantTitle: "",
			wantBody:  "Year | Staff\n2016 | 1,210\n2017 | 455",
		},
		{
			name:      "thematic break",
			in:        "One.\n\n---\n\nTwo.\n",
			wantTitle: "",
			wantBody:  "One.\n\nTwo.",
		},
		{
			name:      "crlf",
			in:        "# Title\r\n\r\nLine one\r\nline two.\r\n",
			wantTitle: "Title",
			wantBody:  "Title\n\nLine one line two.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Convert(FormatMarkdown, []byte(tt.in), Limits{})
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if doc.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", doc.Title, tt.wantTitle)
			}
			if doc.Body != tt.wantBody {
				t.Errorf("Body =\n%s\nwant\n%s", doc.Body, tt.wantBody)
			}
			for _, syntax := range []string{"**", "](", "<span", "<script", "alert"} {
				if strings.Contains(doc.Body, syntax) {
					t.Errorf("Body holds %q: %q", syntax, doc.Body)
				}
			}
		})
	}
}
