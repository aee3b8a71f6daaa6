package plots

import (
	"fmt"

	"github.com/c2602f9e/goglove/search"
)

// Intermediate returns the intermediate plot: for every trial that
// reported steps, its primary metric at each step, early-stopped trials
// in their own colour with the step they stopped at marked. With
// limit > 0, only the limit latest trials with steps are drawn.
func Intermediate(s *Study, limit int) (Chart, error) {
	m, ok := s.primary()
	if !ok {
		return Chart{}, errNoObjective("intermediate")
	}
	var with []*search.TrialRecord
	for i := range s.Trials {
		t := &s.Trials[i]
		for _, st := range t.Steps {
			if _, ok := st.Metrics[m.Name]; ok {
				with = append(with, t)
				break
			}
		}
	}
	c := Chart{Kind: "intermediate", Title: s.Name + ": intermediate values"}
	if limit > 0 && len(with) > limit {
		c.Notes = append(c.Notes, fmt.Sprintf("the %d latest of %d trials with steps drawn", limit, len(with)))
		with = with[len(with)-limit:]
	}
	if len(with) == 0 {
		c.Notes = append(c.Notes, "no trial reported "+m.Name+" at a step")
	}
	p := Panel{X: Axis{Label: "step"}, Y: Axis{Label: m.Name}}
	stopped := Series{Name: "stopped here", Style: StyleScatter, Color: 1}
	named := map[string]bool{}
	for _, t := range with {
		color, name := 0, "trial"
		if t.State == search.EarlyStopped {
			color, name = 1, "early stopped"
		}
		line := Series{Style: StyleLine, Color: color}
		if !named[name] {
			named[name] = true
			line.Name = name
		}
		for _, st := range t.Steps {
			if v, ok := st.Metrics[m.Name]; ok {
				line.Points = append(line.Points, Point{X: float64(st.Step), Y: v, Trial: t.Number})
			}
		}
		p.Series = append(p.Series, line)
		if t.State == search.EarlyStopped {
			stopped.Points = append(stopped.Points, line.Points[len(line.Points)-1])
		}
	}
	if len(stopped.Points) > 0 {
		p.Series = append(p.Series, stopped)
	}
	c.Panels = []Panel{p}
	return c, nil
}
