package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// elements returns the elements of doc named tag, in document order.
func elements(doc *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func TestHTMLSelfContained(t *testing.T) {
	r := seedReport(t)
	out := render(t, FormatHTML, r)
	doc := parseHTML(t, out)
	if n := len(elements(doc, "style")); n != 1 {
		t.Errorf("%d style elements, want 1", n)
	}
	for _, tag := range []string{"script", "link", "img", "iframe", "object", "embed"} {
		if n := len(elements(doc, tag)); n != 0 {
			t.Errorf("%d %s elements, want none", n, tag)
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "src" || a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("<%s %s=%q>: no external resources, inline styles or handlers allowed", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	css := HTMLStyle
	for _, bad := range []string{"url(", "@import", "@font-face"} {
		if strings.Contains(css, bad) {
			t.Errorf("stylesheet contains %s, which could fetch something", bad)
		}
	}
	for _, want := range []string{"@page", "display:table-header-group", "break-before:page", "@media print"} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %q for printing", want)
		}
	}
	text := textOf(doc)
	for _, s := range r.Sentences {
		if !strings.Contains(text, s.Text) {
			t.Errorf("page lacks sentence %d %q", s.Number, s.Text)
		}
	}
	svgs := elements(doc, "svg")
	if len(svgs) != 2 {
		t.Fatalf("%d charts, want 2 (labels and statuses)", len(svgs))
	}
	if got := len(elements(svgs[0], "rect")); got != 5 {
		t.Errorf("label chart has %d bars, want 5 (four labels and unlabeled)", got)
	}
	if got := len(elements(doc, "thead")); got < 3 {
		t.Errorf("%d table heads, want repeated heads on the sentence, method and audit tables", got)
	}
	checkNoSecrets(t, "html", out)
}

// TestHTMLVerificationFailedFirst checks that a tampered article's report
// says so before anything else on its first page.
func TestHTMLVerificationFailedFirst(t *testing.T) {
	for _, tc := range []struct {
		name  string
		r     *Report
		alert bool
	}{
		{"verified", seedReport(t), false},
		{"tampered", tampered(seedReport(t)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, FormatHTML, tc.r))
			alert := strings.Index(out, `role="alert"`)
			if got := alert >= 0; got != tc.alert {
				t.Fatalf("alert shown = %v, want %v", got, tc.alert)
			}
			if !tc.alert {
				return
			}
			if article := strings.Index(out, "<h2>Article</h2>"); alert > article {
				t.Errorf("the verification alert comes after the article facts")
			}
			if !strings.Contains(out[alert:], verificationFailed) || !strings.Contains(out[alert:], "event 7") {
				t.Errorf("the alert does not say verification failed and why")
			}
		})
	}
}

func TestHTMLEscapes(t *testing.T) {
	r := seedReport(t)
	evil := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	r.Sentences[0].Text, r.Sentences[0].Note, r.Article.Title = evil, evil, evil
	r.Sentences[1].Citations[0].Source.URL = "javascript:alert(1)"
	out := render(t, FormatHTML, r)
	doc := parseHTML(t, out)
	if n := len(elements(doc, "script")) + len(elements(doc, "img")); n != 0 {
		t.Errorf("report text became %d elements", n)
	}
	if !strings.Contains(textOf(doc), evil) {
		t.Errorf("the text is not shown as text")
	}
	for _, a := range elements(doc, "a") {
		if href, _ := attr(a, "href"); strings.HasPrefix(strings.ToLower(href), "javascript:") {
			t.Errorf("link to %q", href)
		}
	}
}

func TestHTMLFragment(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTMLFragment(&b, seedReport(t)); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSpace(b.String())
	if !strings.HasPrefix(out, `<article class="fd-report">`) || !strings.HasSuffix(out, "</article>") {
		t.Errorf("fragment is not one article element: %.60q … %.20q", out, out[max(0, len(out)-20):])
	}
	for _, bad := range []string{"<html", "<head", "<body", "<style", "<!DOCTYPE"} {
		if strings.Contains(out, bad) {
			t.Errorf("fragment contains %s", bad)
		}
	}
	if !strings.Contains(out, `id="s-15"`) {
		t.Errorf("fragment lacks the sentence anchors")
	}
}

// TestHTMLPassesNuChecker runs the W3C Nu HTML checker on the verified,
// the tampered and a hostile report. It needs java and vnu.jar
// (FACTDESK_VNU_JAR; testdata/install-vnu.sh installs it).
func TestHTMLPassesNuChecker(t *testing.T) {
	java := needTool(t, "java", "apt-get install -y default-jre-headless")
	jar := os.Getenv("FACTDESK_VNU_JAR")
	if _, err := os.Stat(jar); jar == "" || err != nil {
		msg := "FACTDESK_VNU_JAR does not name vnu.jar; run: eval \"$(sh export/testdata/install-vnu.sh)\""
		if strict() {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	dir := t.TempDir()
	hostile := seedReport(t)
	hostile.Sentences[0].Text = `</td></tr></table><p>"broken" & <b>bold`
	hostile.Article.URL = "not a url"
	hostile.Sentences[1].Citations[0].Source.URL = "https://x.example/a b?c=<d>"
	empty := &Report{Summary: Summarize(nil, nil), Method: DefaultMethod(seedReport(t).Method.Scale)}
	var files []string
	for name, r := range map[string]*Report{"seed": seedReport(t), "tampered": tampered(seedReport(t)), "hostile": hostile, "empty": empty} {
		path := filepath.Join(dir, name+".html")
		if err := os.WriteFile(path, render(t, FormatHTML, r), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only"}, files...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("Nu HTML checker: %v\n%s", err, out)
	}
}
