package models

import "strings"

// SourceKind is what a source is: a page, a document, a person …
type SourceKind string

// The kinds of source the library knows.
const (
	KindWebPage        SourceKind = "web_page"
	KindDocument       SourceKind = "document"
	KindDataset        SourceKind = "dataset"
	KindOfficialRecord SourceKind = "official_record"
	KindInterview      SourceKind = "interview"
	KindNewsReport     SourceKind = "news_report"
	KindSocialPost     SourceKind = "social_post"
	KindPerson         SourceKind = "person"
	KindOrganisation   SourceKind = "organisation"
)

// SourceKinds lists the kinds in the order forms offer them.
var SourceKinds = []SourceKind{KindWebPage, KindDocument, KindDataset, KindOfficialRecord, KindInterview,
	KindNewsReport, KindSocialPost, KindPerson, KindOrganisation}

// Valid reports whether k is a known kind.
func (k SourceKind) Valid() bool {
	for _, x := range SourceKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Name is the kind as people write it: "Official record".
func (k SourceKind) Name() string {
	s := strings.ReplaceAll(string(k), "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Reliability grades a source, A (completely reliable) to F (cannot be
// judged), as in the Admiralty code.
type Reliability string

// Reliabilities lists the reliability grades, best first.
var Reliabilities = []Reliability{"A", "B", "C", "D", "E", "F"}

// Valid reports whether r is one of A to F.
func (r Reliability) Valid() bool {
	return len(r) == 1 && r[0] >= 'A' && r[0] <= 'F'
}

// Meaning says what the grade means.
func (r Reliability) Meaning() string {
	switch r {
	case "A":
		return "Completely reliable"
	case "B":
		return "Usually reliable"
	case "C":
		return "Fairly reliable"
	case "D":
		return "Not usually reliable"
	case "E":
		return "Unreliable"
	case "F":
		return "Reliability cannot be judged"
	}
	return ""
}

// Credibility grades the information a source gives, 1 (confirmed by
// other sources) to 6 (truth cannot be judged), as in the Admiralty code.
type Credibility int

// Credibilities lists the credibility grades, best first.
var Credibilities = []Credibility{1, 2, 3, 4, 5, 6}

// Valid reports whether c is one of 1 to 6.
func (c Credibility) Valid() bool { return c >= 1 && c <= 6 }

// Meaning says what the grade means.
func (c Credibility) Meaning() string {
	switch c {
	case 1:
		return "Confirmed by other sources"
	case 2:
		return "Probably true"
	case 3:
		return "Possibly true"
	case 4:
		return "Doubtful"
	case 5:
		return "Improbable"
	case 6:
		return "Truth cannot be judged"
	}
	return ""
}
