package plots

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
)

// Pareto returns the Pareto plot of the first two objectives: every
// completed trial that reports both, and the front (the trials no other
// dominates) joined in order of the first objective.
func Pareto(s *Study) (Chart, error) {
	if len(s.Objectives) < 2 {
		return Chart{}, fmt.Errorf("%w: pareto: the study has %d objective(s), the plot needs two", ErrNoData, len(s.Objectives))
	}
	front, rest := ParetoFront(s)
	all := Series{Name: "trials", Style: StyleScatter, Color: 0}
	for _, t := range rest {
		all.Points = append(all.Points, paretoPoint(s, t))
	}
	f := Series{Name: "Pareto front", Style: StyleLine, Color: 1}
	for _, t := range front {
		f.Points = append(f.Points, paretoPoint(s, t))
	}
	slices.SortStableFunc(f.Points, func(a, b Point) int { return cmp.Compare(a.X, b.X) })
	fm := f
	fm.Name, fm.Style = "", StyleScatter
	a, b := s.Objectives[0], s.Objectives[1]
	return Chart{Kind: "pareto", Title: s.Name + ": Pareto front",
		Panels: []Panel{{X: Axis{Label: objectiveLabel(a)}, Y: Axis{Label: objectiveLabel(b)}, Series: []Series{all, f, fm}}}}, nil
}

func paretoPoint(s *Study, t *search.TrialRecord) Point {
	return Point{X: t.Metrics[s.Objectives[0].Name], Y: t.Metrics[s.Objectives[1].Name], Trial: t.Number}
}

// ParetoFront splits the completed trials that report every objective
// into the front (those no other dominates on all the study's objectives)
// and the rest, each in trial order.
func ParetoFront(s *Study) (front, rest []*search.TrialRecord) {
	var ts []*search.TrialRecord
	var results []algorithms.Result
	for i := range s.Trials {
		t := &s.Trials[i]
		if t.State != search.Completed {
			continue
		}
		rw := make([]float64, 0, len(s.Objectives))
		for _, m := range s.Objectives {
			v, ok := t.Metrics[m.Name]
			if !ok {
				break
			}
			if m.Direction == search.Minimize {
				v = -v
			}
			rw = append(rw, v)
		}
		if len(rw) < len(s.Objectives) {
			continue
		}
		results = append(results, algorithms.Result{Trial: len(ts), Rewards: rw})
		ts = append(ts, t)
	}
	on := make([]bool, len(ts))
	for _, r := range algorithms.ParetoFront(results) {
		on[r.Trial] = true
	}
	for i, t := range ts {
		if on[i] {
			front = append(front, t)
		} else {
			rest = append(rest, t)
		}
	}
	return front, rest
}
