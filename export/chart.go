package export

// chart is a horizontal bar chart laid out in points, drawn as SVG in the
// HTML report and with fpdf in the PDF, so that both show the same
// picture.
type chart struct {
	ID     string
	Title  string
	Width  int
	Height int
	Bars   []chartBar
}

// chartBar is one laid-out bar: its name at the left, the bar, the count
// after the bar.
type chartBar struct {
	Name   string
	Count  int
	Color  string
	X, Y   int // top left of the bar
	W, H   int
	TextY  int // baseline of the name and the count
	CountX int
}

// Chart geometry, in SVG user units (CSS pixels) and PDF points alike.
const (
	chartWidth    = 320
	chartNameW    = 96
	chartBarMaxW  = 180
	chartRowH     = 22
	chartBarH     = 14
	chartTopPad   = 4
	chartCountGap = 6
)

func summaryCharts(s Summary) []chart {
	return []chart{
		layoutChart("fd-chart-labels", "Sentences per label", labelBars(s)),
		layoutChart("fd-chart-statuses", "Sentences per status", statusBars(s)),
	}
}

// layoutChart scales the bars to the largest count.
func layoutChart(id, title string, bars []bar) chart {
	max := 0
	for _, b := range bars {
		if b.Count > max {
			max = b.Count
		}
	}
	c := chart{ID: id, Title: title, Width: chartWidth, Height: chartTopPad*2 + chartRowH*len(bars)}
	for i, b := range bars {
		w := 0
		if max > 0 {
			w = (b.Count*chartBarMaxW + max/2) / max
		}
		if b.Count > 0 && w == 0 {
			w = 1 // a bar that exists must be seen
		}
		y := chartTopPad + i*chartRowH
		c.Bars = append(c.Bars, chartBar{
			Name: b.Name, Count: b.Count, Color: b.Color,
			X: chartNameW, Y: y + (chartRowH-chartBarH)/2, W: w, H: chartBarH,
			TextY: y + chartRowH/2 + 4, CountX: chartNameW + w + chartCountGap,
		})
	}
	return c
}
