package plots

import "fmt"

// Slice returns the slice plot: one panel per decision, the primary
// objective of each completed trial that has the decision against its
// value (a number on its own scale, a choice at its candidate's index,
// labelled).
func Slice(s *Study) (Chart, error) {
	tab, err := decisions(s, "slice")
	if err != nil {
		return Chart{}, err
	}
	c := Chart{Kind: "slice", Title: s.Name + ": slice"}
	for _, col := range tab.columns {
		p := Panel{Title: col.Name, X: Axis{Label: col.Name, Log: col.logScale()}, Y: Axis{Label: tab.objective.Name}}
		for i, l := range col.labels {
			p.X.Ticks = append(p.X.Ticks, Tick{At: float64(i), Label: l})
		}
		pts := Series{Name: "", Style: StyleScatter, Color: 0}
		n := 0
		for i, t := range tab.trials {
			if !col.active[i] {
				continue
			}
			n++
			pts.Points = append(pts.Points, Point{X: col.cells[i].Number, Y: tab.values[i], Trial: t.Number})
		}
		if n < len(tab.trials) {
			p.Title = fmt.Sprintf("%s (in %d of %d trials)", col.Name, n, len(tab.trials))
		}
		p.Series = []Series{pts}
		c.Panels = append(c.Panels, p)
	}
	if len(c.Panels) == 0 {
		c.Notes = append(c.Notes, "the space has no decision")
	}
	return c, nil
}
