package ingest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

type jsonlLine struct {
	line int
	a    ArticleInput
	err  error
}

func readAll(t *testing.T, in string, limits Limits) []jsonlLine {
	t.Helper()
	var got []jsonlLine
	err := ReadJSONL(strings.NewReader(in), limits, func(line int, a ArticleInput, err error) error {
		got = append(got, jsonlLine{line, a, err})
		return nil
	})
	if err != nil {
		t.Fatalf("ReadJSONL: %v", err)
	}
	return got
}

func TestReadJSONL(t *testing.T) {
	in := "\ufeff" + `{"title":"One","body":"First."}` + "\n" +
		`{"title":"Two","body":"Second.","format":"markdown"}` + "\r\n" +
		"\n" +
		`{"title":"Bad","body":` + "\n" + // malformed
		"{\"body\":\"caf\xe9\"}\n" + // not UTF-8
		`{"body":"x","extra":1}` + "\n" + // unknown field
		`   ` + "\n" +
		`{"title":"Last","body":"No newline at the end."}`
	got := readAll(t, in, Limits{})
	want := []struct {
		line  int
		title string
		kind  ErrorKind
	}{
		{1, "One", ""},
		{2, "Two", ""},
		{4, "", Malformed},
		{5, "", Malformed},
		{6, "", Malformed},
		{8, "Last", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.line != w.line {
			t.Errorf("call %d: line = %d, want %d", i, g.line, w.line)
		}
		if w.kind == "" {
			if g.err != nil || g.a.Title != w.title {
				t.Errorf("line %d = %+v, %v, want title %q and no error", g.line, g.a, g.err, w.title)
			}
			continue
		}
		var e *Error
		if !errors.As(g.err, &e) || e.Kind != w.kind {
			t.Errorf("line %d error = %v, want kind %q", g.line, g.err, w.kind)
		}
	}
	if got[1].a.Format != "markdown" || got[1].a.Body != "Second." {
		t.Errorf("line 2 = %+v, want the markdown article without the carriage return", got[1].a)
	}
}

func TestReadJSONLLineLimit(t *testing.T) {
	long := `{"body":"` + strings.Repeat("a", 5000) + `"}`
	in := `{"body":"short"}` + "\n" + long + "\n" + `{"body":"after"}` + "\n" + long
	got := readAll(t, in, Limits{MaxLineBytes: 1000})
	if len(got) != 4 {
		t.Fatalf("got %d lines, want 4", len(got))
	}
	for _, i := range []int{1, 3} {
		var e *Error
		if !errors.As(got[i].err, &e) || e.Kind != TooLarge {
			t.Errorf("line %d error = %v, want TooLarge", got[i].line, got[i].err)
		}
	}
	if got[2].err != nil || got[2].a.Body != "after" || got[2].line != 3 {
		t.Errorf("line after the long one = %+v, want body \"after\" on line 3", got[2])
	}
	t.Run("exactly at the limit", func(t *testing.T) {
		line := `{"body":"` + strings.Repeat("a", 1000-11) + `"}`
		if len(line) != 1000 {
			t.Fatalf("test line has %d bytes", len(line))
		}
		got := readAll(t, line+"\r\n"+line+"x\n", Limits{MaxLineBytes: 1000})
		if got[0].err != nil {
			t.Errorf("line at the limit: %v, want accepted", got[0].err)
		}
		var e *Error
		if !errors.As(got[1].err, &e) || e.Kind != TooLarge {
			t.Errorf("line one byte over: %v, want TooLarge", got[1].err)
		}
	})
}

func TestReadJSONLStops(t *testing.T) {
	in := `{"body":"1"}` + "\n" + `{"body":"2"}` + "\n" + `{"body":"3"}` + "\n"
	stop := errors.New("stop")
	calls := 0
	err := ReadJSONL(strings.NewReader(in), Limits{}, func(line int, a ArticleInput, err error) error {
		calls++
		if line == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("ReadJSONL = %v after %d calls, want the callback's error after 2", err, calls)
	}

	t.Run("reader failure", func(t *testing.T) {
		boom := errors.New("disk on fire")
		var got []int
		err := ReadJSONL(&failAfter{r: strings.NewReader(`{"body":"1"}` + "\n" + `{"bo`), err: boom}, Limits{}, func(line int, a ArticleInput, err error) error {
			got = append(got, line)
			return nil
		})
		if !errors.Is(err, boom) {
			t.Errorf("ReadJSONL = %v, want the reader's error", err)
		}
		if fmt.Sprint(got) != "[1]" {
			t.Errorf("lines seen = %v, want [1]", got)
		}
	})

	t.Run("empty input", func(t *testing.T) {
		if got := readAll(t, "", Limits{}); len(got) != 0 {
			t.Errorf("got %d lines from empty input, want 0", len(got))
		}
	})
}

// failAfter reads r, then fails with err.
type failAfter struct {
	r   *strings.Reader
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.r.Len() == 0 {
		return 0, f.err
	}
	return f.r.Read(p)
}
