package models

import (
	"fmt"
	"strings"
	"time"

	"factdesk/migrations"
)

// The SQLite driver, for every TEXT value it hands over, asks SQLite for
// the declared type of its column (a string copied out of C and upper-
// cased), and parses the value of a DATETIME column as a time in two
// layouts, the first of which never matches what it writes. On the rows
// of a long article that is a third of the read. A select list read as
// expressions (+col: SQLite's no-op operator) has no declared type, so
// the driver hands the text over as it is; timeDest then parses the times
// itself, to the same time.Time. And as every call into SQLite takes the
// connection's mutex, a text value costs four calls where NULL costs one:
// the select lists read the columns most rows leave empty as
// NULLIF(col, ''), on both databases, into a sql.NullString.

// selectList is a select list with the names of its text and time
// columns, read as they are on PostgreSQL and as expressions on SQLite.
type selectList struct{ postgres, sqlite string }

// newSelectList returns cols with the columns named in text (text and
// time columns) prefixed with + for SQLite. Every name must be in cols.
func newSelectList(cols string, text ...string) selectList {
	names := strings.Split(cols, ",")
	for _, t := range text {
		found := false
		for i, n := range names {
			if strings.TrimSpace(n) == t {
				names[i] = strings.Replace(n, t, "+"+t, 1)
				found = true
			}
		}
		if !found {
			panic(fmt.Sprintf("select list %q has no column %q", cols, t)) // a typo in a constant
		}
	}
	return selectList{postgres: cols, sqlite: strings.Join(names, ",")}
}

// of returns the select list for dialect d.
func (l selectList) of(d migrations.Dialect) string {
	if d == migrations.SQLite {
		return l.sqlite
	}
	return l.postgres
}

// timeDest scans a time column read through a selectList into *t: a
// time.Time as PostgreSQL's driver returns it, or the text of a SQLite
// DATETIME column, read as the SQLite driver would read it.
type timeDest struct{ t *time.Time }

func (d timeDest) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d.t = v
		return nil
	case string:
		t, err := parseSQLiteTime(v)
		*d.t = t
		return err
	case []byte:
		t, err := parseSQLiteTime(string(v))
		*d.t = t
		return err
	}
	return fmt.Errorf("scan a time from %T", src)
}

// timeArg returns the destination of a time column read from dialect d
// through a selectList: t itself from PostgreSQL, a timeDest from SQLite.
func timeArg(d migrations.Dialect, t *time.Time) any {
	if d == migrations.SQLite {
		return timeDest{t}
	}
	return t
}

// nullTimeArg is timeArg for a nullable column.
func nullTimeArg(d migrations.Dialect, t **time.Time) any {
	if d == migrations.SQLite {
		return nullTimeDest{t}
	}
	return t
}

// nullTimeDest is timeDest for a nullable column: NULL sets *t to nil.
type nullTimeDest struct{ t **time.Time }

func (d nullTimeDest) Scan(src any) error {
	if src == nil {
		*d.t = nil
		return nil
	}
	var t time.Time
	if err := (timeDest{&t}).Scan(src); err != nil {
		return err
	}
	*d.t = &t
	return nil
}

// sqliteTimeLayouts are the layouts the SQLite driver (glebarez/go-sqlite)
// tries, in its order, on the text of a DATETIME column; it writes times
// in the first.
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseSQLiteTime reads s as the SQLite driver reads a DATETIME column's
// text: what the driver writes without reflection on layouts, anything
// else as the driver does it (time.Time's String form first, then each
// of its layouts in UTC).
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseWrittenTime(s); ok {
		return t, nil
	}
	str := s
	if x := strings.Index(str, "m="); x > 0 {
		str = str[:x]
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(str)); err == nil {
		return t, nil
	}
	ts := strings.TrimSuffix(s, "Z")
	for _, l := range sqliteTimeLayouts {
		if t, err := time.ParseInLocation(l, ts, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("scan a time from %q", s)
}

// parseWrittenTime reads the layout the driver writes,
// 2006-01-02 15:04:05.999999999-07:00, as time.ParseInLocation in UTC
// does: a zero offset is UTC, another a fixed zone without a name. It
// reports false for anything it is not sure of.
func parseWrittenTime(s string) (time.Time, bool) {
	// 2006-01-02 15:04:05 then an optional fraction, then ±hh:mm.
	if len(s) < len("2006-01-02 15:04:05-07:00") || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[5:7])
	day, ok3 := num(s[8:10])
	hour, ok4 := num(s[11:13])
	minute, ok5 := num(s[14:16])
	sec, ok6 := num(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		digits := n - 1
		if digits < 1 || digits > 9 {
			return time.Time{}, false
		}
		nsec, _ = num(rest[1:n])
		for range 9 - digits {
			nsec *= 10
		}
		rest = rest[n:]
	}
	if len(rest) != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' {
		return time.Time{}, false
	}
	oh, ok1 := num(rest[1:3])
	om, ok2 := num(rest[4:6])
	if !ok1 || !ok2 || oh > 23 || om > 59 {
		return time.Time{}, false
	}
	offset := oh*3600 + om*60
	if rest[0] == '-' {
		offset = -offset
	}
	loc := time.UTC
	if offset != 0 {
		loc = time.FixedZone("", offset)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Day() != day { // 31 April and the like: time.Parse refuses them
		return time.Time{}, false
	}
	return t, true
}
