package codebook

import (
	"fmt"
	"strings"
)

// This file is factdesk's one palette for the labels and the statuses: the
// review page, the HTML and PDF reports and their charts all take their
// colours from here, so that a fact is the same blue everywhere.
//
// The hues are Okabe and Ito's palette for colour-vision deficiencies
// (blue, vermillion, reddish purple, bluish green, orange), darkened for
// light backgrounds and lightened for dark ones until the text contrast
// holds. palette_test.go checks, rather than assumes, what that promises:
// every pair of colours that share a chart or a page stays apart for
// normal vision and simulated protanopia, deuteranopia and tritanopia
// (CIEDE2000 ≥ 10), and every colour reads at WCAG contrast ≥ 4.5:1 on
// its background and on its own tint.

// Unlabeled names the colour of a sentence without a label, beside the
// four labels.
const Unlabeled = "unlabeled"

// DarkBackground is the page background the dark swatches are made for.
const DarkBackground = "#16181c"

// Swatch is the pair of colours of one category on one kind of page, each
// "#rrggbb". Color is for text, marks and chart bars; Tint is a background
// (a sentence's highlight), and Color reads on it.
type Swatch struct {
	Color string
	Tint  string
}

// Paint is the colours of one category: a label, Unlabeled, or a status.
// Light is for a white page (and print), Dark for a page on
// DarkBackground, where Tint is itself a dark background.
type Paint struct {
	// Name is the label's or status's name ("fact", "verified") or
	// Unlabeled.
	Name  string
	Light Swatch
	Dark  Swatch
	// Status is true for a sentence status; its CSS names carry the
	// prefix "status-".
	Status bool
}

// CSSName is the name of the paint's CSS custom property, without the
// leading "--": "fact", "unlabeled", "status-verified". The tint's is the
// same with "-bg" appended.
func (p Paint) CSSName() string {
	if p.Status {
		return "status-" + p.Name
	}
	return p.Name
}

// LabelPaints are the colours of the four labels, in the codebook's order,
// followed by Unlabeled: the bars of a chart of sentences per label.
var LabelPaints = []Paint{
	{Name: string(Fact), Light: Swatch{"#0e6ea3", "#e8f2fe"}, Dark: Swatch{"#669ae6", "#2a303f"}},
	{Name: string(Allegation), Light: Swatch{"#b23910", "#ffede7"}, Dark: Swatch{"#f96e3e", "#3e2c26"}},
	{Name: string(Quote), Light: Swatch{"#6e3462", "#fcecf7"}, Dark: Swatch{"#e6b1d8", "#3b2c37"}},
	{Name: string(Assessment), Light: Swatch{"#0e533c", "#e2f5ec"}, Dark: Swatch{"#13d892", "#23342b"}},
	{Name: Unlabeled, Light: Swatch{"#6a6a6a", "#f1f1f1"}, Dark: Swatch{"#9b9b9b", "#303030"}},
}

// StatusPaints are the colours of the sentence statuses, in workflow
// order: the bars of a chart of sentences per status.
var StatusPaints = []Paint{
	{Name: string(Unreviewed), Status: true, Light: Swatch{"#6a6a6a", "#f1f1f1"}, Dark: Swatch{"#bebebe", "#303030"}},
	{Name: string(Labeled), Status: true, Light: Swatch{"#406f91", "#e7f2fe"}, Dark: Swatch{"#99bcfd", "#2a303f"}},
	{Name: string(Verified), Status: true, Light: Swatch{"#2d5340", "#e0f6ea"}, Dark: Swatch{"#5eaa8b", "#22342c"}},
	{Name: string(Disputed), Status: true, Light: Swatch{"#ab5012", "#fdeee6"}, Dark: Swatch{"#f27848", "#3e2d26"}},
	{Name: string(Unverifiable), Status: true, Light: Swatch{"#4a360d", "#fcefde"}, Dark: Swatch{"#ecca93", "#382f22"}},
	{Name: string(Excluded), Status: true, Light: Swatch{"#222222", "#f1f1f1"}, Dark: Swatch{"#f1f1f1", "#303030"}},
}

// LabelPaint returns the colours of a label; "" and unknown labels get
// Unlabeled's.
func LabelPaint(l Label) Paint {
	for _, p := range LabelPaints {
		if p.Name == string(l) {
			return p
		}
	}
	return LabelPaints[len(LabelPaints)-1]
}

// StatusPaint returns the colours of a status, and false for an unknown
// one.
func StatusPaint(s Status) (Paint, bool) {
	for _, p := range StatusPaints {
		if p.Name == string(s) {
			return p, true
		}
	}
	return Paint{}, false
}

// CSSCustomProperties returns the palette as CSS custom property
// declarations, one a line, for a rule such as :root or a dark-mode media
// query: "--fact: #0e6ea3; --fact-bg: #e8f2fe;" and so on for every label,
// Unlabeled and every status ("--status-verified", "--status-verified-bg").
// dark chooses the dark swatches.
func CSSCustomProperties(dark bool) string {
	var b strings.Builder
	for _, ps := range [][]Paint{LabelPaints, StatusPaints} {
		for _, p := range ps {
			sw := p.Light
			if dark {
				sw = p.Dark
			}
			fmt.Fprintf(&b, "--%s: %s; --%s-bg: %s;\n", p.CSSName(), sw.Color, p.CSSName(), sw.Tint)
		}
	}
	return b.String()
}
