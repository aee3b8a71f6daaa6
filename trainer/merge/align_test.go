package merge

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// midLoss returns the test loss of the midpoint of a and b.
func midLoss(t *testing.T, a, b *nn.Sequential) float64 {
	t.Helper()
	sp, _ := pairTask()
	path, err := Path(a, b, sp.Test, []float64{0, 0.5, 1})
	if err != nil {
		t.Fatal(err)
	}
	return LossBarrier(path)
}

func aligned(t *testing.T, s *Spec, b *nn.Sequential, p Permutation) *nn.Sequential {
	t.Helper()
	c := mustClone(t, b)
	if err := Apply(s, p, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// On a small synthetic pair trained from two seeds, every alignment
// lowers the loss barrier of the naive straight line to less than half,
// STE started from the identity as well as from weight matching.
func TestAlignmentsImproveOnNaive(t *testing.T) {
	a, sp := trained(t, 1)
	b, _ := trained(t, 2)
	s := mustSpec(t, a)
	ctx := context.Background()
	naive := midLoss(t, a, b)

	wm, err := WeightMatching(ctx, s, a, b, WMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	am, err := ActivationMatching(ctx, s, a, b, sp.Train, AMOptions{Batches: 4})
	if err != nil {
		t.Fatal(err)
	}
	ste, err := STE(ctx, s, a, b, sp.Train, STEOptions{Steps: 100, LR: 1e-2, Batch: 200, Init: wm.Perm})
	if err != nil {
		t.Fatal(err)
	}
	cold, err := STE(ctx, s, a, b, sp.Train, STEOptions{Steps: 200, LR: 1e-2, Batch: 200})
	if err != nil {
		t.Fatal(err)
	}
	bCold := midLoss(t, a, aligned(t, s, b, cold.Perm))
	bWM, bAM, bSTE := midLoss(t, a, aligned(t, s, b, wm.Perm)), midLoss(t, a, aligned(t, s, b, am)), midLoss(t, a, aligned(t, s, b, ste.Perm))
	t.Logf("midpoint barrier: naive %.4f, WM %.4f, AM %.4f, STE %.4f, STE from the identity %.4f", naive, bWM, bAM, bSTE, bCold)
	if !(naive > 0.05) {
		t.Fatalf("the naive barrier %.4f is too small for the test to mean anything", naive)
	}
	for name, v := range map[string]float64{"weight matching": bWM, "activation matching": bAM, "STE": bSTE, "STE from the identity": bCold} {
		if !(v < naive/2) {
			t.Errorf("%s leaves a barrier of %.4f, naive %.4f", name, v, naive)
		}
	}
}
