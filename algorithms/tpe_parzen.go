package algorithms

import (
	"math"
	"math/rand/v2"
	"slices"
)

// This file holds TPE's density estimators: a Parzen estimator (a mixture
// of truncated normals) for numeric decisions and a smoothed categorical
// distribution for OneOf decisions, both built as Optuna builds them.

// parzen is a mixture of normals truncated to [lo, hi], one per
// observation plus a prior component. Its buffers are reused across fits.
type parzen struct {
	lo, hi float64
	mu     []float64 // component means, sorted
	sigma  []float64
	cum    []float64 // cumulative component weights, for sampling
	coef   []float64 // w_i / (σ_i Z_i √(2π)), Z_i the truncated mass
	inv    []float64 // 1 / (2 σ_i²)
	prior  int       // index of the prior component
	// reachR[j] is the largest μ_i + cσ_i and reachL[j] the smallest
	// μ_i − cσ_i over the observation components i ≤ j and i ≥ j, with
	// c = √(2 pdfCut): they bound the components pdf must visit.
	reachR, reachL []float64
}

// fit builds the estimator on [lo, hi] (lo < hi) from observations xs,
// sorted in increasing order, with weights ws, adding the prior
// component N((lo+hi)/2, hi−lo) with weight priorWeight; the weights are
// then normalized (Optuna).
//
// Each observation's σ is the larger of the gaps to its sorted neighbours
// (the prior's mean counts as an observation here, the bounds as
// neighbours of the first and last, except that the first and last use
// their inner gap only, Optuna's consider_endpoints=false), clipped to
// [(hi−lo)/min(100, n+2), hi−lo] (the "magic clip"); the prior's σ is
// hi−lo.
func (e *parzen) fit(xs, ws []float64, lo, hi, priorWeight float64) {
	n := len(xs)
	m := n + 1
	e.lo, e.hi = lo, hi
	e.mu = grow(e.mu, m)
	e.sigma = grow(e.sigma, m)
	e.cum = grow(e.cum, m)
	e.coef = grow(e.coef, m)
	e.inv = grow(e.inv, m)
	w := e.cum // the raw weights, in the order of mu, until the end

	// Merge the prior's mean into the sorted observations.
	priorMu := 0.5 * (lo + hi)
	at, _ := slices.BinarySearch(xs, priorMu)
	copy(e.mu, xs[:at])
	e.mu[at] = priorMu
	copy(e.mu[at+1:], xs[at:])
	copy(w, ws[:at])
	w[at] = priorWeight
	copy(w[at+1:], ws[at:])

	// σ from the gaps between sorted means.
	mu := e.mu
	for j := range m {
		left, right := lo, hi
		if j > 0 {
			left = mu[j-1]
		}
		if j < m-1 {
			right = mu[j+1]
		}
		e.sigma[j] = max(mu[j]-left, right-mu[j])
	}
	if m >= 2 {
		e.sigma[0] = mu[1] - mu[0]
		e.sigma[m-1] = mu[m-1] - mu[m-2]
	}
	width := hi - lo
	minSigma := width / min(100, float64(m+1))
	for j := range m {
		e.sigma[j] = min(max(e.sigma[j], minSigma), width)
	}
	e.sigma[at] = width

	// Normalized weights, density coefficients and the sampling table.
	var total float64
	for _, v := range w {
		total += v
	}
	acc := 0.0
	for j := range m {
		wj := w[j] / total
		s := e.sigma[j]
		lower, upper := tails(mu[j], s, lo, hi)
		z := 1 - lower - upper // the mass of N(μ, σ²) inside [lo, hi]
		e.coef[j] = wj / (s * z * math.Sqrt(2*math.Pi))
		e.inv[j] = 1 / (2 * s * s)
		acc += wj
		e.cum[j] = acc // overwrites w[j], no longer needed
	}
	e.cum[m-1] = 1
	e.prior = at

	c := math.Sqrt(2 * pdfCut)
	e.reachR = grow(e.reachR, m)
	e.reachL = grow(e.reachL, m)
	r := math.Inf(-1)
	for j := range m {
		if j != at {
			r = max(r, mu[j]+c*e.sigma[j])
		}
		e.reachR[j] = r
	}
	l := math.Inf(1)
	for j := m - 1; j >= 0; j-- {
		if j != at {
			l = min(l, mu[j]-c*e.sigma[j])
		}
		e.reachL[j] = l
	}
}

