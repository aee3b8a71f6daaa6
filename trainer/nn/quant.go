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
	s := max(absMax(x), MinScale)
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
		s := max(absMax(r), MinScale)
		step := s / ActLevels
		for k, v := range r {
			r[k] = clampRound(v*ActLevels/s, ActLevels) * step
		}
	}
}

// clampRound returns round-half-to-even(v) clipped to [−limit, limit].
// (Comparisons rather than min and max, which also order NaNs and signed
// zeros, at a cost in this inner loop.)
func clampRound(v, limit float32) float32 {
	r := float32(math.RoundToEven(float64(v)))
	if r > limit {
		r = limit
	} else if r < -limit {
		r = -limit
	}
	return r
}

// ternaryCode returns clip(round-half-to-even(q), −1, 1) by two
// comparisons, without branches: 1 above 0.5, −1 below −0.5, else 0 (±0.5
// round to even, 0).
func ternaryCode(q float32) int8 {
	var pos, neg int8
	if q > 0.5 {
		pos = 1
	}
	if q < -0.5 {
		neg = 1
	}
	return pos - neg
}

// absMax returns the largest |v| of x (0 for none).
func absMax(x []float32) float32 {
	var s float32
	for _, v := range x {
		if a := abs32(v); a > s {
			s = a
		}
	}
	return s
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// QuantizeWeights quantizes the in×out matrix w (row-major, as nn.Dense
// stores it) in format f: it writes the codes (len(w) of them, in w's
// order) and the scales (ScaleCount(f, out) of them: β for the ternary
// formats, max|W| for Int8Tensor, max|W[:, j]| per output unit j for
// Int8Row, each at least MinScale). The dequantized weight is
// float32(code)·β for the ternary formats and float32(code)·(s/127) for
// the int8 formats (see Dequantize). scratch, if long enough, is used for
// the median of TernaryAbsMedian. It panics on an invalid format or sizes.
func QuantizeWeights(f WeightFormat, codes []int8, scales []float32, w []float32, in, out int, scratch []uint32) {
	if len(w) != in*out || len(codes) != len(w) || len(scales) != ScaleCount(f, out) {
		panic(fmt.Sprintf("nn: QuantizeWeights: %d weights, %d codes and %d scales for %d×%d in %v", len(w), len(codes), len(scales), in, out, f))
	}
	switch f {
	case TernaryAbsMean, TernaryAbsMedian:
		beta := TernaryScale(f, w, scratch)
		for i, v := range w {
			codes[i] = ternaryCode(v / beta)
		}
		scales[0] = beta
	case Int8Tensor:
		s := max(absMax(w), MinScale)
		for i, v := range w {
			codes[i] = int8(clampRound(v*ActLevels/s, ActLevels))
		}
		scales[0] = s
	case Int8Row:
		clear(scales)
		for i := 0; i < in; i++ {
			for j, v := range w[i*out : i*out+out] {
				if a := abs32(v); a > scales[j] {
					scales[j] = a
				}
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
	}
}

// ScaleCount returns how many scales format f stores for a layer of out
// output units: out for Int8Row, else 1.
func ScaleCount(f WeightFormat, out int) int {
	if f == Int8Row {
		return out
	}
	return 1
}

// Dequantize writes the weights codes and scales stand for in format f
// into w (in×out): float32(code)·β (ternary), float32(code)·(s/127)
// (int8, s per matrix or per column, s/127 rounded to float32 first).
// Training's fake-quantized weights and a layer loaded from codes use it
// alike, so both compute with the same values bit for bit.
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
		// The steps s/127 of a block of columns at a time, on the stack.
		var steps [256]float32
		for lo := 0; lo < out; lo += len(steps) {
			hi := min(lo+len(steps), out)
			st := steps[:hi-lo]
			for j := range st {
				st[j] = scales[lo+j] / ActLevels
			}
			for i := 0; i < in; i++ {
				r, c := w[i*out+lo:i*out+hi], codes[i*out+lo:i*out+hi]
				for j, v := range c {
					r[j] = float32(v) * st[j]
				}
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
func TernaryScale(f WeightFormat, w []float32, scratch []uint32) float32 {
	if len(w) == 0 {
		return MinScale
	}
	var beta float32
	if f == TernaryAbsMedian {
		if len(scratch) < len(w) {
			scratch = make([]uint32, len(w))
		}
		a := scratch[:len(w)]
		for i, v := range w {
			a[i] = math.Float32bits(v) &^ (1 << 31)
		}
		k := len(a) / 2
		hb := kthBits(a, k)
		hi := math.Float32frombits(hb)
		beta = hi
		if len(w)%2 == 0 {
			// The (k−1)-th value: hi again if fewer than k values are
			// below it, else the largest of those below, found without
			// branches (the bits are below 2³¹, so u−hb is negative as
			// an int32 exactly when u < hb).
			var lb uint32
			below := 0
			for _, v := range w {
				u := math.Float32bits(v) &^ (1 << 31)
				mask := uint32(int32(u-hb) >> 31)
				lb = max(lb, u&mask)
				below += int(mask & 1)
			}
			lo := math.Float32frombits(lb)
			if below < k {
				lo = hi
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

// kthBits returns the k-th smallest (from 0) of a, the bits of
// non-negative float32 values (whose order as integers is their order as
// numbers), by a radix select on 11, 11 and 10 bits: three counting
// passes, each keeping only the values of the bucket that holds the k-th.
// It overwrites a.
func kthBits(a []uint32, k int) uint32 {
	cur := a
	for _, pass := range [...]struct {
		shift uint
		mask  uint32
	}{{21, 0x7ff}, {10, 0x7ff}, {0, 0x3ff}} {
		var hist [2048]int
		for _, v := range cur {
			hist[(v>>pass.shift)&pass.mask]++
		}
		b := 0
		for k >= hist[b] {
			k -= hist[b]
			b++
		}
		next := cur[:0]
		for _, v := range cur {
			if (v>>pass.shift)&pass.mask == uint32(b) {
				next = append(next, v)
			}
		}
		cur = next
	}
	return cur[k]
}
