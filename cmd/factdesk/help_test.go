package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// program runs the test binary as the factdesk command in dir, with an
// environment that names no database or data directory, and returns its
// exit status and output.
func program(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = []string{asProgram + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + os.TempDir()}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run factdesk %v: %v", args, err)
	}
	return code, out.String()
}

// verbsLine finds a command's verbs in its usage line:
// "Usage: factdesk migrate up|down|status [flags]".
var verbsLine = regexp.MustCompile(`(?m)^Usage: factdesk (\S+) ([a-z]+(?:\|[a-z]+)*)(?:\s|$)`)

// TestHelpTouchesNothing runs every command, and every verb of a command
// that has verbs, with -h and --help (and "help COMMAND") as the real
// program in an empty directory: each must print its help, exit 0 and
// leave the directory empty — no data directory, no database.
func TestHelpTouchesNothing(t *testing.T) {
	names := make([]string, 0)
	for n := range (&Program{}).commands() {
		names = append(names, n)
	}
	sort.Strings(names)
	check := func(t *testing.T, want string, args ...string) {
		t.Helper()
		dir := t.TempDir()
		code, out := program(t, dir, args...)
		if code != 0 {
			t.Errorf("factdesk %s: exit %d, want 0\n%s", strings.Join(args, " "), code, out)
		}
		if !strings.Contains(out, "Usage: factdesk "+want) {
			t.Errorf("factdesk %s printed no help for %s:\n%s", strings.Join(args, " "), want, out)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("factdesk %s created %s", strings.Join(args, " "), filepath.Join(dir, e.Name()))
		}
	}
	withVerbs := map[string]bool{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			_, out := program(t, t.TempDir(), name, "-h")
			for _, h := range []string{"-h", "--help"} {
				check(t, name, name, h)
			}
			check(t, name, "help", name)
			m := verbsLine.FindStringSubmatch(out)
			if m == nil || m[1] != name {
				return // no verbs
			}
			withVerbs[name] = true
			for _, verb := range strings.Split(m[2], "|") {
				for _, h := range []string{"-h", "--help"} {
					check(t, name, name, verb, h)
				}
			}
		})
	}
	// The usage lines are where the verbs are found: a change to their
	// form must not quietly leave the verbs unchecked.
	for _, name := range []string{"migrate", "user", "audit"} {
		if !withVerbs[name] {
			t.Errorf("found no verbs of %s in its usage line", name)
		}
	}
}

// TestUnknownVerbTouchesNothing checks that a mistyped verb is a usage
// error (exit 2) that creates nothing either.
func TestUnknownVerbTouchesNothing(t *testing.T) {
	for _, args := range [][]string{{"migrate", "sideways"}, {"user", "promote"}, {"audit", "repair"}} {
		dir := t.TempDir()
		code, out := program(t, dir, args...)
		if code != 2 {
			t.Errorf("factdesk %s: exit %d, want 2\n%s", strings.Join(args, " "), code, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("factdesk %s created %s", strings.Join(args, " "), entries[0].Name())
		}
	}
}
