package algorithms_test

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// On a synthetic categorical problem the policy concentrates on the
// optimum, nested decisions included.
func TestReinforceConcentratesOnTheOptimum(t *testing.T) {
	spec := exampleSpec(`
width: !oneof [16, 32, 64, 128]
act: !oneof [relu, gelu, tanh]
opt: !oneof
  - {name: sgd, momentum: !oneof [0.0, 0.5, 0.9]}
  - {name: adam}
`)
	// The reward: 1 for each decision at the optimum (width 64, gelu, sgd
	// with momentum 0.9), so the best program scores 4.
	reward := func(d space.DNA) float64 {
		var r float64
		if d.Children[0].Value == 2 {
			r++
		}
		if d.Children[1].Value == 1 {
			r++
		}
		if d.Children[2].Value == 0 {
			r++
			if d.Children[2].Children[0].Value == 2 {
				r++
			}
		}
		return r
	}
	for _, seed := range []uint64{1, 2, 3} {
		r := &algorithms.Reinforce{Seed: seed, LearningRate: 0.3}
		if err := r.Setup(spec); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		best := 0
		for trial := range 400 {
			d, err := r.Propose(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if trial >= 300 && reward(d) == 4 {
				best++
			}
			r.Feedback(algorithms.Result{Trial: trial, DNA: d, Rewards: []float64{reward(d)}})
		}
		width, _ := spec.Lookup("width")
		mom, _ := spec.Lookup("opt[0].momentum")
		if p := r.Probabilities(width); p[2] < 0.9 {
			t.Errorf("seed %d: p(width=64) = %v, want > 0.9", seed, p)
		}
		if p := r.Probabilities(mom); p[2] < 0.8 {
			t.Errorf("seed %d: p(momentum=0.9) = %v, want > 0.8", seed, p)
		}
		if best < 60 {
			t.Errorf("seed %d: %d of the last 100 proposals are the optimum, want at least 60", seed, best)
		}
	}
}

// Replaying a history rebuilds the policy: the next proposal is the one
// the uninterrupted run makes.
func TestReinforceRecover(t *testing.T) {
	spec := exampleSpec(dartsSpace)
	reward := func(d space.DNA) float64 { return d.Children[0].Value - d.Children[1].Value }
	ctx := context.Background()
	a := &algorithms.Reinforce{Seed: 5}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	var hist []algorithms.Result
	for trial := range 30 {
		d, err := a.Propose(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res := algorithms.Result{Trial: trial, DNA: d, Rewards: []float64{reward(d)}}
		a.Feedback(res)
		hist = append(hist, res)
	}
	b := &algorithms.Reinforce{Seed: 5}
	if err := b.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if err := algorithms.Recover(ctx, b, hist); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		da, _ := a.Propose(ctx)
		db, _ := b.Propose(ctx)
		if !da.Equal(db) {
			t.Fatalf("recovered proposal %v, uninterrupted %v", db, da)
		}
	}
}
