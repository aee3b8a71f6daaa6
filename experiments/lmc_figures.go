package experiments

import (
	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/trainer/merge"
)

// LMCLossSeries returns the test loss along λ from model 1 (λ = 0) to
// model 2 (λ = 1): naive, after weight matching (WM), after STE and
// after activation matching (AM), the paths without points left out. A pure function of p.
func LMCLossSeries(p LMCPaths) []plots.Named {
	return lmcSeries(p, func(q merge.PathPoint) float64 { return q.Loss })
}

// LMCAccuracySeries is LMCLossSeries for the test accuracy.
func LMCAccuracySeries(p LMCPaths) []plots.Named {
	return lmcSeries(p, func(q merge.PathPoint) float64 { return q.Accuracy })
}

func lmcSeries(p LMCPaths, y func(merge.PathPoint) float64) []plots.Named {
	var out []plots.Named
	for _, s := range []struct {
		name string
		path []merge.PathPoint
	}{{"naive", p.Naive}, {"WM", p.WM}, {"STE", p.STE}, {"AM", p.AM}} {
		if len(s.path) == 0 {
			continue
		}
		n := plots.Named{Name: s.name}
		for _, q := range s.path {
			n.Points = append(n.Points, plots.XY{X: q.Lambda, Y: y(q)})
		}
		out = append(out, n)
	}
	return out
}

// LMCFigures returns the plots goglove experiment lmc --out writes:
// loss.svg and accuracy.svg, the test loss and accuracy along λ between
// models 1 and 2, naive, WM, STE and AM.
func LMCFigures(r *LMCResult) []Figure {
	return []Figure{
		{File: "loss.svg", Chart: withPoints(plots.Lines("LMC: test loss along λ (model 1 at 0, model 2 at 1)", "λ", "test loss (nats)", LMCLossSeries(r.Paths)...))},
		{File: "accuracy.svg", Chart: withPoints(plots.Lines("LMC: test accuracy along λ (model 1 at 0, model 2 at 1)", "λ", "test accuracy", LMCAccuracySeries(r.Paths)...))},
	}
}
