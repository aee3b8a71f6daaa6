package plots

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// decisionTable is the decisions of the completed trials that report the
// primary objective, one column per decision (space.DNASpec.Columns).
type decisionTable struct {
	objective search.Metric
	trials    []*search.TrialRecord
	values    []float64 // the objective, per trial
	columns   []decisionColumn
}

// decisionColumn is one decision across the table's trials.
type decisionColumn struct {
	space.Column
	cells  []space.Cell
	active []bool // whether the trial has the decision
	// labels name a choice's candidates; nil for a number.
	labels []string
}

// numeric reports whether the column holds numbers (a Float or an Int).
func (c *decisionColumn) numeric() bool { return c.labels == nil }

// logScale reports whether the column's numbers are on a log scale.
func (c *decisionColumn) logScale() bool {
	return c.numeric() && c.Point.Scale == space.Log && c.Point.Min > 0
}

// position returns where a cell's value sits on [0, 1]: a number between
// its bounds (in log on a log scale), a choice by its index.
func (c *decisionColumn) position(cell space.Cell) float64 {
	if !c.numeric() {
		if len(c.labels) < 2 {
			return 0.5
		}
		return float64(cell.Index) / float64(len(c.labels)-1)
	}
	lo, hi, v := c.Point.Min, c.Point.Max, cell.Number
	if c.logScale() {
		lo, hi, v = math.Log(lo), math.Log(hi), math.Log(v)
	}
	if hi <= lo {
		return 0.5
	}
	return math.Min(1, math.Max(0, (v-lo)/(hi-lo)))
}

// decisions builds the table of a study, or ErrNoData when the study has
// no space or no objective.
func decisions(s *Study, kind string) (*decisionTable, error) {
	m, ok := s.primary()
	if !ok {
		return nil, errNoObjective(kind)
	}
	if s.Spec == nil {
		return nil, fmt.Errorf("%w: %s: the study keeps no space (it was not started from a config), so its decisions are not known", ErrNoData, kind)
	}
	tab := &decisionTable{objective: m}
	tab.trials, tab.values = s.completed(m)
	rows := make([]map[string]space.Cell, len(tab.trials))
	for i, t := range tab.trials {
		dna := t.DNA
		if len(dna.Children) == 0 && t.DNAText != "" {
			if d, err := s.Spec.ParseNumbers(t.DNAText); err == nil {
				dna = d
			}
		}
		rows[i] = s.Spec.Row(dna)
	}
	for _, col := range s.Spec.Columns() {
		dc := decisionColumn{Column: col, cells: make([]space.Cell, len(rows)), active: make([]bool, len(rows))}
		if k := col.Point.Kind; k != space.KindFloat && k != space.KindInt {
			dc.labels = make([]string, len(col.Point.Candidates))
			for i, cand := range col.Point.Candidates {
				dc.labels[i] = shorten(CandidateLabel(cand), 24)
			}
		}
		for i, r := range rows {
			dc.cells[i], dc.active[i] = r[col.Name]
		}
		tab.columns = append(tab.columns, dc)
	}
	return tab, nil
}

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// CandidateLabel names a candidate briefly, for axes and tables: the
// type of an object (trainer.AdamW), the name or _type of a mapping that
// has one, else the candidate as written (space.CandidateText).
func CandidateLabel(c *space.Candidate) string {
	switch v := c.Value.(type) {
	case *symbolic.Object:
		return v.Type().Name()
	case *symbolic.Dict:
		for _, k := range []string{"_type", "name"} {
			if s, ok := v.Get(k); ok {
				if str, ok := s.(symbolic.String); ok {
					return string(str)
				}
			}
		}
	}
	return space.CandidateText(c)
}