// sample draws one value: a component by weight, then a value of its
// normal truncated to [lo, hi]. A component whose bounds are both more
// than 9σ away is sampled as a plain normal; the others by inversion,
// which is accurate because every component's mean lies in [lo, hi], so
// the truncated interval holds the mode.
func (e *parzen) sample(rng *rand.Rand) float64 {
	i, _ := slices.BinarySearch(e.cum, rng.Float64())
	i = min(i, len(e.cum)-1)
	return truncNormal(rng, e.mu[i], e.sigma[i], e.lo, e.hi)
}

// truncNormal draws from N(mu, s²) truncated to [lo, hi], mu in [lo, hi].
func truncNormal(rng *rand.Rand, mu, s, lo, hi float64) float64 {
	lower, upper := tails(mu, s, lo, hi)
	var x float64
	if lower == 0 && upper == 0 {
		x = mu + s*rng.NormFloat64()
	} else {
		p := lower + rng.Float64()*(1-lower-upper)
		x = mu + s*math.Sqrt2*math.Erfinv(2*p-1)
		if math.IsNaN(x) {
			x = mu
		}
	}
	return min(max(x, lo), hi)
}

// pdfCut is the exponent beyond which pdf skips a component: d²/2σ² ≥
// pdfCut, i.e. farther than √(2 pdfCut) = 8 σ.
const pdfCut = 32

// pdf returns the density at x. The prior component keeps it above
// w_prior φ(½)/(hi−lo) ≥ 0.35/((n+1)(hi−lo)), and every coefficient is
// at most 0.8 min(100, n+2)/(hi−lo) (σ ≥ (hi−lo)/min(100, n+2) and a
// truncated mass ≥ ½), so skipping the components farther than 8σ, each
// below e^−32 times its coefficient, changes the density by less than a
// relative 1e-8; the reach tables restrict the loop to the components
// that may be nearer. Ratios of two estimators' densities are therefore
// well defined and accurate.
func (e *parzen) pdf(x float64) float64 {
	mu := e.mu
	// The first component whose reach to the right passes x, and the
	// last whose reach to the left does.
	from, _ := slices.BinarySearch(e.reachR, x)
	to, _ := slices.BinarySearch(e.reachL, x)
	d := x - mu[e.prior]
	sum := e.coef[e.prior] * expNeg(d*d*e.inv[e.prior])
	if from >= to {
		return sum
	}
	// The observation components on either side of the prior's.
	if p := min(e.prior, to); from < p {
		sum += mixtureSum(x, mu[from:p], e.coef[from:p], e.inv[from:p])
	}
	if p := max(e.prior+1, from); p < to {
		sum += mixtureSum(x, mu[p:to], e.coef[p:to], e.inv[p:to])
	}
	return sum
}

// mixtureSum returns Σ coef_i exp(−(x − mu_i)² inv_i) over the terms
// whose exponent is below pdfCut.
func mixtureSum(x float64, mu, coef, inv []float64) float64 {
	coef, inv = coef[:len(mu)], inv[:len(mu)]
	var sum float64
	for i, m := range mu {
		d := x - m
		if t := d * d * inv[i]; t < pdfCut {
			sum += coef[i] * expNeg(t)
		}
	}
	return sum
}

