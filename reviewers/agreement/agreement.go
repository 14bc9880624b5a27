// Package agreement measures how far raters who label the same items with
// nominal categories agree: two checkers, a checker and an editor across
// rounds, people and the machine reviewer.
//
// Ratings are strings; the empty string (Missing) means the rater did not
// rate the item. Pairwise compares two raters (observed agreement, Cohen's
// kappa, Gwet's AC1, Krippendorff's alpha, the confusion table and per-label
// counts); Multi compares any number of raters (observed agreement, Fleiss'
// kappa, Gwet's AC1, Krippendorff's alpha and per-label counts).
//
// The results never hold NaN or Inf, so they can be written as JSON into an
// audit report as they are. A coefficient that is undefined for the data
// (no item rated by two raters, a single label used throughout, …) is a nil
// pointer, omitted from the JSON, and the result's Undefined map says why,
// keyed by the coefficient's JSON name.
//
// The formulas are those of Gwet, Handbook of Inter-Rater Reliability, 4th
// ed. (2014), as implemented in his R package irrCAC, and of Krippendorff,
// "Computing Krippendorff's Alpha-Reliability" (2011), whose published
// examples the tests reproduce.
package agreement

import (
	"fmt"
	"slices"
)

// Missing is the rating that stands for "this rater did not rate the item".
const Missing = ""

// Options fixes how ratings are read. The zero value is ready to use.
type Options struct {
	// Categories lists every label the raters could choose from, in the
	// order tables are shown (codebook.Labels, say). When it is nil the
	// labels that occur in the ratings are used, sorted. Setting it matters
	// for Gwet's AC1, whose chance agreement depends on the number of
	// categories on the scale, not only on those that were used; a rating
	// outside Categories is an error.
	Categories []string
}

// Pairwise compares two raters with the zero Options; see Options.Pairwise.
func Pairwise(a, b []string) (PairResult, error) {
	return Options{}.Pairwise(a, b)
}

// Multi compares several raters with the zero Options; see Options.Multi.
func Multi(ratings [][]string) (MultiResult, error) {
	return Options{}.Multi(ratings)
}

// LabelCount is how often one label was given.
type LabelCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
	// Share is Count over all non-missing ratings; 0 when there are none.
	Share float64 `json:"share"`
}

// scale maps labels to column indexes.
type scale struct {
	labels []string
	index  map[string]int
}

// newScale builds the category scale from the options and the ratings,
// rejecting ratings outside fixed categories.
func (o Options) newScale(rows ...[]string) (scale, error) {
	s := scale{index: map[string]int{}}
	if o.Categories != nil {
		for _, c := range o.Categories {
			if c == Missing {
				return scale{}, fmt.Errorf("category list holds the empty string, which means a missing rating")
			}
			if _, dup := s.index[c]; dup {
				return scale{}, fmt.Errorf("category %q listed twice", c)
			}
			s.index[c] = len(s.labels)
			s.labels = append(s.labels, c)
		}
		for r, row := range rows {
			for i, v := range row {
				if _, ok := s.index[v]; v != Missing && !ok {
					return scale{}, fmt.Errorf("rater %d, item %d: label %q is not one of the categories %q", r, i, v, o.Categories)
				}
			}
		}
		return s, nil
	}
	for _, row := range rows {
		for _, v := range row {
			if _, ok := s.index[v]; v != Missing && !ok {
				s.index[v] = -1
				s.labels = append(s.labels, v)
			}
		}
	}
	slices.Sort(s.labels)
	for i, l := range s.labels {
		s.index[l] = i
	}
	return s, nil
}

// undefined collects the reasons why coefficients could not be computed.
type undefined map[string]string

// set records the value of a coefficient, or why it is undefined when
// reason is not empty; it returns the pointer to store in the result.
func (u undefined) set(name string, v float64, reason string) *float64 {
	if reason != "" {
		u[name] = reason
		return nil
	}
	return &v
}

// orNil returns the map, or nil when it is empty, so that the JSON omits it.
func (u undefined) orNil() map[string]string {
	if len(u) == 0 {
		return nil
	}
	return u
}

// Reasons shared by both kinds of result.
const (
	reasonNoPairs   = "no item was rated by two raters"
	reasonOneLabel  = "every rating uses the same label, so chance agreement is 1 and the coefficient is 0/0"
	reasonOneCat    = "the scale has a single category; AC1 needs at least two (set Options.Categories to the full scale)"
	reasonNoVariety = "every pairable rating uses the same label: there is no variation to be reliable about"
)
