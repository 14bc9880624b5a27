package codebook

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
)

// The palette's promises are checked with the colour science below, not
// taken on trust: CIEDE2000 between colours as people with normal vision
// and with each dichromacy see them, and WCAG contrast.

// minDeltaE is how far apart (CIEDE2000) every two colours that share a
// chart or a page must stay, in every vision simulated. ΔE00 ≈ 1 is a just
// noticeable difference between large patches side by side; for the small
// marks a palette colours here — a label word, a 14-pixel chart bar, a
// sentence highlight — noticing is not enough, the categories must be told
// apart at a glance and named from a legend. Szafir's measurements for
// marks of that size (Modeling Color Difference for Visualization Design,
// IEEE TVCG 2018) put a reliable difference at several times the patch
// JND, and the dichromacy simulation is itself an approximation of a
// range of real observers: 10 leaves room for both.
const minDeltaE = 10

// minContrast is WCAG 2's AA contrast for normal text (success criterion
// 1.4.3); the label colours colour words.
const minContrast = 4.5

// lab is a CIE L*a*b* colour (D65 white).
type lab struct{ L, A, B float64 }

// linear is a colour in linear-light sRGB, each channel in [0,1].
type linear [3]float64

// parseHex reads "#rrggbb".
func parseHex(t *testing.T, s string) linear {
	t.Helper()
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil || len(s) != 7 {
		t.Fatalf("colour %q: want #rrggbb", s)
	}
	return linear{toLinear(r), toLinear(g), toLinear(b)}
}

// toLinear undoes the sRGB transfer function (IEC 61966-2-1).
func toLinear(c8 uint8) float64 {
	c := float64(c8) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// luminance is WCAG's relative luminance, the Y of CIE XYZ.
func luminance(c linear) float64 {
	return 0.2126729*c[0] + 0.7151522*c[1] + 0.0721750*c[2]
}

// contrast is WCAG 2's contrast ratio of two colours, 1 to 21.
func contrast(a, b linear) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// toLab converts linear sRGB to CIE L*a*b* through XYZ, both on D65.
func toLab(c linear) lab {
	x := 0.4124564*c[0] + 0.3575761*c[1] + 0.1804375*c[2]
	y := 0.2126729*c[0] + 0.7151522*c[1] + 0.0721750*c[2]
	z := 0.0193339*c[0] + 0.1191920*c[1] + 0.9503041*c[2]
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x/0.95047), f(y/1.0), f(z/1.08883)
	return lab{L: 116*fy - 16, A: 500 * (fx - fy), B: 200 * (fy - fz)}
}

// dichromacies are Machado, Oliveira and Fernandes's simulation matrices
// at severity 1.0 (A Physiologically-based Model for Simulation of Color
// Vision Deficiency, IEEE TVCG 2009), applied to linear RGB.
var dichromacies = map[string][3][3]float64{
	"protanopia": {
		{0.152286, 1.052583, -0.204868},
		{0.114503, 0.786281, 0.099216},
		{-0.003882, -0.048116, 1.051998},
	},
	"deuteranopia": {
		{0.367322, 0.860646, -0.227968},
		{0.280085, 0.672501, 0.047413},
		{-0.011820, 0.042940, 0.968881},
	},
	"tritanopia": {
		{1.255528, -0.076749, -0.178779},
		{-0.078411, 0.930809, 0.147602},
		{0.004733, 0.691367, 0.303900},
	},
}

// visions are the ways of seeing every check is made for.
var visions = []string{"normal", "protanopia", "deuteranopia", "tritanopia"}

// see returns c as seen with the given vision, clamped to the gamut.
func see(c linear, vision string) linear {
	m, ok := dichromacies[vision]
	if !ok {
		return c
	}
	var out linear
	for i := range 3 {
		v := m[i][0]*c[0] + m[i][1]*c[1] + m[i][2]*c[2]
		out[i] = min(1, max(0, v))
	}
	return out
}

