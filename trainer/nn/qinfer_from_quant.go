package nn

import "fmt"

// IntDenseOf returns the inference layer on integer kernels that computes
// what the quantization-aware layer q computes with its current codes:
// the same codes, scales such that code·scale is q's Ŵ (β for ternary,
// s/127 for int8, per matrix or per output unit), q's bias and q's input
// normalization. Its outputs equal q's inference outputs up to float32
// rounding (the integer products are exact; the scales are applied in
// another order).
func IntDenseOf(q *QuantDense) (*IntDense, error) {
	codes, scales := q.Codes(), q.Scales()
	kind := IntDenseTernary
	sc := scales
	if !q.Config.Format.Ternary() {
		kind = IntDenseInt8
		sc = make([]float32, len(scales))
		for j, s := range scales {
			sc[j] = s / ActLevels // Dequantize's s/127, rounded to float32 first
		}
	}
	var bias []float32
	if q.HasBias() {
		bias = q.B.Value.Data
	}
	d, err := NewIntDense(q.In, q.Out, kind, codes, sc, bias, q.Config.Norm)
	if err != nil {
		return nil, fmt.Errorf("nn: IntDenseOf: %w", err)
	}
	return d, nil
}

// IntegerNetwork returns s for fast inference: a network whose
// quantization-aware layers (QuantDense, in Residual bodies too) are
// replaced by IntDense layers on the integer kernels (IntDenseOf), from
// their current codes. The other layers are s's own, shared: use the two
// networks one at a time, and for inference only (IntDense has no
// Backward). A network without quantized layers comes back as an equal
// chain of the same layers.
func IntegerNetwork(s *Sequential) (*Sequential, error) {
	layers := make([]Layer, len(s.Layers))
	for i, l := range s.Layers {
		switch l := l.(type) {
		case *QuantDense:
			d, err := IntDenseOf(l)
			if err != nil {
				return nil, fmt.Errorf("layers[%d]: %w", i, err)
			}
			layers[i] = d
		case *Residual:
			body, err := IntegerNetwork(l.Body)
			if err != nil {
				return nil, fmt.Errorf("layers[%d].body.%w", i, err)
			}
			layers[i] = NewResidual(body)
		default:
			layers[i] = l
		}
	}
	return NewSequential(layers...), nil
}
