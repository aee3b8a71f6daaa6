package algorithms

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// This file holds the (μ/μ_w, λ)-CMA-ES itself (Hansen, "The CMA Evolution
// Strategy: A Tutorial", 2016), on the unit box [0, 1]^n: sampling,
// the update from one generation's ranked solutions, and the tests that
// call for a restart.

// cmaState is one run of CMA-ES between restarts.
type cmaState struct {
	n, lambda, mu int
	weights       []float64 // λ recombination weights: μ positive summing to 1, then negative ones
	mueff         float64
	cc, cs        float64 // learning rates of the paths
	c1, cmu       float64 // rank-one and rank-μ learning rates
	damps, chiN   float64

	mean   []float64
	sigma  float64
	sigma0 float64
	c      []float64 // covariance, n×n row major
	b      []float64 // its eigenvectors, as columns, n×n row major
	d      []float64 // square roots of its eigenvalues
	pc, ps []float64
	gen    int // generations told

	// For the stopping tests: the best value of each generation, and the
	// values of the last one.
	bests []float64
	last  []float64

	eig   mat.EigenSym
	ev    mat.Dense
	tmp   []float64
	y     []float64 // the last step drawn
	haveY bool      // y is yet to be mirrored
}

// newCMAState starts a run on n ≥ 1 coordinates with population lambda
// (0: the default 4 + ⌊3 ln n⌋), mean and step size sigma.
func newCMAState(n, lambda int, mean []float64, sigma float64) *cmaState {
	if lambda <= 0 {
		lambda = 4 + int(3*math.Log(float64(n)))
	}
	s := &cmaState{n: n, lambda: lambda, mu: lambda / 2}
	fn := float64(n)
	// Weights (Hansen 2016, eq. 49–53): positive for the μ best, summing
	// to 1; negative for the others (active CMA), scaled so that the
	// covariance stays positive definite.
	raw := make([]float64, lambda)
	var pos, neg, pos2, neg2 float64
	for i := range raw {
		raw[i] = math.Log(float64(lambda+1)/2) - math.Log(float64(i+1))
		if i < s.mu {
			pos += raw[i]
			pos2 += raw[i] * raw[i]
		} else {
			neg -= raw[i]
			neg2 += raw[i] * raw[i]
		}
	}
	s.mueff = pos * pos / pos2
	mueffNeg := 0.0
	if neg2 > 0 {
		mueffNeg = neg * neg / neg2
	}
	s.cc = (4 + s.mueff/fn) / (fn + 4 + 2*s.mueff/fn)
	s.cs = (s.mueff + 2) / (fn + s.mueff + 5)
	s.c1 = 2 / ((fn+1.3)*(fn+1.3) + s.mueff)
	s.cmu = min(1-s.c1, 2*(s.mueff-2+1/s.mueff)/((fn+2)*(fn+2)+s.mueff))
	s.damps = 1 + 2*max(0, math.Sqrt((s.mueff-1)/(fn+1))-1) + s.cs
	alphaMu := 1 + s.c1/s.cmu
	alphaMueff := 1 + 2*mueffNeg/(s.mueff+2)
	alphaPosDef := (1 - s.c1 - s.cmu) / (fn * s.cmu)
	negScale := min(alphaMu, alphaMueff, alphaPosDef)
	s.weights = make([]float64, lambda)
	for i, w := range raw {
		if i < s.mu {
			s.weights[i] = w / pos
		} else if neg > 0 {
			s.weights[i] = negScale * w / neg
		}
	}
	s.chiN = math.Sqrt(fn) * (1 - 1/(4*fn) + 1/(21*fn*fn))

	s.mean = slices.Clone(mean)
	s.sigma, s.sigma0 = sigma, sigma
	s.c = make([]float64, n*n)
	s.b = make([]float64, n*n)
	s.d = make([]float64, n)
	for i := range n {
		s.c[i*n+i] = 1
		s.b[i*n+i] = 1
		s.d[i] = 1
	}
	s.pc = make([]float64, n)
	s.ps = make([]float64, n)
	s.tmp = make([]float64, n)
	s.y = make([]float64, n)
	return s
}

