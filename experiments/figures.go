package experiments

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/c2602f9e/goglove/plots"
)

// Figure is one plot an experiment writes into its --out directory: the
// file's name (ending in .svg) and the chart drawn in it. Its data comes
// from the experiment's results through pure functions (BitNetFigures,
// LMCFigures, LoRAFigures, HardwareFigures), so tests compare charts, not
// image bytes.
type Figure struct {
	File  string      `json:"file"`
	Chart plots.Chart `json:"chart"`
}

// SaveFigures renders each figure into dir (which must exist) under its
// file name, and returns every file it could not write, joined.
func SaveFigures(dir string, figs []Figure) error {
	var errs []error
	for _, f := range figs {
		if err := plots.Save(f.Chart, filepath.Join(dir, f.File)); err != nil {
			errs = append(errs, fmt.Errorf("experiments: %s: %w", f.File, err))
		}
	}
	return errors.Join(errs...)
}

// panels returns one chart of the panels of charts, each panel titled by
// its chart's title, for figures of one plot per method or layer.
func panels(title string, charts ...plots.Chart) plots.Chart {
	c := plots.Chart{Title: title}
	for _, ch := range charts {
		for _, p := range ch.Panels {
			p.Title = ch.Title
			c.Panels = append(c.Panels, p)
		}
	}
	return c
}

// withPoints returns c with each line's points also drawn as marks, in
// the line's colour and out of the legend (for lines of a few points).
func withPoints(c plots.Chart) plots.Chart {
	out := c
	out.Panels = make([]plots.Panel, len(c.Panels))
	for i, p := range c.Panels {
		p.Series = slices.Clone(p.Series)
		for _, s := range c.Panels[i].Series {
			if s.Style == plots.StyleLine {
				p.Series = append(p.Series, plots.Series{Style: plots.StyleScatter, Points: s.Points, Color: s.Color})
			}
		}
		out.Panels[i] = p
	}
	return out
}