// ciede2000 is the CIEDE2000 colour difference with kL = kC = kH = 1, as
// Sharma, Wu and Dalal give it (The CIEDE2000 Color-Difference Formula:
// Implementation Notes, Supplementary Test Data, and Mathematical
// Observations, Color Res. Appl. 30(1), 2005), equations 2 to 22.
func ciede2000(p, q lab) float64 {
	rad := math.Pi / 180
	c1, c2 := math.Hypot(p.A, p.B), math.Hypot(q.A, q.B)
	cBar7 := math.Pow((c1+c2)/2, 7)
	g := 0.5 * (1 - math.Sqrt(cBar7/(cBar7+math.Pow(25, 7))))
	a1, a2 := (1+g)*p.A, (1+g)*q.A
	c1p, c2p := math.Hypot(a1, p.B), math.Hypot(a2, q.B)
	hue := func(b, a float64) float64 {
		if a == 0 && b == 0 {
			return 0
		}
		h := math.Atan2(b, a) / rad
		if h < 0 {
			h += 360
		}
		return h
	}
	h1, h2 := hue(p.B, a1), hue(q.B, a2)

	// Hues exactly opposite (Sharma's pairs 13 to 16) sit on the
	// formula's discontinuity, where rounding in Atan2 must not decide
	// which side of 180° a difference falls: compare with a tolerance
	// far below any real difference.
	const eps = 1e-9
	dL := q.L - p.L
	dC := c2p - c1p
	dh := 0.0
	if c1p*c2p != 0 {
		dh = h2 - h1
		switch {
		case dh > 180+eps:
			dh -= 360
		case dh < -180-eps:
			dh += 360
		}
	}
	dH := 2 * math.Sqrt(c1p*c2p) * math.Sin(dh/2*rad)

	lBar := (p.L + q.L) / 2
	cBarP := (c1p + c2p) / 2
	hBar := h1 + h2
	if c1p*c2p != 0 {
		switch {
		case math.Abs(h1-h2) <= 180+eps:
			hBar = (h1 + h2) / 2
		case h1+h2 < 360:
			hBar = (h1 + h2 + 360) / 2
		default:
			hBar = (h1 + h2 - 360) / 2
		}
	}
	t := 1 - 0.17*math.Cos((hBar-30)*rad) + 0.24*math.Cos(2*hBar*rad) + 0.32*math.Cos((3*hBar+6)*rad) - 0.20*math.Cos((4*hBar-63)*rad)
	dTheta := 30 * math.Exp(-math.Pow((hBar-275)/25, 2))
	cBarP7 := math.Pow(cBarP, 7)
	rC := 2 * math.Sqrt(cBarP7/(cBarP7+math.Pow(25, 7)))
	l50 := (lBar - 50) * (lBar - 50)
	sL := 1 + 0.015*l50/math.Sqrt(20+l50)
	sC := 1 + 0.045*cBarP
	sH := 1 + 0.015*cBarP*t
	rT := -math.Sin(2*dTheta*rad) * rC
	l, c, h := dL/sL, dC/sC, dH/sH
	return math.Sqrt(l*l + c*c + h*h + rT*c*h)
}

