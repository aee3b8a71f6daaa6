package algorithms_test

import (
	"context"
	"math"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// floatSpace has a linear and a log-scale float and an int, with one
// categorical decision beside them.
const floatSpace = `
x: !float {min: -2.0, max: 2.0}
lr: !float {min: 1.0e-5, max: 1.0, scale: log}
n: !int {min: 1, max: 20}
act: !oneof [relu, gelu, tanh]
`

// floatReward peaks (at 0) at x = 0.8, lr = 1e-3, n = 13 and gelu: minus
// the squared distance on the unit ranges, minus 0.3 off gelu.
func floatReward(d space.DNA) float64 {
	ux := (d.Children[0].Value + 2) / 4
	ul := (math.Log10(d.Children[1].Value) + 5) / 5
	un := (d.Children[2].Value - 1) / 19
	r := -((ux-0.7)*(ux-0.7) + (ul-0.4)*(ul-0.4) + (un-12.0/19)*(un-12.0/19))
	if d.Children[3].Value != 1 {
		r -= 0.3
	}
	return 10 * r
}

func runPolicy(t *testing.T, r *algorithms.Reinforce, spec *space.DNASpec, trials int, reward func(space.DNA) float64) {
	t.Helper()
	if err := r.Setup(spec); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for trial := range trials {
		d, err := r.Propose(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r.Feedback(algorithms.Result{Trial: trial, DNA: d, Rewards: []float64{reward(d)}})
	}
}

// The Gaussian policies of float and int decisions concentrate on the
// optimum, with REINFORCE and with PPO.
func TestReinforceGaussianConcentratesOnTheOptimum(t *testing.T) {
	spec := exampleSpec(floatSpace)
	want := map[string]float64{"x": 0.8, "lr": 1e-3, "n": 13}
	tol := map[string]float64{"x": 0.2, "lr": 0.5, "n": 2} // lr: in decades
	for _, ppo := range []bool{false, true} {
		for _, seed := range []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} {
			r := &algorithms.Reinforce{Seed: seed, PPO: ppo}
			runPolicy(t, r, spec, 600, floatReward)
			for id, w := range want {
				p, _ := spec.Lookup(id)
				got := r.Mean(p)
				off := math.Abs(got - w)
				if id == "lr" {
					off = math.Abs(math.Log10(got) - math.Log10(w))
				}
				_, std, ok := r.Gaussian(p)
				if !ok {
					t.Fatalf("no Gaussian for %s", id)
				}
				if off > tol[id] || std > 0.15 {
					t.Errorf("ppo %v seed %d: %s mean %v std %v, want %v within %v and std ≤ 0.15", ppo, seed, id, got, std, w, tol[id])
				}
			}
			act, _ := spec.Lookup("act")
			if p := r.Probabilities(act); p[1] < 0.8 {
				t.Errorf("ppo %v seed %d: p(gelu) = %v, want > 0.8", ppo, seed, p)
			}
		}
	}
}
