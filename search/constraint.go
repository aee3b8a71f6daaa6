package search

import (
	"fmt"
	"math"
	"strconv"
)

// Constraint bounds a metric: a completed trial whose metric is over
// Bound (under it, with Lower) is infeasible.
//
// The rule for infeasible trials, the same at every level of a nested
// search: a trial that completes with metrics violating a constraint is
// recorded as skipped, its metrics kept and its error saying which bound
// it broke ("infeasible: latency_us 812 is over its bound 500"). So it is
// never a study's best trial or on its Pareto front, the algorithm
// learns it as a trial without a result (as a failed one: evolution and
// TPE never breed from it), and budgets count it like any other ended
// trial. Metrics are never penalized silently: what was measured stays
// visible in goglove trials. A constraint's metric missing from a trial's
// final metrics fails the trial.
type Constraint struct {
	// Metric names the bounded metric.
	Metric string
	// Bound is the metric's bound: its largest feasible value, or with
	// Lower its smallest.
	Bound float64
	// Lower makes Bound a lower bound.
	Lower bool
}

// String returns the constraint as "latency_us <= 500".
func (c Constraint) String() string {
	op := " <= "
	if c.Lower {
		op = " >= "
	}
	return c.Metric + op + strconv.FormatFloat(c.Bound, 'g', -1, 64)
}

// violation says which constraint the metrics break: "" when they keep
// them all, an error when one's metric is missing or not a number.
func violation(cs []Constraint, m Metrics) (string, error) {
	for _, c := range cs {
		v, ok := m[c.Metric]
		if !ok {
			return "", fmt.Errorf("%w: metric %q, which constraint %s bounds, is missing", ErrBadMetrics, c.Metric, c)
		}
		if math.IsNaN(v) {
			return "", fmt.Errorf("%w: metric %q, which constraint %s bounds, is NaN", ErrBadMetrics, c.Metric, c)
		}
		b := strconv.FormatFloat(c.Bound, 'g', -1, 64)
		switch {
		case !c.Lower && v > c.Bound:
			return "infeasible: " + c.Metric + " " + strconv.FormatFloat(v, 'g', 6, 64) + " is over its bound " + b, nil
		case c.Lower && v < c.Bound:
			return "infeasible: " + c.Metric + " " + strconv.FormatFloat(v, 'g', 6, 64) + " is under its bound " + b, nil
		}
	}
	return "", nil
}