// TestCIEDE2000 checks the formula against the 34 pairs that Sharma, Wu
// and Dalal published to catch the usual mistakes (the hue wrap-around,
// the mean hue, the rotation term near blue, near-neutral pairs), both
// ways round.
func TestCIEDE2000(t *testing.T) {
	pairs := []struct {
		a, b lab
		want float64
	}{
		{lab{50.0000, 2.6772, -79.7751}, lab{50.0000, 0.0000, -82.7485}, 2.0425},
		{lab{50.0000, 3.1571, -77.2803}, lab{50.0000, 0.0000, -82.7485}, 2.8615},
		{lab{50.0000, 2.8361, -74.0200}, lab{50.0000, 0.0000, -82.7485}, 3.4412},
		{lab{50.0000, -1.3802, -84.2814}, lab{50.0000, 0.0000, -82.7485}, 1.0000},
		{lab{50.0000, -1.1848, -84.8006}, lab{50.0000, 0.0000, -82.7485}, 1.0000},
		{lab{50.0000, -0.9009, -85.5211}, lab{50.0000, 0.0000, -82.7485}, 1.0000},
		{lab{50.0000, 0.0000, 0.0000}, lab{50.0000, -1.0000, 2.0000}, 2.3669},
		{lab{50.0000, -1.0000, 2.0000}, lab{50.0000, 0.0000, 0.0000}, 2.3669},
		{lab{50.0000, 2.4900, -0.0010}, lab{50.0000, -2.4900, 0.0009}, 7.1792},
		{lab{50.0000, 2.4900, -0.0010}, lab{50.0000, -2.4900, 0.0010}, 7.1792},
		{lab{50.0000, 2.4900, -0.0010}, lab{50.0000, -2.4900, 0.0011}, 7.2195},
		{lab{50.0000, 2.4900, -0.0010}, lab{50.0000, -2.4900, 0.0012}, 7.2195},
		{lab{50.0000, -0.0010, 2.4900}, lab{50.0000, 0.0009, -2.4900}, 4.8045},
		{lab{50.0000, -0.0010, 2.4900}, lab{50.0000, 0.0010, -2.4900}, 4.8045},
		{lab{50.0000, -0.0010, 2.4900}, lab{50.0000, 0.0011, -2.4900}, 4.7461},
		{lab{50.0000, 2.5000, 0.0000}, lab{50.0000, 0.0000, -2.5000}, 4.3065},
		{lab{50.0000, 2.5000, 0.0000}, lab{73.0000, 25.0000, -18.0000}, 27.1492},
		{lab{50.0000, 2.5000, 0.0000}, lab{61.0000, -5.0000, 29.0000}, 22.8977},
		{lab{50.0000, 2.5000, 0.0000}, lab{56.0000, -27.0000, -3.0000}, 31.9030},
		{lab{50.0000, 2.5000, 0.0000}, lab{58.0000, 24.0000, 15.0000}, 19.4535},
		{lab{50.0000, 2.5000, 0.0000}, lab{50.0000, 3.1736, 0.5854}, 1.0000},
		{lab{50.0000, 2.5000, 0.0000}, lab{50.0000, 3.2972, 0.0000}, 1.0000},
		{lab{50.0000, 2.5000, 0.0000}, lab{50.0000, 1.8634, 0.5757}, 1.0000},
		{lab{50.0000, 2.5000, 0.0000}, lab{50.0000, 3.2592, 0.3350}, 1.0000},
		{lab{60.2574, -34.0099, 36.2677}, lab{60.4626, -34.1751, 39.4387}, 1.2644},
		{lab{63.0109, -31.0961, -5.8663}, lab{62.8187, -29.7946, -4.0864}, 1.2630},
		{lab{61.2901, 3.7196, -5.3901}, lab{61.4292, 2.2480, -4.9620}, 1.8731},
		{lab{35.0831, -44.1164, 3.7933}, lab{35.0232, -40.0716, 1.5901}, 1.8645},
		{lab{22.7233, 20.0904, -46.6940}, lab{23.0331, 14.9730, -42.5619}, 2.0373},
		{lab{36.4612, 47.8580, 18.3852}, lab{36.2715, 50.5065, 21.2231}, 1.4146},
		{lab{90.8027, -2.0831, 1.4410}, lab{91.1528, -1.6435, 0.0447}, 1.4441},
		{lab{90.9257, -0.5406, -0.9208}, lab{88.6381, -0.8985, -0.7239}, 1.5381},
		{lab{6.7747, -0.2908, -2.4247}, lab{5.8714, -0.0985, -2.2286}, 0.6377},
		{lab{2.0776, 0.0795, -1.1350}, lab{0.9033, -0.0636, -0.5514}, 0.9082},
	}
	for i, p := range pairs {
		for _, got := range []float64{ciede2000(p.a, p.b), ciede2000(p.b, p.a)} {
			if math.Abs(got-p.want) > 5e-5 {
				t.Errorf("pair %d %v %v: got ΔE00 %.4f, want %.4f", i+1, p.a, p.b, got, p.want)
			}
		}
	}
}

