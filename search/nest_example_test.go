package search_test

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// A search nested in each trial of another: the outer trial chooses a
// budget of cost, the inner search the best x under it; an x over the
// budget is infeasible (a constraint), and the outer trial's metrics are
// its inner winner's.
func ExampleNest() {
	ctx := context.Background()
	outerTree := symbolic.NewDict(1)
	outerTree.Set("budget", space.OneOf(2, 5))
	outer := space.MustNew(outerTree)
	innerTree := symbolic.NewDict(1)
	innerTree.Set("x", space.OneOf(1, 2, 3, 4, 5, 6))
	inner := space.MustNew(innerTree)

	objective := search.Nest(func(ctx context.Context, t *search.Trial[symbolic.Value]) (*search.InnerSearch[symbolic.Value], error) {
		budget, _ := symbolic.GetPath(t.Program, "budget")
		return &search.InnerSearch[symbolic.Value]{
			Name:      "x",
			Space:     search.Searchable[symbolic.Value](inner),
			Algorithm: &algorithms.Grid{},
			Objective: func(ctx context.Context, it *search.Trial[symbolic.Value]) (search.Metrics, error) {
				x, _ := symbolic.GetPath(it.Program, "x")
				v := float64(x.(symbolic.Int))
				return search.Metrics{"gain": 10 * v, "cost": v}, nil
			},
			Options: &search.Options{Trials: 6, Objectives: []search.Metric{{Name: "gain", Direction: search.Maximize}},
				Constraints: []search.Constraint{{Metric: "cost", Bound: float64(budget.(symbolic.Int))}}},
		}, nil
	})
	st := search.NewMemStore()
	if _, err := search.Run(ctx, search.Searchable[symbolic.Value](outer), &algorithms.Grid{}, objective,
		&search.Options{Store: st, Study: "plan", Trials: 2, Objectives: []search.Metric{{Name: "gain", Direction: search.Maximize}}}); err != nil {
		panic(err)
	}
	trials, _ := st.Trials(ctx, "plan")
	for _, t := range trials {
		in, _ := search.Summarize(ctx, st, search.InnerStudyName("plan", t.Number, "x"))
		fmt.Printf("trial %d %v: gain %v from inner trial %v; %d completed, %d infeasible\n",
			t.Number, t.Program, t.Metrics["gain"], t.Metrics[search.InnerTrialMetric], in.Completed, in.Skipped)
	}
	// Output:
	// trial 0 {budget: 2}: gain 20 from inner trial 1; 2 completed, 4 infeasible
	// trial 1 {budget: 5}: gain 50 from inner trial 4; 5 completed, 1 infeasible
}
