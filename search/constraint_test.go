package search

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestViolation: upper and lower bounds, the bound itself feasible, and
// a missing or NaN metric an error.
func TestViolation(t *testing.T) {
	cs := []Constraint{{Metric: "latency", Bound: 10}, {Metric: "acc", Bound: 0.5, Lower: true}}
	for _, tt := range []struct {
		name string
		m    Metrics
		want string
		err  bool
	}{
		{"inside", Metrics{"latency": 3, "acc": 0.9}, "", false},
		{"on the bounds", Metrics{"latency": 10, "acc": 0.5}, "", false},
		{"over the upper bound", Metrics{"latency": 12.5, "acc": 0.9}, "infeasible: latency 12.5 is over its bound 10", false},
		{"under the lower bound", Metrics{"latency": 1, "acc": 0.25}, "infeasible: acc 0.25 is under its bound 0.5", false},
		{"a metric missing", Metrics{"acc": 0.9}, "", true},
		{"NaN", Metrics{"latency": math.NaN(), "acc": 0.9}, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := violation(cs, tt.m)
			if got != tt.want || (err != nil) != tt.err || err != nil && !errors.Is(err, ErrBadMetrics) {
				t.Errorf("violation = %q, %v; want %q, error %v", got, err, tt.want, tt.err)
			}
		})
	}
	if s := cs[1].String(); s != "acc >= 0.5" {
		t.Errorf("String = %q", s)
	}
}

// TestConstraintFailsWithoutItsMetric: a trial whose final metrics lack a
// constrained metric fails, naming it.
func TestConstraintFailsWithoutItsMetric(t *testing.T) {
	st := NewMemStore()
	_, err := Run(t.Context(), Searchable[symbolic.Value](testSpace(t, nestedInner)), &randomAlgo{seed: 1},
		func(_ context.Context, _ *Trial[symbolic.Value]) (Metrics, error) { return Metrics{"loss": 1}, nil },
		&Options{Store: st, Study: "s", Trials: 2, Objectives: []Metric{{"loss", Minimize}}, Constraints: []Constraint{{Metric: "cost", Bound: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	trials, _ := st.Trials(t.Context(), "s")
	for _, tr := range trials {
		if tr.State != Failed || !strings.Contains(tr.Error, `"cost"`) {
			t.Errorf("trial %d: %s %q, want failed naming cost", tr.Number, tr.State, tr.Error)
		}
	}
}