// categorical is a smoothed categorical distribution over k candidates:
// a mixture of one component per observation, each putting mass
// (1 + prior/k)/(1 + prior) on the observed candidate and
// (prior/k)/(1 + prior) on each other, plus a uniform prior component
// (Optuna's estimator for categorical parameters).
type categorical struct {
	p   []float64
	cum []float64
}

// fit builds the distribution over k candidates from observed indices
// cs with weights ws and the prior weight.
func (c *categorical) fit(k int, cs []int, ws []float64, priorWeight float64) {
	c.p = grow(c.p, k)
	c.cum = grow(c.cum, k)
	total := priorWeight
	for _, w := range ws {
		total += w
	}
	base := priorWeight / total / float64(k) // the prior component
	var obs float64
	for _, w := range ws {
		obs += w
	}
	base += obs / total * (priorWeight / float64(k)) / (1 + priorWeight)
	for i := range k {
		c.p[i] = base
	}
	for j, ci := range cs {
		c.p[ci] += ws[j] / total / (1 + priorWeight)
	}
	acc := 0.0
	for i := range k {
		acc += c.p[i]
		c.cum[i] = acc
	}
	for i := range k {
		c.cum[i] /= acc
	}
	c.cum[k-1] = 1
}

func (c *categorical) sample(rng *rand.Rand) int {
	i, _ := slices.BinarySearch(c.cum, rng.Float64())
	return min(i, len(c.cum)-1)
}

// exp2Table[i] is 2^(−i/256).
var exp2Table = func() (t [256]float64) {
	for i := range t {
		t[i] = math.Exp2(-float64(i) / 256)
	}
	return t
}()

// expNeg returns e^−t for 0 ≤ t < 700 within a relative 3e-12, about
// three times faster than math.Exp: e^−t = 2^−u with u = t log₂e split
// into whole, 1/256ths (from a table) and a remainder below 1/256 (a
// cubic).
func expNeg(t float64) float64 {
	u := t * (256 * math.Log2E)
	k := int64(u)
	r := (u - float64(k)) * (math.Ln2 / 256)
	p := 1 - r*(1-r*(0.5-r*(1.0/6)))
	v := exp2Table[k&255] * p
	return math.Float64frombits(math.Float64bits(v) - uint64(k>>8)<<52)
}

// tails returns the masses of N(mu, s²) below lo and above hi (mu in
// [lo, hi]), within 1e-10.
func tails(mu, s, lo, hi float64) (lower, upper float64) {
	return normTail((mu - lo) / s), normTail((hi - mu) / s)
}

// normTailStep is the step of normTailTable: 1/64.
const normTailStep = 1.0 / 64

// normTailTable holds 1 − Φ(d) at d = 0, 1/64, …, 9 and its derivative
// −φ(d) times the step.
var normTailTable = func() (t [9*64 + 1][2]float64) {
	for i := range t {
		d := float64(i) * normTailStep
		t[i] = [2]float64{0.5 * math.Erfc(d/math.Sqrt2), -math.Exp(-0.5*d*d) / math.Sqrt(2*math.Pi) * normTailStep}
	}
	return t
}()

// normTail returns 1 − Φ(d), the mass of the standard normal above
// d ≥ 0, within 1e-10 (absolute), by cubic Hermite interpolation in a
// table, about five times faster than math.Erfc; 0 beyond 9 (where it is
// below 1e-19).
func normTail(d float64) float64 {
	if !(d < 9) {
		return 0
	}
	f := d * (1 / normTailStep)
	i := int(f)
	t := f - float64(i)
	y0, g0 := normTailTable[i][0], normTailTable[i][1]
	y1, g1 := normTailTable[i+1][0], normTailTable[i+1][1]
	t2, t3 := t*t, t*t*t
	return (2*t3-3*t2+1)*y0 + (t3-2*t2+t)*g0 + (-2*t3+3*t2)*y1 + (t3-t2)*g1
}

// grow returns s resliced to length n, reallocated if it is too short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, 2*n)
	}
	return s[:n]
}
