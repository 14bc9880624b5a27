package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"factdesk/codebook"
)

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV back: %v", err)
	}
	return rows
}

func TestCSVRoundTrip(t *testing.T) {
	r := seedReport(t)
	out := render(t, FormatCSV, r)
	if !bytes.HasSuffix(out, []byte("\r\n")) || bytes.HasPrefix(out, []byte("\xef\xbb\xbf")) {
		t.Errorf("want CRLF line ends and no byte order mark")
	}
	rows := readCSV(t, out)
	if got, want := len(rows), len(r.Sentences)+1; got != want {
		t.Fatalf("%d rows, want %d (header + one per sentence)", got, want)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, name := range []string{"number", "text", "label", "status", "verdict", "speaker", "sources", "labeled_by"} {
		if _, ok := col[name]; !ok {
			t.Errorf("header lacks column %q", name)
		}
	}
	for i, s := range r.Sentences {
		row := rows[i+1]
		if got := row[col["text"]]; got != s.Text {
			t.Errorf("row %d text = %q, want %q", i+1, got, s.Text)
		}
		if got := row[col["label"]]; got != string(s.Label) {
			t.Errorf("row %d label = %q, want %q", i+1, got, s.Label)
		}
	}
	note := rows[3][col["note"]] // sentence 3's note is a formula
	if want := `'=HYPERLINK("https://evil.example","click")`; note != want {
		t.Errorf("formula note = %q, want %q", note, want)
	}
	checkNoSecrets(t, "csv", out)
	if !strings.Contains(rows[27][col["sources"]], "withheld source") {
		t.Errorf("sentence 27's sources do not show the withheld source: %q", rows[27][col["sources"]])
	}
}

// TestCSVNeutralisesFormulas fills every text field with what a
// spreadsheet would run, and checks that no cell comes back starting with
// a formula character.
func TestCSVNeutralisesFormulas(t *testing.T) {
	for _, evil := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "=cmd|' /C calc'!A0"} {
		t.Run(evil, func(t *testing.T) {
			at := t0
			r := &Report{Sentences: []Sentence{{
				Text: evil, Label: codebook.Label(evil), Status: codebook.Status(evil), Verdict: evil, ClaimReviewed: evil,
				Note: evil, ExcludeReason: evil, LabeledBy: evil, CheckedBy: evil, LabeledAt: &at, Quote: evil,
				Attribution: &Attribution{Speaker: evil, SpeakerKind: evil, Cue: evil, Medium: evil},
				Citations:   []Citation{{Relation: codebook.Relation(evil), Excerpt: evil, Locator: evil, Source: Source{Title: evil}}},
			}}}
			rows := readCSV(t, render(t, FormatCSV, r))
			for i, cell := range rows[1] {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("column %s = %q starts with a formula character", rows[0][i], cell)
				}
			}
			// encoding/csv with CRLF line ends drops a lone carriage return.
			if got, want := rows[1][5], "'"+strings.ReplaceAll(evil, "\r", ""); got != want {
				t.Errorf("text = %q, want %q", got, want)
			}
		})
	}
}

func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=A1", "'=A1"},
		{"+31 20 555", "'+31 20 555"},
		{"-5", "'-5"},
		{"@user", "'@user"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{"＝HYPERLINK(\"http://evil.example\")", "'＝HYPERLINK(\"http://evil.example\")"},
		{"＋1", "'＋1"},
		{"－1", "'－1"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{"全角", "全角"},
		{"“quoted”", "“quoted”"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := neutralise(tc.in); got != tc.want {
				t.Errorf("neutralise(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