// TestColourScience checks the conversions the palette checks rely on
// against known values.
func TestColourScience(t *testing.T) {
	white, black := parseHex(t, "#ffffff"), parseHex(t, "#000000")
	if got := contrast(white, black); math.Abs(got-21) > 1e-4 {
		t.Errorf("contrast of white and black: got %.4f, want 21", got)
	}
	// #767676 is the lightest grey that passes AA on white: 4.54:1.
	if got := contrast(parseHex(t, "#767676"), white); math.Abs(got-4.54) > 0.005 {
		t.Errorf("contrast of #767676 on white: got %.3f, want 4.54", got)
	}
	// sRGB red is L*a*b* (53.24, 80.09, 67.20).
	if got := toLab(parseHex(t, "#ff0000")); math.Abs(got.L-53.24) > 0.01 || math.Abs(got.A-80.09) > 0.01 || math.Abs(got.B-67.20) > 0.01 {
		t.Errorf("L*a*b* of #ff0000: got %.2f, want (53.24, 80.09, 67.20)", got)
	}
	if got := toLab(white); math.Abs(got.L-100) > 1e-3 || math.Abs(got.A) > 1e-3 || math.Abs(got.B) > 1e-3 {
		t.Errorf("L*a*b* of white: got %.4f, want (100, 0, 0)", got)
	}
	// A dichromat sees white as white and neutrals as neutrals: every
	// row of a simulation matrix sums to 1.
	for name, m := range dichromacies {
		for i, row := range m {
			if s := row[0] + row[1] + row[2]; math.Abs(s-1) > 1e-5 {
				t.Errorf("%s row %d sums to %.6f, want 1", name, i, s)
			}
		}
	}
	// Red and green, told apart with normal vision, merge for a
	// deuteranope: the simulation does something.
	red, green := parseHex(t, "#d62728"), parseHex(t, "#2ca02c")
	normal := ciede2000(toLab(red), toLab(green))
	deutan := ciede2000(toLab(see(red, "deuteranopia")), toLab(see(green, "deuteranopia")))
	if normal < 40 || deutan > normal/2 {
		t.Errorf("red and green: ΔE00 %.1f with normal vision and %.1f for a deuteranope; want the second far below the first", normal, deutan)
	}
}

// TestPaletteComplete checks that every label and status has its colours,
// each a well-formed #rrggbb, and that the lookups find them.
func TestPaletteComplete(t *testing.T) {
	hex := regexp.MustCompile(`^#[0-9a-f]{6}$`)
	if len(LabelPaints) != len(Labels)+1 {
		t.Fatalf("LabelPaints: got %d entries, want the %d labels and %s", len(LabelPaints), len(Labels), Unlabeled)
	}
	for i, l := range Labels {
		if LabelPaints[i].Name != string(l) || LabelPaint(l).Name != string(l) {
			t.Errorf("LabelPaints[%d] is %q, want %q in the codebook's order", i, LabelPaints[i].Name, l)
		}
	}
	if LabelPaint("").Name != Unlabeled || LabelPaint("rumour").Name != Unlabeled {
		t.Errorf("LabelPaint of no label: got %q, want %q", LabelPaint("").Name, Unlabeled)
	}
	if len(StatusPaints) != len(Statuses) {
		t.Fatalf("StatusPaints: got %d entries, want %d", len(StatusPaints), len(Statuses))
	}
	for i, s := range Statuses {
		p, ok := StatusPaint(s)
		if !ok || StatusPaints[i].Name != string(s) || !p.Status {
			t.Errorf("StatusPaints[%d] is %q, want status %q in workflow order", i, StatusPaints[i].Name, s)
		}
	}
	if _, ok := StatusPaint("pending"); ok {
		t.Error("StatusPaint found a status the codebook does not have")
	}
	for _, p := range append(append([]Paint{}, LabelPaints...), StatusPaints...) {
		for _, c := range []string{p.Light.Color, p.Light.Tint, p.Dark.Color, p.Dark.Tint} {
			if !hex.MatchString(c) {
				t.Errorf("%s: colour %q is not lower-case #rrggbb", p.Name, c)
			}
		}
	}
}

