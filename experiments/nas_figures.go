package experiments

import (
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/plots"
)

// NASRegretSeries returns a line per method and seed of the regret (the
// best test accuracy less the incumbent's) against the seconds spent: a
// point per trial for the black-box methods, one at the end for the
// supernet methods. A pure function of the runs.
func NASRegretSeries(runs []NASRun) []plots.Named {
	var out []plots.Named
	for _, run := range runs {
		n := plots.Named{Name: fmt.Sprintf("%s seed %d", run.Method, run.Seed)}
		for _, p := range run.Trace {
			n.Points = append(n.Points, plots.XY{X: p.Seconds, Y: p.Regret})
		}
		out = append(out, n)
	}
	return out
}

// NASFigures returns the plots goglove experiment nas --out writes:
// regret.svg (regret against seconds, every method and seed) and, when
// a DARTS run recorded them, darts-logits.svg (the first DARTS run's
// architecture logits over the epochs).
func NASFigures(r *NASResult) []Figure {
	figs := []Figure{{File: "regret.svg", Chart: withPoints(plots.Lines("NAS: regret (best test accuracy − the incumbent's) vs seconds", "training seconds", "regret", NASRegretSeries(r.Runs)...))}}
	if len(r.Logits) > 0 && r.Spec != nil {
		figs = append(figs, Figure{File: "darts-logits.svg", Chart: DartsLogitsChart(r.Spec, r.Decisions, slices.Clip(r.Logits))})
	}
	return figs
}
