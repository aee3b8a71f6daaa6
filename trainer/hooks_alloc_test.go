package trainer

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// TestStepAllocatesNothing checks that a steady-state step of the loop
// allocates nothing, without hooks and with hooks that only observe: the
// extension points cost no allocation per step.
func TestStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	nop := func(*Run, *Step) error { return nil }
	for name, o := range map[string]*TrainOptions{
		"no hooks":  {},
		"observers": {Hooks: []Hooks{{BeforeStep: nop, BeforeUpdate: nop, AfterStep: nop}}},
	} {
		c := &Classifier{
			Data:      Synthetic{Train: 256, Test: 64, Features: 12, Classes: 3, Clusters: 2, Noise: 0.3},
			Model:     MLP{Hidden: []int{16}, Activation: "gelu", LayerNorm: true, Dropout: 0.1},
			Optimizer: AdamW{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
			Epochs:    1, Batch: 64, Schedule: "cosine", Warmup: 2,
		}
		r, err := newRun(context.Background(), c, o)
		if err != nil {
			t.Fatal(err)
		}
		train := r.Splits.Train
		xbuf := tensor.Buffer{Cols: train.Features}
		x, y := xbuf.Rows(64), make([]int32, 64)
		idx := make([]int, 64)
		for i := range idx {
			idx[i] = i
		}
		train.Gather(x.Data, y, idx)
		step := func() {
			if _, err := r.step(1, 0, x, y); err != nil {
				t.Fatal(err)
			}
		}
		step()
		if n := testing.AllocsPerRun(20, step); n != 0 {
			t.Errorf("%s: %g allocations per step", name, n)
		}
	}
}
