package search_test

import (
	"context"
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// A space over plain values; Trial.Program is the decoded tree.
func exampleSpace() *space.Space {
	tree := symbolic.NewDict(2)
	tree.Set("x", space.Float(-2, 2))
	tree.Set("shift", space.OneOf(0.0, 1.0, 3.0))
	return space.MustNew(tree)
}

func ExampleSample() {
	ctx := context.Background()
	s := exampleSpace()
	st := search.NewMemStore()
	opts := &search.Options{Store: st, Study: "demo", Trials: 200,
		Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}}}
	for t, err := range search.Sample(ctx, search.Searchable[symbolic.Value](s), &algorithms.Random{Seed: 1}, opts) {
		if err != nil {
			panic(err)
		}
		x, _ := symbolic.GetPath(t.Program, "x")
		shift, _ := symbolic.GetPath(t.Program, "shift")
		loss := math.Pow(float64(x.(symbolic.Float))-1, 2) + float64(shift.(symbolic.Float))
		t.Finish(ctx, search.Metrics{"loss": loss})
	}
	res, _ := search.Summarize(ctx, st, "demo")
	fmt.Printf("%d completed; best loss below 0.01: %v\n", res.Completed, res.Best.Metrics["loss"] < 0.01)
	// Output: 200 completed; best loss below 0.01: true
}

func ExampleRun() {
	ctx := context.Background()
	s := exampleSpace()
	res, err := search.Run(ctx, search.Searchable[symbolic.Value](s), &algorithms.RegularizedEvolution{Population: 20, Tournament: 5, Seed: 1},
		func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
			x, _ := symbolic.GetPath(t.Program, "x")
			shift, _ := symbolic.GetPath(t.Program, "shift")
			if float64(x.(symbolic.Float)) > 1.9 {
				panic("unstable") // a failed trial; the search goes on
			}
			return search.Metrics{"loss": math.Pow(float64(x.(symbolic.Float))-1, 2) + float64(shift.(symbolic.Float))}, nil
		}, &search.Options{Trials: 300, Workers: 2, Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}}})
	if err != nil {
		panic(err)
	}
	// The budget counts every trial that ended, the failed ones too.
	fmt.Println(res.Completed+res.Failed, res.Best.Metrics["loss"] < 0.01, res.StopReason)
	// Output: 300 true the trial budget is spent
}

// Ask and Tell drive a study from outside any worker (goglove ask and
// goglove tell): each Ask rebuilds the algorithm from the study's
// history and hands out the next trial; Tell records its result.
func ExampleAsk() {
	ctx := context.Background()
	st := search.NewMemStore()
	s := search.Searchable[symbolic.Value](exampleSpace())
	opts := &search.Options{Store: st, Study: "remote", Trials: 3,
		Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}}}
	for {
		t, reason, err := search.Ask(ctx, s, &algorithms.Random{Seed: 1}, opts)
		if err != nil {
			panic(err)
		}
		if t == nil {
			fmt.Println("no more trials:", reason)
			break
		}
		// Evaluate t.Program anywhere, in any language; then:
		if _, err := search.Tell(ctx, st, "remote", t.Number, search.Metrics{"loss": float64(t.Number)}, ""); err != nil {
			panic(err)
		}
		fmt.Println("trial", t.Number, "told")
	}
	// Output:
	// trial 0 told
	// trial 1 told
	// trial 2 told
	// no more trials: the trial budget is spent
}
