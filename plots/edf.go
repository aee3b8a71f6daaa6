package plots

import (
	"cmp"
	"slices"
)

// EDF returns the empirical distribution function of the primary
// objective over the completed trials: the fraction of trials whose value
// is at most x, drawn as steps.
func EDF(s *Study) (Chart, error) {
	m, ok := s.primary()
	if !ok {
		return Chart{}, errNoObjective("edf")
	}
	trials, values := s.completed(m)
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(values[a], values[b]) })
	line := Series{Name: "completed trials", Style: StyleLine, Color: 0}
	n := float64(len(values))
	for rank, i := range order {
		t := trials[i].Number
		line.Points = append(line.Points,
			Point{X: values[i], Y: float64(rank) / n, Trial: t},
			Point{X: values[i], Y: float64(rank+1) / n, Trial: t})
	}
	return Chart{Kind: "edf", Title: s.Name + ": empirical distribution",
		Panels: []Panel{{X: Axis{Label: objectiveLabel(m)}, Y: Axis{Label: "fraction of trials ≤ x"}, Series: []Series{line}}}}, nil
}
