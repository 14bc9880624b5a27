package mail

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"time"
)

// maxSubjectRunes bounds a subject: the event's summary, not an essay.
const maxSubjectRunes = 250

// compose builds the RFC 5322 message: plain UTF-8 text in
// quoted-printable (7-bit safe through any relay), the subject encoded
// per RFC 2047 when it is not plain ASCII, and the outbox message id as
// the Message-ID so that a redelivered mail can be recognised.
func compose(from, to *netmail.Address, domain, subject, text, messageID string, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeSubject(subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+messageID+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// Tells vacation responders and the like not to answer (RFC 3834).
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	// The writer turns every line end into CRLF; a last line without one
	// still ends the message properly.
	body := strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return nil, fmt.Errorf("encode the body: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encode the body: %w", err)
	}
	return b.Bytes(), nil
}

// encodeSubject makes a subject a safe header value: one line, bounded,
// RFC 2047 encoded-words when it is not plain ASCII, folded between the
// words so that no line grows long.
func encodeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxSubjectRunes {
		s = string(r[:maxSubjectRunes-1]) + "…"
	}
	enc := mime.QEncoding.Encode("utf-8", s)
	// Whitespace between adjacent encoded-words is not part of the text
	// (RFC 2047 §6.2), so a fold there changes nothing.
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}