// TestPaletteDistinct checks that the colours that share a chart — the
// four labels with Unlabeled, and the six statuses — stay at least
// minDeltaE apart, pair by pair, for normal vision and for each
// dichromacy, on light pages and on dark ones.
func TestPaletteDistinct(t *testing.T) {
	for _, group := range []struct {
		name   string
		paints []Paint
	}{{"labels", LabelPaints}, {"statuses", StatusPaints}} {
		for _, dark := range []bool{false, true} {
			mode := map[bool]string{false: "light", true: "dark"}[dark]
			t.Run(group.name+"/"+mode, func(t *testing.T) {
				worst, where := math.Inf(1), ""
				for _, vision := range visions {
					for i, p := range group.paints {
						for _, q := range group.paints[i+1:] {
							a, b := swatch(p, dark).Color, swatch(q, dark).Color
							d := ciede2000(toLab(see(parseHex(t, a), vision)), toLab(see(parseHex(t, b), vision)))
							if d < minDeltaE {
								t.Errorf("%s %s and %s %s: ΔE00 %.2f with %s, want at least %d", p.Name, a, q.Name, b, d, vision, minDeltaE)
							}
							if d < worst {
								worst, where = d, fmt.Sprintf("%s/%s, %s", p.Name, q.Name, vision)
							}
						}
					}
				}
				t.Logf("smallest ΔE00: %.2f (%s)", worst, where)
			})
		}
	}
}

// TestPaletteContrast checks that every colour reads as text: on white and
// on its own tint (light), on DarkBackground and on its dark tint (dark).
func TestPaletteContrast(t *testing.T) {
	white, dark := parseHex(t, "#ffffff"), parseHex(t, DarkBackground)
	worst := map[string]float64{}
	check := func(p Paint, what string, fg, bg linear) {
		c := contrast(fg, bg)
		if c < minContrast {
			t.Errorf("%s: contrast %s %.2f:1, want at least %.1f:1", p.Name, what, c, minContrast)
		}
		if w, ok := worst[what]; !ok || c < w {
			worst[what] = c
		}
	}
	for _, p := range append(append([]Paint{}, LabelPaints...), StatusPaints...) {
		check(p, "on white", parseHex(t, p.Light.Color), white)
		check(p, "on its tint", parseHex(t, p.Light.Color), parseHex(t, p.Light.Tint))
		check(p, "on the dark background", parseHex(t, p.Dark.Color), dark)
		check(p, "on its dark tint", parseHex(t, p.Dark.Color), parseHex(t, p.Dark.Tint))
		// A dark tint is a background: darker than the text it carries.
		if luminance(parseHex(t, p.Dark.Tint)) >= luminance(parseHex(t, p.Dark.Color)) {
			t.Errorf("%s: dark tint %s is not darker than its colour %s", p.Name, p.Dark.Tint, p.Dark.Color)
		}
	}
	for what, c := range worst {
		t.Logf("smallest contrast %s: %.2f:1", what, c)
	}
}

func swatch(p Paint, dark bool) Swatch {
	if dark {
		return p.Dark
	}
	return p.Light
}

// TestCSSCustomProperties checks the declarations the web layer builds its
// stylesheet from.
func TestCSSCustomProperties(t *testing.T) {
	for _, dark := range []bool{false, true} {
		css := CSSCustomProperties(dark)
		for _, p := range append(append([]Paint{}, LabelPaints...), StatusPaints...) {
			sw := swatch(p, dark)
			for _, want := range []string{"--" + p.CSSName() + ": " + sw.Color + ";", "--" + p.CSSName() + "-bg: " + sw.Tint + ";"} {
				if !strings.Contains(css, want) {
					t.Errorf("CSSCustomProperties(%v) lacks %q", dark, want)
				}
			}
		}
		for _, want := range []string{"--fact: ", "--fact-bg: ", "--assessment-bg: ", "--unlabeled: ", "--status-disputed: "} {
			if !strings.Contains(css, want) {
				t.Errorf("CSSCustomProperties(%v) lacks %q", dark, want)
			}
		}
	}
}
