package nn

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// IntDenseKind is the kind of the weight codes of an IntDense.
type IntDenseKind int

const (
	// IntDenseTernary weights are codes in {−1, 0, 1}.
	IntDenseTernary IntDenseKind = iota + 1
	// IntDenseInt8 weights are codes in [−127, 127].
	IntDenseInt8
)

// String returns "ternary" or "int8".
func (k IntDenseKind) String() string {
	switch k {
	case IntDenseTernary:
		return "ternary"
	case IntDenseInt8:
		return "int8"
	}
	return fmt.Sprintf("IntDenseKind(%d)", int(k))
}

// IntDense is an inference-only dense layer on integer kernels:
// Y ≈ X·W + b with W = code·scale. For each row x of the input it
//
//  1. optionally normalizes x without parameters: (x − μ)/√(σ² + 1e-5);
//  2. takes s = max(max|x|, 1e-5) and quantizes
//     q = clip(RoundToEven(x·(127/s)), −127, 127), x·(127/s) in float32;
//  3. computes acc = q·codes exactly in int32 (kernels.GemmTernaryS8 or
//     kernels.GemmS8S8);
//  4. sets y_j = float32(acc_j)·((s/127)·scale_j) + b_j.
//
// The result is the float32 product of the dequantized activations
// x̂ = q·s/127 and weights Ŵ = code·scale, up to float32 rounding.
// IntDense has no parameters; Backward panics (train with nn.Dense and
// quantization-aware layers, then convert).
type IntDense struct {
	In, Out   int
	Kind      IntDenseKind
	LayerNorm bool

	// Scales holds the scale of each output unit (a single scale given
	// to NewIntDense is repeated Out times); Bias has length Out.
	Scales, Bias []float32

	s8 *kernels.S8Weights
	t2 *kernels.TernaryWeights

	xn  []float32 // normalized rows (LayerNorm)
	q   []int8    // quantized rows
	s   []float32 // s/127 per row
	acc []int32
	y   tensor.Buffer
}

var _ Layer = (*IntDense)(nil)

// NewIntDense returns an in→out quantized dense layer from codes
// (in×out row-major, as Dense stores W), scales (length 1 or out) and bias
// (length out, or nil for zeros). It returns an error naming the argument
// that does not fit: a code outside the kind's range, a wrong length, a
// scale that is not finite.
func NewIntDense(in, out int, kind IntDenseKind, codes []int8, scales, bias []float32, layerNorm bool) (*IntDense, error) {
	if in <= 0 || out <= 0 {
		return nil, fmt.Errorf("nn: NewIntDense(%d, %d): sizes must be positive", in, out)
	}
	if len(codes) != in*out {
		return nil, fmt.Errorf("nn: NewIntDense: %d codes, want in·out = %d", len(codes), in*out)
	}
	if len(scales) != 1 && len(scales) != out {
		return nil, fmt.Errorf("nn: NewIntDense: %d scales, want 1 or out = %d", len(scales), out)
	}
	for j, s := range scales {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return nil, fmt.Errorf("nn: NewIntDense: scales[%d] = %v, want a finite number", j, s)
		}
	}
	if bias == nil {
		bias = make([]float32, out)
	}
	if len(bias) != out {
		return nil, fmt.Errorf("nn: NewIntDense: bias of length %d, want out = %d", len(bias), out)
	}
	d := &IntDense{In: in, Out: out, Kind: kind, LayerNorm: layerNorm, Bias: append([]float32(nil), bias...)}
	if len(scales) == 1 {
		d.Scales = make([]float32, out)
		for j := range d.Scales {
			d.Scales[j] = scales[0]
		}
	} else {
		d.Scales = append([]float32(nil), scales...)
	}
	var err error
	switch kind {
	case IntDenseTernary:
		d.t2, err = kernels.PackTernary(codes, in, out)
	case IntDenseInt8:
		d.s8, err = kernels.PackS8(codes, in, out)
	default:
		return nil, fmt.Errorf("nn: NewIntDense: kind %v, want IntDenseTernary or IntDenseInt8", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("nn: NewIntDense: codes: %w", err)
	}
	d.y.Cols = out
	return d, nil
}

// Forward computes the quantized product of every row of x; train is
// ignored. The output is owned by the layer and valid until its next
// Forward.
func (d *IntDense) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	tensor.MustCols("IntDense.Forward", x, d.In)
	rows, in, out := x.Shape[0], d.In, d.Out
	d.q = qiGrow(d.q, rows*in)
	d.s = qiGrow(d.s, rows)
	d.acc = qiGrow(d.acc, rows*out)
	src := x.Data[:rows*in]
	if d.LayerNorm {
		d.xn = qiGrow(d.xn, rows*in)
		for i := 0; i < rows; i++ {
			NormalizeRow(d.xn[i*in:i*in+in], src[i*in:i*in+in])
		}
		src = d.xn
	}
	for i := 0; i < rows; i++ {
		d.s[i] = kernels.QuantizeRowS8(d.q[i*in:i*in+in], src[i*in:i*in+in]) / 127
	}
	if d.t2 != nil {
		kernels.GemmTernaryS8(rows, d.q, in, d.t2, d.acc, out)
	} else {
		kernels.GemmS8S8(rows, d.q, in, d.s8, d.acc, out)
	}
	y := d.y.Rows(rows)
	for i := 0; i < rows; i++ {
		kernels.DequantizeRow(y.Data[i*out:i*out+out], d.acc[i*out:i*out+out], d.Scales, d.Bias, d.s[i])
	}
	return y
}

// Backward panics: IntDense is inference-only.
func (d *IntDense) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	panic("nn: IntDense.Backward: IntDense is inference-only; train a Dense (or a quantization-aware layer) and convert it")
}

// Params returns nil: IntDense has no trainable parameters.
func (d *IntDense) Params() []*Param { return nil }

// qiGrow returns x resized to n, reallocated only when it is too short.
func qiGrow[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}
