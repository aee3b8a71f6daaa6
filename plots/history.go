package plots

import (
	"fmt"

	"github.com/c2602f9e/goglove/search"
)

// History returns the history plot: the primary objective of each
// completed trial against its number, and the best value so far.
func History(s *Study) (Chart, error) {
	m, ok := s.primary()
	if !ok {
		return Chart{}, errNoObjective("history")
	}
	trials, values := s.completed(m)
	obj := Series{Name: "objective", Style: StyleScatter, Color: 0}
	best := Series{Name: "best so far", Style: StyleLine, Color: 1}
	for i, t := range trials {
		obj.Points = append(obj.Points, Point{X: float64(t.Number), Y: values[i], Trial: t.Number})
		b := values[i]
		if n := len(best.Points); n > 0 && !better(m, b, best.Points[n-1].Y) {
			b = best.Points[n-1].Y
		}
		best.Points = append(best.Points, Point{X: float64(t.Number), Y: b, Trial: t.Number})
	}
	c := Chart{Kind: "history", Title: s.Name + ": history",
		Panels: []Panel{{X: Axis{Label: "trial"}, Y: Axis{Label: objectiveLabel(m)}, Series: []Series{obj, best}}}}
	if n := len(s.Trials) - len(trials); n > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d of %d trials left out: not completed, or without %s", n, len(s.Trials), m.Name))
	}
	return c, nil
}

// errNoObjective is the error of a plot of a study with no objective.
func errNoObjective(kind string) error {
	return fmt.Errorf("%w: %s: the study has no objective", ErrNoData, kind)
}

// stateColor is the colour of a trial's state, shared by the plots that
// mark states.
func stateColor(st search.State) int {
	switch st {
	case search.Completed:
		return 0
	case search.EarlyStopped:
		return 1
	case search.Failed:
		return 2
	case search.Skipped:
		return 3
	}
	return 4 // running, waiting
}
