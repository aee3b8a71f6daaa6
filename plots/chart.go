package plots

// Chart is a plot as plain values: one or more panels, drawn side by side
// in a grid when there are several. It is what the renderer draws and
// what golden tests compare.
type Chart struct {
	// Kind is the kind of plot it is (history, pareto, …), or "" for a
	// chart built by hand.
	Kind string `json:"kind,omitempty"`
	// Title is drawn above the panels.
	Title string `json:"title"`
	// Panels are the chart's plots, in reading order.
	Panels []Panel `json:"panels"`
	// Notes are remarks about the data (what was left out and why), for
	// reports and the dashboard; the renderer does not draw them.
	Notes []string `json:"notes,omitempty"`
}

// Panel is one plot of a chart: axes and series.
type Panel struct {
	Title  string   `json:"title,omitempty"`
	X      Axis     `json:"x"`
	Y      Axis     `json:"y"`
	Series []Series `json:"series"`
}

// Axis describes one axis of a panel.
type Axis struct {
	// Label names the axis.
	Label string `json:"label"`
	// Log draws the axis on a log scale (its values must be positive).
	Log bool `json:"log,omitempty"`
	// Ticks, if given, replace the numbers on the axis: a label at each
	// position (for nominal axes: candidates, decisions, workers).
	Ticks []Tick `json:"ticks,omitempty"`
}

// Tick is a labelled position on an axis.
type Tick struct {
	At    float64 `json:"at"`
	Label string  `json:"label"`
}

// Style is how a series is drawn.
type Style string

// Styles of series.
const (
	// StyleLine joins the points in order.
	StyleLine Style = "line"
	// StyleScatter draws each point alone.
	StyleScatter Style = "scatter"
	// StyleSegments draws a segment between points 0 and 1, 2 and 3, …
	// (the bars of a timeline).
	StyleSegments Style = "segments"
	// StyleBars draws a horizontal bar from x = 0 to each point's X, at
	// its Y.
	StyleBars Style = "bars"
)

// Series is a set of points drawn in one style and colour.
type Series struct {
	// Name is the series' name in the legend ("" keeps it out: the
	// lines of many trials share one legend entry, the first's).
	Name string `json:"name,omitempty"`
	// Style is how the series is drawn.
	Style Style `json:"style"`
	// Points are the data, in drawing order.
	Points []Point `json:"points"`
	// Color is the index of the series' colour in the palette; series
	// with the same index share a colour (every trial's line).
	Color int `json:"color"`
}

// Point is one datum of a series. Trial is the number of the trial it
// shows, or -1.
type Point struct {
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Trial int     `json:"trial"`
}

// XY is a point of series data given by hand (Lines, Scatter).
type XY struct{ X, Y float64 }

// Named is a named series of points given by hand.
type Named struct {
	Name   string
	Points []XY
}

// Lines returns a one-panel chart of named series, each a line in its own
// colour, for experiments' plots (loss along an interpolation path,
// accuracy against size).
func Lines(title, xLabel, yLabel string, series ...Named) Chart {
	return handChart(StyleLine, title, xLabel, yLabel, series)
}

// Scatter is Lines with the points drawn alone.
func Scatter(title, xLabel, yLabel string, series ...Named) Chart {
	return handChart(StyleScatter, title, xLabel, yLabel, series)
}

func handChart(style Style, title, xLabel, yLabel string, series []Named) Chart {
	p := Panel{X: Axis{Label: xLabel}, Y: Axis{Label: yLabel}}
	for i, s := range series {
		out := Series{Name: s.Name, Style: style, Color: i}
		for _, xy := range s.Points {
			out.Points = append(out.Points, Point{X: xy.X, Y: xy.Y, Trial: -1})
		}
		p.Series = append(p.Series, out)
	}
	return Chart{Title: title, Panels: []Panel{p}}
}

// LogX returns c with the x axis of every panel on a log scale (for
// accuracy against size in bits, a learning rate); c is not changed.
func (c Chart) LogX() Chart { return c.withAxes(func(p *Panel) { p.X.Log = true }) }

// LogY is LogX for the y axes (a loss over many decades).
func (c Chart) LogY() Chart { return c.withAxes(func(p *Panel) { p.Y.Log = true }) }

func (c Chart) withAxes(f func(*Panel)) Chart {
	out := c
	out.Panels = append([]Panel(nil), c.Panels...)
	for i := range out.Panels {
		f(&out.Panels[i])
	}
	return out
}
