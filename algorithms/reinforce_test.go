package algorithms_test

import (
	"context"
	"math"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// On a synthetic categorical problem the policy concentrates on the
// optimum, nested decisions included, with REINFORCE and with PPO.
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
	for _, tc := range []struct {
		seed uint64
		ppo  bool
	}{{1, false}, {2, false}, {3, false}, {1, true}, {2, true}, {3, true}} {
		seed := tc.seed
		r := &algorithms.Reinforce{Seed: seed, LearningRate: 0.3, PPO: tc.ppo}
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
			t.Errorf("ppo %v seed %d: p(width=64) = %v, want > 0.9", tc.ppo, seed, p)
		}
		if p := r.Probabilities(mom); p[2] < 0.8 {
			t.Errorf("ppo %v seed %d: p(momentum=0.9) = %v, want > 0.8", tc.ppo, seed, p)
		}
		if best < 60 {
			t.Errorf("ppo %v seed %d: %d of the last 100 proposals are the optimum, want at least 60", tc.ppo, seed, best)
		}
	}
}

// Replaying a history rebuilds the policy: the next proposal is the one
// the uninterrupted run makes, Gaussian policies and a PPO batch in
// progress (30 results, batches of 8) included.
func TestReinforceRecover(t *testing.T) {
	for _, ppo := range []bool{false, true} {
		testReinforceRecover(t, ppo)
	}
}

func testReinforceRecover(t *testing.T, ppo bool) {
	spec := exampleSpec(dartsSpace)
	reward := func(d space.DNA) float64 {
		return d.Children[0].Value - d.Children[1].Value - math.Abs(math.Log10(d.Children[2].Value)+2)
	}
	ctx := context.Background()
	a := &algorithms.Reinforce{Seed: 5, PPO: ppo}
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
	b := &algorithms.Reinforce{Seed: 5, PPO: ppo}
	if err := b.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if err := algorithms.Recover(ctx, b, hist); err != nil {
		t.Fatal(err)
	}
	for trial := 30; trial < 40; trial++ {
		da, _ := a.Propose(ctx)
		db, _ := b.Propose(ctx)
		if !da.Equal(db) {
			t.Fatalf("ppo %v: recovered proposal %v, uninterrupted %v", ppo, db, da)
		}
		res := algorithms.Result{Trial: trial, DNA: da, Rewards: []float64{reward(da)}}
		a.Feedback(res)
		b.Feedback(res)
	}
}

// The short form {name: ppo} is Reinforce with PPO set, and
// {name: reinforce, ppo: true} the same.
func TestNewPPO(t *testing.T) {
	for _, text := range []string{"{name: ppo, batch: 4}", "{name: reinforce, ppo: true, batch: 4}"} {
		a, err := algorithms.New(section(t, text), 7)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		r, ok := a.(*algorithms.Reinforce)
		if !ok || !r.PPO || r.Batch != 4 || r.Seed != 7 {
			t.Fatalf("%s: got %#v, want a Reinforce with PPO, batch 4, seed 7", text, a)
		}
	}
	a, err := algorithms.New(section(t, "{name: reinforce}"), 7)
	if err != nil {
		t.Fatal(err)
	}
	if a.(*algorithms.Reinforce).PPO {
		t.Fatal("{name: reinforce} has PPO set")
	}
}
