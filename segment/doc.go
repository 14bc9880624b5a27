// Package segment splits the body text of a news article into paragraphs
// and sentences, with exact offsets and the place of each sentence in
// direct quotations. Everything else in factdesk hangs off these
// sentences: a reviewer labels one sentence at a time.
//
// Split is the whole API for splitting; it has no options and no state, and
// it never fails. It reads text as it comes from the wild (Windows and old
// Mac line ends, non-breaking and zero-width spaces, control characters,
// invalid UTF-8) and handles what English news text throws at a segmenter:
// abbreviations and titles (U.S., Sen., Dr., Inc., a.m., Jan.), initials,
// numbers (3.5, 1,000, $4.2bn, 2.0.1), URLs, e-mail addresses and file
// names, ellipses, ? and ! inside quotations, closing quotation marks and
// brackets after the final mark, quotations of several sentences, dashes,
// datelines, bylines, photo credits, headlines, hard-wrapped lines and
// lists. Paragraphs are separated by blank lines, or, in a text that puts
// each paragraph on a line of its own, by single line breaks. The word
// lists it uses live in lexicon.txt, embedded in the package.
//
// Sentence.Quote places a sentence in the direct quotations of its
// paragraph. Straight and curly double and single quotation marks,
// guillemets and the typewriter double marks (two backticks opening, two
// apostrophes) count, nested ones too; apostrophes (Clinton’s, don't,
// ’90s) and feet and inches (6'2", 5' 9", a 12" pipe) do not. A quotation of three sentences reads open, inside, close; a
// sentence holding a whole quotation, or scare quotes, reads whole; one
// that starts and ends inside a quotation reads inside even when an
// attribution interrupts it (“…,” he said, “…). Quotation state starts
// afresh with every paragraph, as news quotations running over several
// paragraphs open again in each; a closing mark with no opening one in the
// paragraph makes its sentence close.
//
// Go code works in byte offsets (Sentence.Start, Sentence.End). Wherever an
// offset leaves the process it is a Unicode code point offset: build an
// Offsets for the text once and convert with it (Offsets.Record gives a
// sentence in its exported form, with the JSON names start and end).
//
// Split reads the text once, front to back: an eight-byte skip jumps to the
// few bytes that can matter (final marks, quotation marks, list-marker
// brackets and the lead bytes of typographic marks), and only there does it
// look around. (At its first single line break it also runs once over the
// line ends of the rest of the text, to decide the paragraph convention.)
// Its time is linear in the length of the text, whatever the text, and it
// allocates the result slice and little else.
package segment
