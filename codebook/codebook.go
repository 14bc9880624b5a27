// Package codebook holds the vocabulary every part of factdesk shares: the
// four labels with their definitions, the sentence statuses, the relations
// of a citation and the newsroom's rating scale. It has no dependencies so
// that the segmenter's neighbours, the machine reviewer, the store and the
// exports all speak the same words.
package codebook

// Label is the kind of claim a sentence makes.
type Label string

// The four labels of the codebook.
const (
	Fact       Label = "fact"
	Allegation Label = "allegation"
	Quote      Label = "quote"
	Assessment Label = "assessment"
)

// Labels lists the labels in the codebook's order.
var Labels = []Label{Fact, Allegation, Quote, Assessment}

// Valid reports whether l is one of the four labels.
func (l Label) Valid() bool {
	switch l {
	case Fact, Allegation, Quote, Assessment:
		return true
	}
	return false
}

// Definition returns the codebook's definition of l, or "" for an unknown label.
func (l Label) Definition() string {
	switch l {
	case Fact:
		return "Presented by the article as established, and checkable against records: events, actions, numbers, dates."
	case Allegation:
		return "A claim attributed to a source, or hedged (according to, reportedly, allegedly, accused), that the article does not itself establish; sentences that continue such a claim without repeating the attribution are allegations too."
	case Quote:
		return "Someone's own words, quoted directly or reported with a speech verb (said, told, threatened, stated), where what matters is that they said it; every sentence inside a multi-sentence quotation is a quote."
	case Assessment:
		return "The writer's or the outlet's own evaluation, interpretation or prediction."
	}
	return ""
}

// Status is where a sentence stands in its check.
type Status string

// The statuses of a sentence.
const (
	Unreviewed   Status = "unreviewed"
	Labeled      Status = "labeled"
	Verified     Status = "verified"
	Disputed     Status = "disputed"
	Unverifiable Status = "unverifiable"
	Excluded     Status = "excluded"
)

// Statuses lists the statuses in workflow order.
var Statuses = []Status{Unreviewed, Labeled, Verified, Disputed, Unverifiable, Excluded}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case Unreviewed, Labeled, Verified, Disputed, Unverifiable, Excluded:
		return true
	}
	return false
}

// Definition returns what the status means.
func (s Status) Definition() string {
	switch s {
	case Unreviewed:
		return "No label yet."
	case Labeled:
		return "Labeled, not yet checked against sources."
	case Verified:
		return "Backed by at least one supporting or origin citation."
	case Disputed:
		return "A contradicting source weighs against it."
	case Unverifiable:
		return "Checked; nothing found that settles it."
	case Excluded:
		return "Not a claim to check (a truncated teaser, a duplicate, boilerplate), with the reason."
	}
	return ""
}

// Relation is what a cited source does for a sentence.
type Relation string

// The relations of a citation.
const (
	Supports    Relation = "supports"
	Contradicts Relation = "contradicts"
	Context     Relation = "context"
	Origin      Relation = "origin"
)

// Relations lists the citation relations.
var Relations = []Relation{Supports, Contradicts, Context, Origin}

// Valid reports whether r is a known relation.
func (r Relation) Valid() bool {
	switch r {
	case Supports, Contradicts, Context, Origin:
		return true
	}
	return false
}

// Rating is one step of a rating scale, from best to worst.
type Rating struct {
	Name    string `json:"name"`    // what the newsroom calls it: "Mostly false"
	Value   int    `json:"value"`   // its numeric value; 1 is worst
	Meaning string `json:"meaning"` // what it means, for the report's method section
}

// Scale is a newsroom's rating scale. Verdicts are given by Rating.Name.
type Scale struct {
	Name    string   `json:"name"`
	Ratings []Rating `json:"ratings"` // best first
	// Unrated names ratings that say the claim could not be rated; they
	// carry no numeric value in a ClaimReview.
	Unrated []Rating `json:"unrated,omitempty"`
}

// DefaultScale is the scale factdesk uses unless configured otherwise.
func DefaultScale() Scale {
	return Scale{
		Name: "factdesk default",
		Ratings: []Rating{
			{Name: "True", Value: 5, Meaning: "The claim is accurate and nothing significant is missing."},
			{Name: "Mostly true", Value: 4, Meaning: "The claim is accurate but needs clarification or additional information."},
			{Name: "Mixed", Value: 3, Meaning: "The claim is partly accurate and partly inaccurate."},
			{Name: "Mostly false", Value: 2, Meaning: "The claim contains an element of truth but ignores facts that would give a different impression."},
			{Name: "False", Value: 1, Meaning: "The claim is not accurate."},
		},
		Unrated: []Rating{
			{Name: "Unproven", Value: 0, Meaning: "The evidence available does not prove or disprove the claim."},
		},
	}
}

// Find returns the rating called name, and whether it exists.
func (s Scale) Find(name string) (Rating, bool) {
	for _, r := range s.Ratings {
		if r.Name == name {
			return r, true
		}
	}
	for _, r := range s.Unrated {
		if r.Name == name {
			return r, true
		}
	}
	return Rating{}, false
}

// Best and Worst return the numeric ends of the scale.
func (s Scale) Best() int  { return s.Ratings[0].Value }
func (s Scale) Worst() int { return s.Ratings[len(s.Ratings)-1].Value }
