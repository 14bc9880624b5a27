// Package vnu runs the W3C Nu HTML checker (vnu.jar) over HTML documents in
// tests. The jar comes from npm (package vnu-jar; .ci/run installs it) and
// is named by FACTDESK_VNU_JAR. Where java or the jar is missing the test is
// skipped with a message, unless FACTDESK_TEST_STRICT=1.
package vnu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// Message is one problem the checker reports.
type Message struct {
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	URL       string `json:"url"`
	Line      int    `json:"lastLine"`
	Column    int    `json:"lastColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
	Reference string `json:"-"`
}

func (m Message) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s (%q)", filepath.Base(m.URL), m.Line, m.Column, m.Type, m.Message, m.Extract)
}

// Check validates documents (name → HTML) in one run of the checker and
// returns its errors by name. Warnings are left out.
func Check(t testing.TB, docs map[string][]byte) map[string][]Message {
	t.Helper()
	jar := os.Getenv("FACTDESK_VNU_JAR")
	java, jerr := exec.LookPath("java")
	if _, err := os.Stat(jar); jar == "" || err != nil || jerr != nil {
		msg := "SKIP W3C validation: set FACTDESK_VNU_JAR to vnu.jar (npm install vnu-jar) and install java"
		if os.Getenv("FACTDESK_TEST_STRICT") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	sort.Strings(names)
	args := []string{"-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always"}
	for _, name := range names {
		p := filepath.Join(dir, name+".html")
		if err := os.WriteFile(p, docs[name], 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(java, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("run vnu: %v: %s", err, errOut.String())
	}
	// vnu writes its JSON report to stderr.
	report := errOut.Bytes()
	if len(bytes.TrimSpace(report)) == 0 {
		report = out.Bytes()
	}
	var res struct {
		Messages []Message `json:"messages"`
	}
	if err := json.Unmarshal(report, &res); err != nil {
		t.Fatalf("vnu report: %v: %s", err, report)
	}
	byName := map[string][]Message{}
	for _, m := range res.Messages {
		if m.Type != "error" && !(m.Type == "non-document-error") {
			continue
		}
		name := filepath.Base(m.URL)
		name = name[:len(name)-len(".html")]
		byName[name] = append(byName[name], m)
	}
	return byName
}
