package merge

import (
	"context"
	"testing"
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
