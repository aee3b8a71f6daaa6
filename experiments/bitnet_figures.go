package experiments

import (
	"cmp"
	"slices"

	"github.com/c2602f9e/goglove/plots"
)

// BitNetSizeSeries returns, per mode in the order of BitNetModes (modes
// without rows left out), the best test accuracy over the learning
// rates and weight decays at each width, against the model's size in
// bits, by size: the points of the accuracy-against-storage plot. A pure
// function of rows (of one grid: one number of epochs).
func BitNetSizeSeries(rows []BitNetRow) []plots.Named {
	return bitnetSeries(rows, func(r BitNetRow) float64 { return r.SizeBits })
}

// BitNetWidthSeries is BitNetSizeSeries against the hidden width.
func BitNetWidthSeries(rows []BitNetRow) []plots.Named {
	return bitnetSeries(rows, func(r BitNetRow) float64 { return float64(r.Width) })
}

// bitnetSeries returns per mode the best row of each width, its x given
// by x and its y the test accuracy, sorted by x.
func bitnetSeries(rows []BitNetRow, x func(BitNetRow) float64) []plots.Named {
	var out []plots.Named
	for _, m := range BitNetModes() {
		best := map[int]BitNetRow{}
		for _, r := range rows {
			if b, ok := best[r.Width]; r.Mode == m && (!ok || r.TestAccuracy > b.TestAccuracy) {
				best[r.Width] = r
			}
		}
		if len(best) == 0 {
			continue
		}
		s := plots.Named{Name: string(m)}
		for _, r := range best {
			s.Points = append(s.Points, plots.XY{X: x(r), Y: r.TestAccuracy})
		}
		slices.SortFunc(s.Points, func(a, b plots.XY) int { return cmp.Or(cmp.Compare(a.X, b.X), cmp.Compare(a.Y, b.Y)) })
		out = append(out, s)
	}
	return out
}

// BitNetFigures returns the plots goglove experiment bitnet --out writes:
// accuracy.svg (test accuracy against size in bits, log scale, per
// mode) and accuracy-width.svg (against the hidden width).
func BitNetFigures(rows []BitNetRow) []Figure {
	return []Figure{
		{File: "accuracy.svg", Chart: withPoints(plots.Lines("BitNet: test accuracy against size (best lr, wd)", "size (bits)", "test accuracy",
			BitNetSizeSeries(rows)...).LogX())},
		{File: "accuracy-width.svg", Chart: withPoints(plots.Lines("BitNet: test accuracy against width (best lr, wd)", "hidden width H", "test accuracy",
			BitNetWidthSeries(rows)...).LogX())},
	}
}
