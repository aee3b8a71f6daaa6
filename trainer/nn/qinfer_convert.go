package nn

import (
	"fmt"
	"math"
)

// NewIntDenseFrom quantizes the weights of d into an IntDense of the
// given kind, keeping its bias:
//
//   - IntDenseInt8: one scale per output unit, scale_j = max_i |W_ij|/127
//     (1 for a column of zeros), code = RoundToEven(W_ij/scale_j);
//   - IntDenseTernary: one scale for the tensor, the mean absolute weight
//     γ (1 for all zeros), code = clip(RoundToEven(W_ij/γ), −1, 1).
//
// It returns an error if a weight is not finite.
func NewIntDenseFrom(d *Dense, kind IntDenseKind, layerNorm bool) (*IntDense, error) {
	in, out, w := d.In, d.Out, d.W.Value.Data
	for i, v := range w[:in*out] {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("nn: NewIntDenseFrom: w[%d] = %v, want a finite weight", i, v)
		}
	}
	codes := make([]int8, in*out)
	var scales []float32
	switch kind {
	case IntDenseInt8:
		scales = make([]float32, out)
		for j := range out {
			var m float64
			for i := range in {
				m = max(m, math.Abs(float64(w[i*out+j])))
			}
			s := m / 127
			if s == 0 {
				s = 1
			}
			scales[j] = float32(s)
			for i := range in {
				codes[i*out+j] = int8(min(max(math.RoundToEven(float64(w[i*out+j])/s), -127), 127))
			}
		}
	case IntDenseTernary:
		var sum float64
		for _, v := range w[:in*out] {
			sum += math.Abs(float64(v))
		}
		g := sum / float64(in*out)
		if g == 0 {
			g = 1
		}
		scales = []float32{float32(g)}
		for i, v := range w[:in*out] {
			codes[i] = int8(min(max(math.RoundToEven(float64(v)/g), -1), 1))
		}
	default:
		return nil, fmt.Errorf("nn: NewIntDenseFrom: kind %v, want IntDenseTernary or IntDenseInt8", kind)
	}
	var bias []float32
	if !d.noBias {
		bias = d.B.Value.Data
	}
	return NewIntDense(in, out, kind, codes, scales, bias, layerNorm)
}
