package merge

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// Weight matching of a model and a permuted copy of itself finds the
// permutation back exactly: the aligned copy equals the model, and the
// straight line between them has no barrier.
func TestWeightMatchingRecoversPermutation(t *testing.T) {
	for _, tt := range []struct {
		name string
		net  *nn.Sequential
	}{
		{"mlp", mlp(11, 20, 64, 48, 32, 10)},
		{"residual", residualNet(12)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, tt.net)
			for seed := range uint64(3) {
				b := mustClone(t, tt.net)
				if err := Apply(s, randomPerm(s, seed), b); err != nil {
					t.Fatal(err)
				}
				res, err := WeightMatching(context.Background(), s, tt.net, b, WMOptions{Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				if !res.Converged {
					t.Errorf("seed %d: no convergence in %d sweeps", seed, res.Sweeps)
				}
				if err := Apply(s, res.Perm, b); err != nil {
					t.Fatal(err)
				}
				if d, _ := Distance(tt.net, b); d != 0 {
					t.Errorf("seed %d: the aligned copy is %g away from the model", seed, d)
				}
			}
		})
	}
}

func TestWeightMatchingBarrierZero(t *testing.T) {
	a := mlp(21, 16, 32, 32, 4)
	s := mustSpec(t, a)
	b := mustClone(t, a)
	if err := Apply(s, randomPerm(s, 3), b); err != nil {
		t.Fatal(err)
	}
	set := syntheticSet(t, 16, 4)
	naive, err := Path(a, b, set, Lambdas(11))
	if err != nil {
		t.Fatal(err)
	}
	res, err := WeightMatching(context.Background(), s, a, b, WMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(s, res.Perm, b); err != nil {
		t.Fatal(err)
	}
	wm, err := Path(a, b, set, Lambdas(11))
	if err != nil {
		t.Fatal(err)
	}
	if LossBarrier(wm) != 0 || AccuracyBarrier(wm) != 0 {
		t.Errorf("barriers %g, %g after weight matching, want 0", LossBarrier(wm), AccuracyBarrier(wm))
	}
	if !(LossBarrier(naive) > 0) {
		t.Errorf("the naive path of a permuted copy has no barrier: %+v", naive)
	}
}

// Weight matching of two different networks brings them closer.
func TestWeightMatchingImproves(t *testing.T) {
	a, b := mlp(1, 12, 24, 24, 5), mlp(2, 12, 24, 24, 5)
	s := mustSpec(t, a)
	before, _ := Distance(a, b)
	res, err := WeightMatching(context.Background(), s, a, b, WMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	aligned := mustClone(t, b)
	if err := Apply(s, res.Perm, aligned); err != nil {
		t.Fatal(err)
	}
	after, _ := Distance(a, aligned)
	if !(after < before) {
		t.Errorf("distance %g after weight matching, %g before", after, before)
	}
}

func TestWeightMatchingErrors(t *testing.T) {
	a := mlp(1, 5, 8, 3)
	s := mustSpec(t, a)
	ctx := context.Background()
	if _, err := WeightMatching(ctx, s, a, mlp(1, 5, 7, 3), WMOptions{}); !errors.Is(err, ErrMismatch) {
		t.Errorf("another network: %v", err)
	}
	if _, err := WeightMatching(ctx, s, a, a, WMOptions{MaxIter: -1}); !errors.Is(err, ErrOptions) {
		t.Errorf("max_iter -1: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := WeightMatching(cancelled, s, a, a, WMOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	res, err := WeightMatching(ctx, s, a, a, WMOptions{})
	if err != nil || !slices.Equal(res.Perm[0], Identity(s)[0]) || res.Sweeps != 1 {
		t.Errorf("a model against itself: %+v, %v", res, err)
	}
}

// syntheticSet returns the test split of a small synthetic task.
func syntheticSet(t testing.TB, features, classes int) *data.Set {
	t.Helper()
	sp, err := data.Synthetic(data.SyntheticOptions{Train: 2000, Val: -1, Test: 500, Features: features, Classes: classes, Clusters: 2, Noise: 0.35, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return sp.Test
}
