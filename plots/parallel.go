package plots

import (
	"fmt"
	"math"
	"slices"
)

// absentAt is where a parallel plot draws a decision a trial does not
// have (a conditional one whose candidate it did not choose).
const absentAt = -0.15

// Parallel returns the parallel-coordinates plot: one axis per decision
// and a last one for the primary objective, each trial a line across
// them. A decision sits at its position between its bounds (its
// candidate's index for a choice), the objective between its smallest
// and largest value; a decision a trial lacks is drawn at "absent",
// below the axes. The best trial is drawn in its own colour. With
// limit > 0, only the limit best trials are drawn.
func Parallel(s *Study, limit int) (Chart, error) {
	tab, err := decisions(s, "parallel")
	if err != nil {
		return Chart{}, err
	}
	c := Chart{Kind: "parallel", Title: s.Name + ": parallel coordinates"}
	p := Panel{X: Axis{Label: "decision"}, Y: Axis{Label: "position (0 lowest, 1 highest)",
		Ticks: []Tick{{At: absentAt, Label: "absent"}, {At: 0, Label: "0"}, {At: 0.5, Label: "0.5"}, {At: 1, Label: "1"}}}}
	for i, col := range tab.columns {
		p.X.Ticks = append(p.X.Ticks, Tick{At: float64(i), Label: col.Name})
	}
	k := len(tab.columns)
	p.X.Ticks = append(p.X.Ticks, Tick{At: float64(k), Label: tab.objective.Name})
	order := make([]int, len(tab.trials))
	for i := range order {
		order[i] = i
	}
	// Best first, so that the limit keeps the best; drawn worst first,
	// so that the best lie on top.
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case better(tab.objective, tab.values[a], tab.values[b]):
			return -1
		case better(tab.objective, tab.values[b], tab.values[a]):
			return 1
		}
		return 0
	})
	if limit > 0 && len(order) > limit {
		c.Notes = append(c.Notes, fmt.Sprintf("the %d best of %d completed trials drawn", limit, len(order)))
		order = order[:limit]
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range tab.values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for j := len(order) - 1; j >= 0; j-- {
		i := order[j]
		line := Series{Style: StyleLine, Color: 0}
		if j == len(order)-1 {
			line.Name = "trial"
		}
		if j == 0 {
			line.Name, line.Color = "best", 1
		}
		t := tab.trials[i].Number
		for x, col := range tab.columns {
			y := absentAt
			if col.active[i] {
				y = col.position(col.cells[i])
			}
			line.Points = append(line.Points, Point{X: float64(x), Y: y, Trial: t})
		}
		y := 0.5
		if hi > lo {
			y = (tab.values[i] - lo) / (hi - lo)
		}
		line.Points = append(line.Points, Point{X: float64(k), Y: y, Trial: t})
		p.Series = append(p.Series, line)
	}
	if len(order) == 0 {
		c.Notes = append(c.Notes, "no completed trial")
	} else {
		c.Notes = append(c.Notes, fmt.Sprintf("%s from %g (0) to %g (1)", tab.objective.Name, lo, hi))
	}
	c.Panels = []Panel{p}
	return c, nil
}
