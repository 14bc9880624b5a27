// Package export turns an article's audit report into the formats a
// newsroom and its auditors use: JSON (with a JSON Schema, SchemaJSON),
// CSV, Markdown, HTML (a page, or a fragment for the app's layout), PDF,
// schema.org ClaimReview and W3C Web Annotation JSON-LD — one article at a
// time (Write, WriteJSON, …) or many in a stream (BulkWriter: JSON Lines
// or zip with a manifest).
//
// The package knows nothing of the database or of HTTP. The store fills a
// Report with plain data:
//
//   - Article.Body is the text of the revision; sentence offsets are code
//     point offsets into it.
//   - Summary comes from Summarize(sentences, rounds), plus Agreement when
//     the machine reviewer or a second rater labeled the article.
//   - Method from DefaultMethod(scale), plus the corrections log.
//   - Audit.Events use the entity names EntitySource and EntityCitation
//     for sources and citations, so that events about a withheld source
//     can be redacted; Audit.Verification is the result of verifying the
//     chain and the replay.
//   - Generated.URL is the report's address on the server; the
//     annotations build their identifiers from it. ClaimReview's url is
//     Article.FactCheckURL, the published fact-check, without which
//     WriteClaimReview refuses (ErrNoFactCheckURL).
//   - People are named as the audit trail names them ("Name <email>", or
//     Machine). The internal formats show them so; the annotations, meant
//     for publication, show the name alone unless WithEmails.
//
// Every renderer is deterministic: the same report gives the same bytes
// (map keys sorted, the PDF dated Generated.At). None changes the Report
// it is given, and none names a withheld source (Source.Withheld): such a
// source shows only its kind, grading and the reason it is withheld, its
// citations lose excerpt and locator, and audit events about it keep only
// their hashes.
//
// The server serves a format with ContentType(format) and
// FileName(report, format) as the download name; an unknown format is
// ErrUnknownFormat.
//
// Tests that need outside tools skip with a message when they are missing
// and fail instead under FACTDESK_TEST_STRICT=1: the HTML test runs the W3C
// Nu HTML checker (java and FACTDESK_VNU_JAR; testdata/install-vnu.sh
// installs vnu.jar), the PDF tests run qpdf and pdftotext (apt packages
// qpdf and poppler-utils). go test -update rewrites the golden files.
package export
