package merge

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/trainer/data"
)

// benchWM measures weight matching of two independently drawn
// 784-W-W-W-10 networks, the experiment's shape.
func benchWM(b *testing.B, width int) {
	x, y := mlp(1, 784, width, width, width, 10), mlp(2, 784, width, width, width, 10)
	s := mustSpec(b, x)
	sweeps := 0
	for b.Loop() {
		res, err := WeightMatching(context.Background(), s, x, y, WMOptions{})
		if err != nil {
			b.Fatal(err)
		}
		sweeps = res.Sweeps
	}
	b.ReportMetric(float64(sweeps), "sweeps")
}

func BenchmarkWeightMatching256(b *testing.B) { benchWM(b, 256) }
func BenchmarkWeightMatching512(b *testing.B) { benchWM(b, 512) }

// BenchmarkActivationMatching256 measures activation matching of two
// 784-256-256-256-10 networks over 4 batches of 500 random inputs.
func BenchmarkActivationMatching256(b *testing.B) {
	x, y := mlp(1, 784, 256, 256, 256, 10), mlp(2, 784, 256, 256, 256, 10)
	s := mustSpec(b, x)
	in := randomInput(3, 2000, 784)
	set := &data.Set{X: in.Data, Y: make([]int32, 2000), N: 2000, Features: 784, Classes: 10}
	for b.Loop() {
		if _, err := ActivationMatching(context.Background(), s, x, y, set, AMOptions{Batch: 500}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSTEStep256 measures one step of the straight-through
// estimator on 784-256-256-256-10 networks at batch 500: a projection
// (weight matching, warm-started), the midpoint, its loss and gradient,
// and Adam's update.
func BenchmarkSTEStep256(b *testing.B) {
	x, y := mlp(1, 784, 256, 256, 256, 10), mlp(2, 784, 256, 256, 256, 10)
	s := mustSpec(b, x)
	in := randomInput(3, 2000, 784)
	set := &data.Set{X: in.Data, Y: make([]int32, 2000), N: 2000, Features: 784, Classes: 10}
	wm, err := WeightMatching(context.Background(), s, x, y, WMOptions{})
	if err != nil {
		b.Fatal(err)
	}
	const steps = 10
	for b.Loop() {
		if _, err := STE(context.Background(), s, x, y, set, STEOptions{Steps: steps, Init: wm.Perm}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*steps), "ns/step")
}
