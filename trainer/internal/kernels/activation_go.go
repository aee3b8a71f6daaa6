package kernels

import "math"

// Float32 approximations of tanh and the exact (erf) GELU, shared by the
// portable kernels and, operation for operation, by the assembly ones
// (gen_activation.go), so every path computes the same formulas; the
// assembly contracts the multiply-adds into FMAs and evaluates both
// branches of tanh, so results may differ from these loops in the last
// bits.
//
//   - exp(a) for a ≤ 0: a = k·ln2 + r with k = round(a·log2 e) (the 1.5·2²³
//     rounding trick, whose low mantissa bits are k) and |r| ≤ ln2/2, ln2
//     split in two so that k·ln2hi is exact; e^r is its Taylor polynomial of
//     degree 6 (relative error ≤ 1.2e-7) and 2^k is built in the exponent
//     bits. a is clamped to ≥ -87, so 2^k stays a normal number.
//   - tanh(x): for |x| < 0.25 the Taylor polynomial x − x³/3 + 2x⁵/15 −
//     17x⁷/315 + 62x⁹/2835 (truncation error < 3e-9); otherwise, with
//     e = exp(−2|x|) and |x| clamped to ≤ 10, sign(x)·(1−e)/(1+e).
//   - Φ(x) = (1 + erf(x/√2))/2 through erfc(z) ≈ t·P(t)·e^(−z²),
//     t = 1/(1 + p·z), z = |x|/√2: Abramowitz and Stegun, Handbook of
//     Mathematical Functions (1964), formula 7.1.26 (after Hastings), whose
//     absolute error is ≤ 1.5e-7. Φ(x) = 1 − erfc/2 for x ≥ 0 and erfc/2
//     below, which keeps the left tail free of cancellation. e^(−z²) =
//     e^(−x²/2) is also the Gaussian density's, so GELUGrad reuses it.
//     x is clamped to [-20, 20] inside Φ and to ≥ -20 as the factor of
//     GELU, so GELU(−∞) = −0 (to 1e-38), GELU(+∞) = +∞ and GELU'(±∞) is 0
//     and 1.
//
// NaN propagates through every kernel (the clamps are written so that a NaN
// passes them).
const (
	expLog2e   = 1.442695040888963
	expMagic   = 12582912    // 1.5·2²³
	expLn2Hi   = 0.693359375 // 355/512: k·ln2Hi is exact for |k| < 2¹⁵
	expLn2Lo   = -2.1219444005469058e-4
	expC3      = 1.0 / 6
	expC4      = 1.0 / 24
	expC5      = 1.0 / 120
	expC6      = 1.0 / 720
	expMin     = -87
	tanhSmall  = 0.25
	tanhT3     = -1.0 / 3
	tanhT5     = 2.0 / 15
	tanhT7     = -17.0 / 315
	tanhT9     = 62.0 / 2835
	tanhMin2x  = -20 // −2|x| is clamped to ≥ −20: tanh(10) rounds to 1
	geluLim    = 20
	geluRSqrt2 = 0.7071067811865476 // 1/√2
	erfP       = 0.3275911
	erfA1      = 0.254829592
	erfA2      = -0.284496736
	erfA3      = 1.421413741
	erfA4      = -1.453152027
	erfA5      = 1.061405429
	invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
)

// expNeg returns e^a for a ≤ 0 (a > 0 is not supported; a NaN is
// returned as NaN).
func expNeg(a float32) float32 {
	if a < expMin {
		a = expMin
	}
	t := a*expLog2e + expMagic
	k := t - expMagic
	r := a - k*expLn2Hi
	r -= k * expLn2Lo
	p := float32(expC6)
	p = p*r + expC5
	p = p*r + expC4
	p = p*r + expC3
	p = p*r + 0.5
	p = p*r + 1
	p = p*r + 1
	// The low bits of t hold k (t = 0x4b400000 + k); (k+127)<<23 is 2^k.
	return p * math.Float32frombits((math.Float32bits(t)+127)<<23)
}

func tanh32(x float32) float32 {
	ax := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	if ax < tanhSmall {
		s := x * x
		p := float32(tanhT9)
		p = p*s + tanhT7
		p = p*s + tanhT5
		p = p*s + tanhT3
		return x + x*s*p
	}
	a := -2 * ax
	if a < tanhMin2x {
		a = tanhMin2x
	}
	e := expNeg(a)
	t := (1 - e) / (1 + e)
	return math.Float32frombits(math.Float32bits(t) | math.Float32bits(x)&(1<<31))
}

// phi returns Φ(x) and e^(−x²/2) for x clamped to [−20, 20].
func phi(x float32) (cdf, gauss float32) {
	if x < -geluLim {
		x = -geluLim
	}
	if x > geluLim {
		x = geluLim
	}
	z := x * geluRSqrt2
	az := math.Float32frombits(math.Float32bits(z) &^ (1 << 31))
	t := 1 / (1 + erfP*az)
	e := expNeg(-z * z)
	p := float32(erfA5)
	p = p*t + erfA4
	p = p*t + erfA3
	p = p*t + erfA2
	p = p*t + erfA1
	h := 0.5 * (p * t * e) // erfc(|z|)/2
	if x >= 0 {
		h = 1 - h
	}
	return h, e
}

func tanhGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = tanh32(v)
	}
}

func tanhGradGo(dx, dy, y []float32) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	for i, v := range y {
		dx[i] = dy[i] * (1 - v*v)
	}
}

func geluGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		if v < -geluLim {
			v = -geluLim
		}
		c, _ := phi(v)
		dst[i] = v * c
	}
}

func geluGradGo(dx, dy, x []float32) {
	dx, dy = dx[:len(x)], dy[:len(x)]
	for i, v := range x {
		c, e := phi(v)
		if v < -geluLim {
			v = -geluLim
		}
		if v > geluLim {
			v = geluLim
		}
		dx[i] = dy[i] * (c + v*invSqrt2Pi*e)
	}
}
