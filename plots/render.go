package plots

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Formats are the file formats Render writes.
var Formats = []string{"svg", "png"}

// Size of one panel, and how many panels a row of a chart holds.
const (
	panelWidth  = 16 * vg.Centimeter
	panelHeight = 10 * vg.Centimeter
	tileWidth   = 10 * vg.Centimeter
	tileHeight  = 7.5 * vg.Centimeter
	tileColumns = 3
	pngDPI      = 96
)

// FormatOf returns the format a file name's extension names (svg or
// png), or an ErrKind error.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w: %s: the file must end in .svg or .png", ErrKind, path)
}

// Save renders the chart to the file path, in the format its extension
// names (.svg or .png).
func Save(c Chart, path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	w := bufio.NewWriter(f)
	if err := Render(w, c, format); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("plots: %s: %w", path, err)
	}
	return nil
}

// Render writes the chart to w as SVG or PNG (format "svg" or "png"). A
// chart of several panels is drawn as a grid of up to three columns. Data
// the plotting library cannot draw is an error, never a panic.
func Render(w io.Writer, c Chart, format string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing %s: %v", c.Title, r)
		}
	}()
	if format != "svg" && format != "png" {
		return fmt.Errorf("%w format %q (the formats: svg, png)", ErrKind, format)
	}
	panels := c.Panels
	if len(panels) == 0 {
		panels = []Panel{{Title: "no data"}}
	}
	cols, rows := 1, 1
	width, height := panelWidth, panelHeight
	if len(panels) > 1 {
		cols = min(tileColumns, len(panels))
		rows = (len(panels) + cols - 1) / cols
		width, height = tileWidth*vg.Length(cols), tileHeight*vg.Length(rows)
	}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for i, p := range panels {
		title := p.Title
		if len(panels) == 1 {
			title = c.Title
			if p.Title != "" {
				title += ": " + p.Title
			}
		}
		pl, err := panelPlot(p, title)
		if err != nil {
			return fmt.Errorf("plots: %s: panel %d: %w", c.Title, i, err)
		}
		grid[i/cols][i%cols] = pl
	}
	var canvas vg.CanvasWriterTo
	if format == "svg" {
		canvas = vgsvg.New(width, height)
	} else {
		canvas = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))}
	}
	dc := draw.New(canvas)
	if rows == 1 && cols == 1 {
		grid[0][0].Draw(dc)
	} else {
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter, PadY: vg.Millimeter,
			PadTop: 2 * vg.Millimeter, PadBottom: 2 * vg.Millimeter, PadLeft: 2 * vg.Millimeter, PadRight: 2 * vg.Millimeter}
		canvases := plot.Align(grid, tiles, dc)
		for r := range grid {
			for col, pl := range grid[r] {
				if pl != nil {
					pl.Draw(canvases[r][col])
				}
			}
		}
	}
	if _, err := canvas.WriteTo(w); err != nil {
		return fmt.Errorf("plots: writing %s: %w", format, err)
	}
	return nil
}

// panelPlot builds the gonum plot of one panel.
func panelPlot(p Panel, title string) (*plot.Plot, error) {
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Label.Text = p.X.Label
	pl.Y.Label.Text = p.Y.Label
	pl.Legend.Top = true
	setAxis(&pl.X, p.X)
	setAxis(&pl.Y, p.Y)
	for _, s := range p.Series {
		if len(s.Points) == 0 {
			continue
		}
		col := plotutil.Color(s.Color)
		xys := make(plotter.XYs, 0, len(s.Points))
		for _, pt := range s.Points {
			if (p.X.Log && pt.X <= 0) || (p.Y.Log && pt.Y <= 0) || math.IsNaN(pt.X) || math.IsNaN(pt.Y) {
				continue // not on a log axis
			}
			xys = append(xys, plotter.XY{X: pt.X, Y: pt.Y})
		}
		if len(xys) == 0 {
			continue
		}
		var thumb plot.Thumbnailer
		switch s.Style {
		case StyleLine:
			l, err := plotter.NewLine(xys)
			if err != nil {
				return nil, err
			}
			l.Color = col
			pl.Add(l)
			thumb = l
		case StyleScatter:
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Color = col
			sc.GlyphStyle.Radius = vg.Points(2)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			pl.Add(sc)
			thumb = sc
		case StyleSegments, StyleBars:
			seg := &segments{xys: xys, bars: s.Style == StyleBars, style: draw.LineStyle{Color: col, Width: vg.Points(6)}}
			pl.Add(seg)
			thumb = seg
		default:
			return nil, fmt.Errorf("%w style %q", ErrKind, s.Style)
		}
		if s.Name != "" {
			pl.Legend.Add(s.Name, thumb)
		}
	}
	// A log axis needs positive bounds: without data it is linear.
	for _, a := range []*plot.Axis{&pl.X, &pl.Y} {
		if _, isLog := a.Scale.(plot.LogScale); isLog && (!(a.Min > 0) || math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0)) {
			a.Scale, a.Tick.Marker = plot.LinearScale{}, plot.DefaultTicks{}
		}
	}
	return pl, nil
}

// setAxis applies an Axis's scale and ticks to a gonum axis.
func setAxis(a *plot.Axis, ax Axis) {
	if ax.Log {
		a.Scale = plot.LogScale{}
		a.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if len(ax.Ticks) > 0 {
		ticks := make([]plot.Tick, len(ax.Ticks))
		for i, t := range ax.Ticks {
			ticks[i] = plot.Tick{Value: t.At, Label: t.Label}
		}
		a.Tick.Marker = plot.ConstantTicks(ticks)
		lo, hi := ax.Ticks[0].At, ax.Ticks[len(ax.Ticks)-1].At
		a.Min, a.Max = math.Min(a.Min, lo-0.5), math.Max(a.Max, hi+0.5)
	}
}

// segments draws the segments of a timeline (points 0–1, 2–3, …) or the
// bars of an importance plot (from x = 0 to each point), as thick lines:
// a plotter of its own, so that a hundred thousand of them are one
// plotter, not one each.
type segments struct {
	xys   plotter.XYs
	bars  bool
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (s *segments) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	line := func(x0, y0, x1, y1 float64) {
		c.StrokeLine2(s.style, tx(x0), ty(y0), tx(x1), ty(y1))
	}
	if s.bars {
		for _, xy := range s.xys {
			line(0, xy.Y, xy.X, xy.Y)
		}
		return
	}
	for i := 0; i+1 < len(s.xys); i += 2 {
		line(s.xys[i].X, s.xys[i].Y, s.xys[i+1].X, s.xys[i+1].Y)
	}
}

// DataRange implements plot.DataRanger.
func (s *segments) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = plotter.XYRange(s.xys)
	if s.bars {
		xmin = math.Min(xmin, 0)
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer.
func (s *segments) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(s.style, c.Min.X, y, c.Max.X, y)
}
