package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"factdesk/migrations"
)

// rowScanner is a row of database/sql or of pgx.
type rowScanner interface{ Scan(dest ...any) error }

// scanEach runs q (with ? placeholders) and calls scan for each row. On
// PostgreSQL it reads through pgx itself rather than database/sql, which
// boxes every value of every row in an interface and converts it again
// into its destination: for the thousands of rows of a long article's
// sentences, attributions and suggestions, that was a third of reading
// them. scan's destinations must suit both (see timeArg). The statement
// is reported to GORM's logger as GORM's own are, for the slow-query log.
func (s *Store) scanEach(ctx context.Context, what string, scan func(rowScanner) error, q string, args ...any) error {
	if s.db.dialect != migrations.Postgres {
		return scanRows(s.db.gorm.WithContext(ctx), what, func(r *sql.Rows) error { return scan(r) }, q, args...)
	}
	begin, n := time.Now(), int64(0)
	err := s.pgxEach(ctx, what, func(r rowScanner) error { n++; return scan(r) }, q, args...)
	s.db.gorm.Logger.Trace(ctx, begin, func() (string, int64) { return s.db.gorm.Dialector.Explain(q, args...), n }, err)
	return err
}

// pgxEach is scanEach on PostgreSQL.
func (s *Store) pgxEach(ctx context.Context, what string, scan func(rowScanner) error, q string, args ...any) error {
	c, err := s.db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("load %s: %w", what, err)
	}
	defer c.Close()
	var qerr error
	err = c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			qerr = fmt.Errorf("load %s: the PostgreSQL driver is not pgx's (%T)", what, dc)
			return nil
		}
		pc := sc.Conn()
		rows, err := pc.Query(ctx, dollarPlaceholders(q), args...)
		if err != nil {
			qerr = fmt.Errorf("load %s: %w", what, err)
		} else {
			for rows.Next() {
				if err := scan(rows); err != nil {
					qerr = fmt.Errorf("read %s: %w", what, err)
					break
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil && qerr == nil {
				qerr = fmt.Errorf("load %s: %w", what, err)
			}
		}
		if pc.IsClosed() {
			return driver.ErrBadConn // database/sql drops the connection
		}
		return nil
	})
	if qerr != nil {
		return qerr
	}
	return err
}

// dollarPlaceholders numbers the ? of q as PostgreSQL's $1, $2, … (q must
// have no ? in its literals).
func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for {
		i := strings.IndexByte(q, '?')
		if i < 0 {
			b.WriteString(q)
			return b.String()
		}
		n++
		b.WriteString(q[:i])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
		q = q[i+1:]
	}
}
