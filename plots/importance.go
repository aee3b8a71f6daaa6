package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/c2602f9e/goglove/space"
)

// Importance is how much one decision matters to the objective.
type Importance struct {
	// Decision is the decision's column name (its key path, #i for a
	// slot of a ManyOf or Permutation).
	Decision string `json:"decision"`
	// Value is the decision's share of the study's total importance: the
	// values of a study sum to 1 (all 0 when no decision matters).
	Value float64 `json:"value"`
	// Active is the fraction of completed trials that have the decision
	// (below 1 for a conditional decision).
	Active float64 `json:"active"`
}

// Parameters of the importance estimate.
const (
	// topFraction is the fraction of the best completed trials whose
	// distribution of each decision is compared with all trials'.
	topFraction = 0.1
	// numberBins is how many bins a Float's (or a wide Int's) range is
	// cut into, on its scale.
	numberBins = 10
	// pseudoCount is added to every bin's count, so that an empty bin
	// does not make the divergence infinite.
	pseudoCount = 0.5
	// minImportanceTrials is the fewest completed trials the estimate is
	// made from.
	minImportanceTrials = 4
)

// Importances estimates each decision's importance in the style of
// PED-ANOVA (Watanabe et al., 2023): the Pearson divergence between the
// distribution of the decision's values among the best 10% of completed
// trials and among all of them, the values binned (a choice by candidate,
// a number into 10 bins of its range, on its scale), every bin given a
// pseudo-count of 0.5. A conditional decision, which only some trials
// have (a momentum inside the sgd candidate), is measured on the trials
// that have it, against the same threshold of the best 10%, and its
// divergence weighted by the fraction of trials that have it: a decision
// that matters wherever it exists but rarely exists matters less than one
// that always does, and no decision is dropped for being conditional.
// The importances are scaled to sum to 1; they are in the order of the
// columns (space.DNASpec.Columns). At least 4 completed trials are
// needed.
func Importances(s *Study) ([]Importance, error) {
	tab, err := decisions(s, "importance")
	if err != nil {
		return nil, err
	}
	n := len(tab.trials)
	if n < minImportanceTrials {
		return nil, fmt.Errorf("%w: importance: %d completed trial(s) report %s; the estimate needs at least %d", ErrNoData, n, tab.objective.Name, minImportanceTrials)
	}
	// The best ceil(topFraction·n) trials, at least 2.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case better(tab.objective, tab.values[a], tab.values[b]):
			return -1
		case better(tab.objective, tab.values[b], tab.values[a]):
			return 1
		}
		return 0
	})
	nTop := max(2, int(math.Ceil(topFraction*float64(n))))
	top := make([]bool, n)
	for _, i := range order[:nTop] {
		top[i] = true
	}
	out := make([]Importance, len(tab.columns))
	total := 0.0
	for c := range tab.columns {
		col := &tab.columns[c]
		bins := col.bins()
		all := make([]float64, bins)
		best := make([]float64, bins)
		nAll, nBest := 0, 0
		for i := range tab.trials {
			if !col.active[i] {
				continue
			}
			b := col.bin(col.cells[i], bins)
			all[b]++
			nAll++
			if top[i] {
				best[b]++
				nBest++
			}
		}
		out[c] = Importance{Decision: col.Name, Active: float64(nAll) / float64(n)}
		if nBest == 0 || bins < 2 {
			continue
		}
		d := 0.0
		for b := range bins {
			pa := (all[b] + pseudoCount) / (float64(nAll) + pseudoCount*float64(bins))
			pb := (best[b] + pseudoCount) / (float64(nBest) + pseudoCount*float64(bins))
			d += (pb - pa) * (pb - pa) / pa
		}
		out[c].Value = d * out[c].Active
		total += out[c].Value
	}
	if total > 0 {
		for i := range out {
			out[i].Value /= total
		}
	}
	return out, nil
}

// bins returns how many bins the column's values fall in.
func (c *decisionColumn) bins() int {
	if !c.numeric() {
		return len(c.labels)
	}
	if c.Point.Kind == space.KindInt {
		if w := int(c.Point.Max-c.Point.Min) + 1; w > 0 && w <= numberBins {
			return w
		}
	}
	return numberBins
}

// bin returns the bin of a cell's value among bins.
func (c *decisionColumn) bin(cell space.Cell, bins int) int {
	if !c.numeric() {
		return min(max(cell.Index, 0), bins-1)
	}
	if c.Point.Kind == space.KindInt && bins == int(c.Point.Max-c.Point.Min)+1 {
		return min(max(int(cell.Number-c.Point.Min), 0), bins-1)
	}
	return min(int(c.position(cell)*float64(bins)), bins-1)
}

// ImportanceChart returns the importance plot: a bar per decision, the
// most important on top.
func ImportanceChart(s *Study) (Chart, error) {
	imps, err := Importances(s)
	if err != nil {
		return Chart{}, err
	}
	sorted := slices.Clone(imps)
	slices.SortStableFunc(sorted, func(a, b Importance) int { return cmp.Compare(a.Value, b.Value) })
	p := Panel{X: Axis{Label: "importance (PED-ANOVA, sums to 1)"}, Y: Axis{Label: "decision"}}
	bars := Series{Name: "", Style: StyleBars, Color: 0}
	for i, im := range sorted {
		label := im.Decision
		if im.Active < 1 {
			label += " (in " + strconv.FormatFloat(100*im.Active, 'f', 0, 64) + "%)"
		}
		p.Y.Ticks = append(p.Y.Ticks, Tick{At: float64(i), Label: label})
		bars.Points = append(bars.Points, Point{X: im.Value, Y: float64(i), Trial: -1})
	}
	p.Series = []Series{bars}
	return Chart{Kind: "importance", Title: s.Name + ": decision importance", Panels: []Panel{p}}, nil
}
