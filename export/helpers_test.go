package export

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// strict reports whether tests must fail rather than skip when an outside
// tool (java with vnu.jar, qpdf, pdftotext) is missing, as CI wants.
func strict() bool { return os.Getenv("FACTDESK_TEST_STRICT") == "1" }

// needTool returns the path of an outside program, or skips the test with
// a visible message — fails it under FACTDESK_TEST_STRICT=1.
func needTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if strict() {
			t.Fatalf("%s not found and FACTDESK_TEST_STRICT=1; install it: %s", name, install)
		}
		t.Skipf("SKIPPED: %s not found (install: %s; FACTDESK_TEST_STRICT=1 makes this a failure)", name, install)
	}
	return p
}

// withheldSecrets are the strings of the fixture's withheld source that no
// export may contain.
var withheldSecrets = []string{withheldTitle, withheldURL, withheldName, withheldQuote, sha("withheld"), "notes.internal.example"}

// checkNoSecrets fails when out names the withheld source.
func checkNoSecrets(t *testing.T, format string, out []byte) {
	t.Helper()
	for _, s := range withheldSecrets {
		if strings.Contains(string(out), s) {
			t.Errorf("%s output contains %q of a withheld source", format, s)
		}
	}
}

// squeeze drops all white space, so that text can be compared across line
// wrapping.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}
