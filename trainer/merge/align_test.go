package merge

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/data"

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

// Activation matching of a model and a permuted copy of itself finds the
// permutation back: matched units correlate perfectly.
func TestActivationMatchingRecoversPermutation(t *testing.T) {
	for _, tt := range []struct {
		name string
		net  *nn.Sequential
	}{
		{"mlp", mlp(31, 20, 48, 40, 10)},
		{"residual", residualNet(32)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSpec(t, tt.net)
			b := mustClone(t, tt.net)
			if err := Apply(s, randomPerm(s, 4), b); err != nil {
				t.Fatal(err)
			}
			in := tt.net.Params()[0].Value.Shape[0]
			x := randomInput(5, 600, in)
			set := &data.Set{X: x.Data, Y: make([]int32, 600), N: 600, Features: in, Classes: 1}
			p, err := ActivationMatching(context.Background(), s, tt.net, b, set, AMOptions{Batch: 128})
			if err != nil {
				t.Fatal(err)
			}
			if err := Apply(s, p, b); err != nil {
				t.Fatal(err)
			}
			if d, _ := Distance(tt.net, b); d != 0 {
				t.Errorf("the copy aligned by its activations is %g from the model", d)
			}
		})
	}
}

func TestActivationMatchingAndSTEErrors(t *testing.T) {
	a := mlp(1, 5, 8, 3)
	s := mustSpec(t, a)
	ctx := context.Background()
	wrong := &data.Set{X: make([]float32, 12), Y: make([]int32, 3), N: 3, Features: 4, Classes: 3}
	if _, err := ActivationMatching(ctx, s, a, a, wrong, AMOptions{}); !errors.Is(err, ErrOptions) {
		t.Errorf("AM on data of 4 features: %v", err)
	}
	if _, err := STE(ctx, s, a, a, wrong, STEOptions{}); !errors.Is(err, ErrOptions) {
		t.Errorf("STE on data of 4 features: %v", err)
	}
	right := &data.Set{X: make([]float32, 15), Y: make([]int32, 3), N: 3, Features: 5, Classes: 3}
	for _, o := range []STEOptions{{Steps: -1}, {LR: math.NaN()}, {Batch: -2}} {
		if _, err := STE(ctx, s, a, a, right, o); !errors.Is(err, ErrOptions) {
			t.Errorf("STE %+v: %v", o, err)
		}
	}
	if _, err := ActivationMatching(ctx, s, a, a, right, AMOptions{Batches: -1}); !errors.Is(err, ErrOptions) {
		t.Errorf("AM batches -1: %v", err)
	}
}