// sample draws a solution x ~ N(mean, σ² C) into x, inside the unit
// box. Samples come in mirrored pairs (Brockhoff, Auger, Hansen, Arnold
// and Hohm 2010): every other call returns m − σy for the step σy of the
// call before, when mirrored is set and that point is inside the box.
// Otherwise a fresh step is drawn, up to maxResample times until the
// point is inside, and the last one is clipped (as the cmaes library
// behind Optuna and goptuna does).
func (s *cmaState) sample(rng *rand.Rand, x []float64, mirrored bool) {
	const maxResample = 100
	n := s.n
	if mirrored && s.haveY {
		s.haveY = false
		if s.place(x, -1) {
			return
		}
	}
	z := s.tmp
	for try := 0; ; try++ {
		for i := range n {
			z[i] = s.d[i] * rng.NormFloat64()
		}
		for i := range n {
			var y float64
			row := s.b[i*n : i*n+n]
			for j, bij := range row {
				y += bij * z[j]
			}
			s.y[i] = y
		}
		if s.place(x, 1) {
			s.haveY = mirrored
			return
		}
		if try == maxResample {
			for i := range x {
				x[i] = min(max(x[i], 0), 1)
			}
			return
		}
	}
}

// place sets x = m + sign σ y and reports whether x is inside the box.
func (s *cmaState) place(x []float64, sign float64) bool {
	inside := true
	for i, y := range s.y {
		x[i] = s.mean[i] + sign*s.sigma*y
		if x[i] < 0 || x[i] > 1 {
			inside = false
		}
	}
	return inside
}

// tell updates the distribution from one generation: λ solutions xs
// and their values fs, to minimize (the order of the pairs is free).
func (s *cmaState) tell(xs [][]float64, fs []float64) {
	n := s.n
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case fs[a] < fs[b]:
			return -1
		case fs[a] > fs[b]:
			return 1
		}
		return 0
	})
	s.haveY = false // a new distribution: no mirror of an old step
	s.gen++
	s.bests = append(s.bests, fs[order[0]])
	s.last = append(s.last[:0], fs...)

	// Steps y_k = (x_k − m)/σ of every solution, best first, and the
	// weighted mean of the μ best.
	ys := make([][]float64, len(order))
	yw := make([]float64, n)
	for k, o := range order {
		y := make([]float64, n)
		x := xs[o]
		for i := range n {
			y[i] = (x[i] - s.mean[i]) / s.sigma
		}
		if k < s.mu {
			for i := range n {
				yw[i] += s.weights[k] * y[i]
			}
		}
		ys[k] = y
	}
	for i := range n {
		s.mean[i] += s.sigma * yw[i]
	}

	// C^{-1/2} yw = B D⁻¹ Bᵀ yw.
	invSqrt := func(dst, y []float64) {
		bty := s.tmp
		for j := range n {
			var v float64
			for i := range n {
				v += s.b[i*n+j] * y[i]
			}
			bty[j] = v / s.d[j]
		}
		for i := range n {
			var v float64
			row := s.b[i*n : i*n+n]
			for j, bij := range row {
				v += bij * bty[j]
			}
			dst[i] = v
		}
	}
	csn := math.Sqrt(s.cs * (2 - s.cs) * s.mueff)
	ciy := make([]float64, n)
	invSqrt(ciy, yw)
	var psNorm float64
	for i := range n {
		s.ps[i] = (1-s.cs)*s.ps[i] + csn*ciy[i]
		psNorm += s.ps[i] * s.ps[i]
	}
	psNorm = math.Sqrt(psNorm)
	hsig := 0.0
	if psNorm/math.Sqrt(1-math.Pow(1-s.cs, float64(2*s.gen))) < (1.4+2/float64(n+1))*s.chiN {
		hsig = 1
	}
	ccn := math.Sqrt(s.cc * (2 - s.cc) * s.mueff)
	for i := range n {
		s.pc[i] = (1-s.cc)*s.pc[i] + hsig*ccn*yw[i]
	}

	// The weights of the rank-μ update: a negative weight is rescaled by
	// n/‖C^{-1/2} y‖², so that bad steps shrink C by a bounded amount.
	wc := make([]float64, len(ys))
	var wsum float64
	for k, w := range s.weights[:len(ys)] {
		wsum += w
		wc[k] = w
		if w < 0 {
			invSqrt(ciy, ys[k])
			var q float64
			for _, v := range ciy {
				q += v * v
			}
			wc[k] = w * float64(n) / max(q, 1e-300)
		}
	}

	// C ← (1 + c1 δ(hσ) − c1 − cμ Σw) C + c1 pc pcᵀ + cμ Σ w°_k y_k y_kᵀ.
	decay := 1 + (1-hsig)*s.c1*s.cc*(2-s.cc) - s.c1 - s.cmu*wsum
	for i := range n {
		for j := 0; j <= i; j++ {
			v := decay*s.c[i*n+j] + s.c1*s.pc[i]*s.pc[j]
			var r float64
			for k, y := range ys {
				if wc[k] != 0 {
					r += wc[k] * y[i] * y[j]
				}
			}
			v += s.cmu * r
			s.c[i*n+j] = v
			s.c[j*n+i] = v
		}
	}

	s.sigma *= math.Exp(min(1, (s.cs/s.damps)*(psNorm/s.chiN-1)))
	s.decompose()
}

