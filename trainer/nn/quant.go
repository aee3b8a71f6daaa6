package nn

import (
	"fmt"
	"math"
)

// WeightFormat is how a QuantDense quantizes, and stores, its weights.
type WeightFormat uint8

// The weight formats of a QuantDense. The zero WeightFormat is none, an
// invalid format for a QuantDense.
const (
	// TernaryAbsMean stores codes in {−1, 0, 1} with one scale β, the
	// mean of |W| over the matrix: Ŵ = clip(round(W/β), −1, 1)·β.
	TernaryAbsMean WeightFormat = iota + 1
	// TernaryAbsMedian is TernaryAbsMean with β the median of |W| (for an
	// even count the mean of the two middle values).
	TernaryAbsMedian
	// Int8Tensor stores codes in [−127, 127] with one scale s = max|W|:
	// Ŵ = clip(round(W·127/s), −127, 127)·(s/127).
	Int8Tensor
	// Int8Row is Int8Tensor with one s per output unit j (column j of W,
	// which is stored in×out).
	Int8Row
)

// String returns the format's name: "ternary_absmean",
// "ternary_absmedian", "int8_tensor" or "int8_row".
func (f WeightFormat) String() string {
	switch f {
	case TernaryAbsMean:
		return "ternary_absmean"
	case TernaryAbsMedian:
		return "ternary_absmedian"
	case Int8Tensor:
		return "int8_tensor"
	case Int8Row:
		return "int8_row"
	}
	return fmt.Sprintf("format(%d)", uint8(f))
}

// Ternary reports whether f stores ternary codes.
func (f WeightFormat) Ternary() bool { return f == TernaryAbsMean || f == TernaryAbsMedian }

// valid reports whether f is one of the formats.
func (f WeightFormat) valid() bool { return f >= TernaryAbsMean && f <= Int8Row }

// MinScale is the smallest scale a quantizer divides by: a weight scale
// (β, or max|W|) and an activation row's max|x| below it are raised to it.
const MinScale = 1e-5

// ActLevels is Q, the largest activation code: activations are quantized
// to integers in [−ActLevels, ActLevels].
const ActLevels = 127

// QuantizeActivationRow quantizes one row x of a layer's input to 8 bits
// by its absmax: s = max_k |x[k]| (MinScale if smaller), q[k] =
// clip(round(x[k]·127/s), −127, 127), rounding half to even in float32
// arithmetic. It writes q (len(x) codes) and returns s; the fake-quantized
// value of x[k] is float32(q[k])·(s/127).
func QuantizeActivationRow(q []int8, x []float32) float32 {
	var s float32
	for _, v := range x {
		s = max(s, abs32(v))
	}
	s = max(s, MinScale)
	for k, v := range x {
		q[k] = int8(clampRound(v*ActLevels/s, ActLevels))
	}
	return s
}

// fakeQuantRows replaces each row of x (rows×cols, in place) by its 8-bit
// absmax fake-quantized value, QuantizeActivationRow's q·(s/127).
func fakeQuantRows(x []float32, rows, cols int) {
	for i := 0; i < rows; i++ {
		r := x[i*cols : i*cols+cols]
		var s float32
		for _, v := range r {
			s = max(s, abs32(v))
		}
		s = max(s, MinScale)
		step := s / ActLevels
		for k, v := range r {
			r[k] = clampRound(v*ActLevels/s, ActLevels) * step
		}
	}
}

