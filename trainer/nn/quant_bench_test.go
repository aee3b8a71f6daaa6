package nn

import (
	"fmt"
	"testing"
)

// BenchmarkQuantDenseStep times a training step's forward and backward
// passes of a quantized layer, next to nn.Dense's (format none), for the
// ratio of the fake-quantization's cost.
func BenchmarkQuantDenseStep(b *testing.B) {
	const rows, in, out = 128, 256, 256
	for _, f := range []WeightFormat{0, TernaryAbsMean, TernaryAbsMedian, Int8Tensor, Int8Row} {
		b.Run(fmt.Sprint(f), func(b *testing.B) {
			rng := NewRand(1, 1)
			var l Layer = NewDense(in, out, HeUniform, rng)
			if f != 0 {
				l = NewQuantDense(in, out, true, HeUniform, rng, QuantConfig{Format: f, Norm: f.Ternary()})
			}
			x := randMatrix(rng, rows, in, 0)
			dy := randMatrix(rng, rows, out, 0)
			for b.Loop() {
				l.Forward(x, true)
				l.Backward(dy, true)
			}
		})
	}
}