// decompose refreshes B and D from C. If the decomposition fails, C is
// reset to the identity scaled by its mean variance.
func (s *cmaState) decompose() {
	n := s.n
	sym := mat.NewSymDense(n, s.c)
	if !s.eig.Factorize(sym, true) {
		s.resetC()
		return
	}
	s.eig.VectorsTo(&s.ev)
	vals := s.eig.RawValues()
	for j := range n {
		s.d[j] = math.Sqrt(max(vals[j], 1e-20))
	}
	for i := range n {
		for j := range n {
			s.b[i*n+j] = s.ev.At(i, j)
		}
	}
}

func (s *cmaState) resetC() {
	n := s.n
	var tr float64
	for i := range n {
		tr += s.c[i*n+i]
	}
	v := max(tr/float64(n), 1e-20)
	clear(s.c)
	clear(s.b)
	for i := range n {
		s.c[i*n+i] = v
		s.b[i*n+i] = 1
		s.d[i] = math.Sqrt(v)
	}
}

// stop reports whether the run has converged or stalled, by the
// standard tests: TolX (every coordinate's σ and path below 1e-12 σ0),
// TolFun (the generation's values and the recent bests within 1e-12),
// ConditionCov (above 1e14), NoEffectCoord (adding 0.2 σ √C_ii to a
// coordinate of the mean leaves it unchanged), NoEffectAxis (so does
// adding 0.1 σ D_i along the i-th axis, one axis per generation in
// turn), and a collapsed or exploded step size (σ D_max above 1e4).
func (s *cmaState) stop() bool {
	n := s.n
	if s.gen == 0 {
		return false
	}
	if s.sigma <= 0 || math.IsNaN(s.sigma) || math.IsInf(s.sigma, 0) {
		return true
	}
	dmax, dmin := slices.Max(s.d), slices.Min(s.d)
	if s.sigma*dmax > 1e4 {
		return true
	}
	tolx := 1e-12 * s.sigma0
	small := true
	for i := range n {
		if s.sigma*math.Sqrt(s.c[i*n+i]) >= tolx || s.sigma*math.Abs(s.pc[i]) >= tolx {
			small = false
			break
		}
	}
	if small {
		return true
	}
	hist := 10 + int(math.Ceil(30*float64(n)/float64(s.lambda)))
	if len(s.bests) >= hist {
		recent := s.bests[len(s.bests)-hist:]
		lo := min(slices.Min(recent), slices.Min(s.last))
		hi := max(slices.Max(recent), slices.Max(s.last))
		if hi-lo < 1e-12 {
			return true
		}
	}
	if dmax*dmax > 1e14*dmin*dmin {
		return true
	}
	for i := range n {
		if s.mean[i] == s.mean[i]+0.2*s.sigma*math.Sqrt(s.c[i*n+i]) {
			return true
		}
	}
	axis := s.gen % n
	effect := false
	for i := range n {
		if s.mean[i] != s.mean[i]+0.1*s.sigma*s.d[axis]*s.b[i*n+axis] {
			effect = true
			break
		}
	}
	return !effect
}
