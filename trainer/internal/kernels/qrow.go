package kernels

import (
	"fmt"
	"math"
)

// QuantActMin is the floor of the scale s of QuantizeRowS8: a row of zeros
// (or of values below it) does not divide by zero.
const QuantActMin = 1e-5

// qrowOps are the row kernels of one integer path around its GEMM.
type qrowOps struct {
	rowSum     func(x []int8) int32
	absMax     func(x []float32) float32
	quantRow   func(q []int8, x []float32, inv float32)
	dequantRow func(y []float32, acc []int32, scale, bias []float32, s float32)
}

// goQRow are the portable row kernels.
var goQRow = qrowOps{rowSum: rowSumS8, absMax: absMaxGo, quantRow: quantRowGo, dequantRow: dequantRowGo}

// QuantizeRowS8 quantizes the activations x to int8 codes and returns
// their scale s = max(max|x|, QuantActMin): q[i] = clip(RoundToEven(x[i]·
// (127/s)), −127, 127), x[i]·(127/s) computed in float32, so that
// x ≈ q·s/127. Every path gives the same codes; NaN and infinite inputs
// are outside its contract. It panics if len(q) < len(x).
func QuantizeRowS8(q []int8, x []float32) float32 {
	if len(q) < len(x) {
		panic(fmt.Sprintf("kernels: QuantizeRowS8: len(q)=%d < len(x)=%d", len(q), len(x)))
	}
	s := max(activeQ.row.absMax(x), QuantActMin)
	if len(x) > 0 {
		activeQ.row.quantRow(q, x, 127/s)
	}
	return s
}

// DequantizeRow sets y[j] = float32(acc[j])·(s·scale[j]) + bias[j] for
// j < len(acc): one row of an integer GEMM's output back to float32, s
// being the row's activation step (QuantizeRowS8's scale / 127) and scale
// the weights' scales per output. It panics if a slice is shorter than
// acc.
func DequantizeRow(y []float32, acc []int32, scale, bias []float32, s float32) {
	n := len(acc)
	if len(y) < n || len(scale) < n || len(bias) < n {
		panic(fmt.Sprintf("kernels: DequantizeRow: len(y)=%d, len(scale)=%d, len(bias)=%d, want at least len(acc)=%d", len(y), len(scale), len(bias), n))
	}
	if n > 0 {
		activeQ.row.dequantRow(y, acc, scale, bias, s)
	}
}

func absMaxGo(x []float32) float32 {
	var m float32
	for _, v := range x {
		m = max(m, math.Float32frombits(math.Float32bits(v)&0x7fffffff))
	}
	return m
}

func quantRowGo(q []int8, x []float32, inv float32) {
	q = q[:len(x)]
	for i, v := range x {
		q[i] = int8(min(max(math.RoundToEven(float64(v*inv)), -127), 127))
	}
}

func dequantRowGo(y []float32, acc []int32, scale, bias []float32, s float32) {
	y, scale, bias = y[:len(acc)], scale[:len(acc)], bias[:len(acc)]
	for j, a := range acc {
		y[j] = float32(a)*(s*scale[j]) + bias[j]
	}
}