// clampRound returns round-half-to-even(v) clipped to [−limit, limit].
func clampRound(v, limit float32) float32 {
	r := float32(math.RoundToEven(float64(v)))
	return min(max(r, -limit), limit)
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// QuantizeWeights quantizes the in×out matrix w (row-major, as nn.Dense
// stores it) in format f: it writes the codes (len(w) of them, in w's
// order) and returns the scales (one for the ternary formats and
// Int8Tensor, out for Int8Row). The dequantized weight is
// float32(code)·β for the ternary formats and float32(code)·(s/127) for
// the int8 formats, s the scale of the weight's column (Int8Row) or of the
// matrix. scratch, if long enough, is used for the median of
// TernaryAbsMedian. It panics on an invalid format or sizes.
func QuantizeWeights(f WeightFormat, codes []int8, w []float32, in, out int, scratch []float32) []float32 {
	if len(w) != in*out || len(codes) != len(w) {
		panic(fmt.Sprintf("nn: QuantizeWeights: %d weights and %d codes for %d×%d", len(w), len(codes), in, out))
	}
	switch f {
	case TernaryAbsMean, TernaryAbsMedian:
		beta := TernaryScale(f, w, scratch)
		for i, v := range w {
			codes[i] = int8(clampRound(v/beta, 1))
		}
		return []float32{beta}
	case Int8Tensor:
		var s float32
		for _, v := range w {
			s = max(s, abs32(v))
		}
		s = max(s, MinScale)
		for i, v := range w {
			codes[i] = int8(clampRound(v*ActLevels/s, ActLevels))
		}
		return []float32{s}
	case Int8Row:
		scales := make([]float32, out)
		for i := 0; i < in; i++ {
			for j, v := range w[i*out : i*out+out] {
				scales[j] = max(scales[j], abs32(v))
			}
		}
		for j := range scales {
			scales[j] = max(scales[j], MinScale)
		}
		for i := 0; i < in; i++ {
			r, c := w[i*out:i*out+out], codes[i*out:i*out+out]
			for j, v := range r {
				c[j] = int8(clampRound(v*ActLevels/scales[j], ActLevels))
			}
		}
		return scales
	}
	panic(fmt.Sprintf("nn: QuantizeWeights: invalid format %v", f))
}

// Dequantize writes the weights codes and scales stand for in format f
// into w (in×out): float32(code)·β (ternary), float32(code)·(s/127)
// (int8, s per matrix or per column). Training's fake-quantized weights
// and a layer loaded from codes use it alike, so both compute with the
// same values bit for bit.
func Dequantize(f WeightFormat, w []float32, codes []int8, scales []float32, in, out int) {
	switch f {
	case TernaryAbsMean, TernaryAbsMedian:
		beta := scales[0]
		for i, c := range codes {
			w[i] = float32(c) * beta
		}
	case Int8Tensor:
		step := scales[0] / ActLevels
		for i, c := range codes {
			w[i] = float32(c) * step
		}
	case Int8Row:
		steps := make([]float32, out)
		for j, s := range scales {
			steps[j] = s / ActLevels
		}
		for i := 0; i < in; i++ {
			r, c := w[i*out:i*out+out], codes[i*out:i*out+out]
			for j, v := range c {
				r[j] = float32(v) * steps[j]
			}
		}
	default:
		panic(fmt.Sprintf("nn: Dequantize: invalid format %v", f))
	}
}

// TernaryScale returns β of the ternary format f for the weights w: the
// mean of |w| (summed in float64, rounded to float32) for
// TernaryAbsMean, the median of |w| (the float32 mean of the two middle
// values for an even count) for TernaryAbsMedian; at least MinScale.
// scratch, if it holds len(w) values, saves an allocation for the median.
func TernaryScale(f WeightFormat, w []float32, scratch []float32) float32 {
	if len(w) == 0 {
		return MinScale
	}
	var beta float32
	if f == TernaryAbsMedian {
		if len(scratch) < len(w) {
			scratch = make([]float32, len(w))
		}
		a := scratch[:len(w)]
		for i, v := range w {
			a[i] = abs32(v)
		}
		k := len(a) / 2
		hi := kth(a, k)
		if len(a)%2 == 1 {
			beta = hi
		} else {
			lo := a[0]
			for _, v := range a[1:k] {
				lo = max(lo, v)
			}
			beta = (lo + hi) / 2
		}
	} else {
		var sum float64
		for _, v := range w {
			sum += float64(abs32(v))
		}
		beta = float32(sum / float64(len(w)))
	}
	return max(beta, MinScale)
}

// kth returns the k-th smallest value of a (from 0), reordering a so that
// a[:k] holds values no greater than it (quickselect with a three-way
// partition, linear on average and robust to repeated values).
func kth(a []float32, k int) float32 {
	lo, hi := 0, len(a)
	for hi-lo > 1 {
		x, y, z := a[lo], a[lo+(hi-lo)/2], a[hi-1]
		p := max(min(x, y), min(max(x, y), z)) // the median of the three
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := a[i]; {
			case v < p:
				a[lt], a[i] = v, a[lt]
				lt++
				i++
			case v > p:
				gt--
				a[gt], a[i] = v, a[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return p
		}
	}
	return a[lo]
}
