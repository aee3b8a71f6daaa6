package algorithms

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
)

// This file holds multivariate TPE (Falkner, Klein and Hutter 2018;
// Optuna's multivariate=True): the numeric decisions at the top level of
// the space, which every result has, are drawn jointly from a mixture of
// products of truncated normals, so that correlations between them are
// learnt.

// tpeJoint is the joint estimator of the top-level numeric decisions.
type tpeJoint struct {
	points []int       // the decision points (indices in spec.All())
	lo, hi []float64   // their modelled intervals: [0, 1]
	isInt  []bool      // integer decisions are rounded
	l, g   jointParzen // good and bad estimators
	vals   []float64   // the values drawn for the current proposal
	x      []float64   // scratch: a candidate
	best   []float64
}

// jointParzen is a mixture of products of normals truncated to a box,
// one per observation plus a prior component: every observation shares
// one σ per dimension (Optuna's multivariate rule, 0.2 n^(−1/(d+4)) of
// the range, clipped like the univariate σ); the prior is centred with
// σ = range.
type jointParzen struct {
	d      int
	mu     []float64 // m×d component means, row major; the prior last
	sigma  []float64 // m×d
	inv    []float64 // m×d: 1/(2σ²)
	logC   []float64 // m: log(w / Π σ√(2π) Z)
	cum    []float64 // m: cumulative weights
	lo, hi []float64
}

// fit builds the estimator from the observations of rows (arrival
// indices) with their weights.
func (e *jointParzen) fit(obs []tpeObs, points []int, rows []int32, ws []float64, lo, hi []float64, priorWeight float64) {
	d := len(points)
	n := len(rows)
	m := n + 1
	e.d, e.lo, e.hi = d, lo, hi
	e.mu = grow(e.mu, m*d)
	e.sigma = grow(e.sigma, m*d)
	e.inv = grow(e.inv, m*d)
	e.logC = grow(e.logC, m)
	e.cum = grow(e.cum, m)
	scale := 0.2 * math.Pow(float64(max(n, 1)), -1/float64(d+4))
	total := priorWeight
	for _, w := range ws {
		total += w
	}
	acc := 0.0
	for j := range m {
		w := priorWeight
		if j < n {
			w = ws[j]
		}
		w /= total
		acc += w
		e.cum[j] = acc
		logC := math.Log(w)
		for k, pk := range points {
			width := hi[k] - lo[k]
			mu, s := 0.5*(lo[k]+hi[k]), width
			if j < n {
				mu = obs[pk].x[rows[j]]
				s = min(max(scale*width, width/min(100, float64(m+1))), width)
			}
			lower, upper := tails(mu, s, lo[k], hi[k])
			e.mu[j*d+k], e.sigma[j*d+k], e.inv[j*d+k] = mu, s, 1/(2*s*s)
			logC -= math.Log(s * math.Sqrt(2*math.Pi) * (1 - lower - upper))
		}
		e.logC[j] = logC
	}
	e.cum[m-1] = 1
}

// sample draws a point into x.
func (e *jointParzen) sample(rng *rand.Rand, x []float64) {
	j, _ := slices.BinarySearch(e.cum, rng.Float64())
	j = min(j, len(e.cum)-1)
	for k := range e.d {
		x[k] = truncNormal(rng, e.mu[j*e.d+k], e.sigma[j*e.d+k], e.lo[k], e.hi[k])
	}
}

// logPDF returns the log density at x, by log-sum-exp over components.
func (e *jointParzen) logPDF(x []float64, terms []float64) float64 {
	d := e.d
	top := math.Inf(-1)
	for j := range e.logC {
		var q float64
		mu, inv := e.mu[j*d:j*d+d], e.inv[j*d:j*d+d]
		for k, xk := range x {
			dk := xk - mu[k]
			q += dk * dk * inv[k]
		}
		terms[j] = e.logC[j] - q
		top = max(top, terms[j])
	}
	var sum float64
	for _, t := range terms[:len(e.logC)] {
		if u := top - t; u < 700 {
			sum += expNeg(u)
		}
	}
	return top + math.Log(sum)
}

// setupJoint prepares the joint estimator of the top-level numeric
// decisions that CMA-ES does not handle, if there are at least two.
func (t *TPE) setupJoint() {
	t.joint = nil
	var pts []int
	for _, p := range t.spec.Points {
		k := t.index[p]
		if (p.Kind == space.KindFloat || p.Kind == space.KindInt) && p.Min < p.Max && (t.handled == nil || !t.handled[k]) {
			pts = append(pts, k)
		}
	}
	if len(pts) < 2 {
		return
	}
	j := &tpeJoint{points: pts}
	all := t.spec.All()
	for _, k := range pts {
		j.lo = append(j.lo, 0) // the unit axis of toUnit
		j.hi = append(j.hi, 1)
		j.isInt = append(j.isInt, all[k].Kind == space.KindInt)
	}
	j.vals = make([]float64, len(pts))
	j.x = make([]float64, len(pts))
	j.best = make([]float64, len(pts))
	t.joint = j
	t.jointOf = make([]int, len(all))
	for i := range t.jointOf {
		t.jointOf[i] = -1
	}
	for i, k := range pts {
		t.jointOf[k] = i
	}
}

// sampleJoint draws the joint decisions into t.joint.vals (as values of
// the decisions), by the same rule as univariate TPE: NCandidates samples
// of l, the one with the largest l/g wins.
func (t *TPE) sampleJoint() {
	j := t.joint
	k0 := j.points[0] // every top-level point has every result
	n := t.split(k0)
	s := &t.scratch
	s.goodRows, s.badRows = s.goodRows[:0], s.badRows[:0]
	s.gw, s.bw = s.gw[:0], s.bw[:0]
	for r := range n {
		if s.good[r] {
			s.goodRows = append(s.goodRows, int32(r))
			s.gw = append(s.gw, s.w[r])
		} else {
			s.badRows = append(s.badRows, int32(r))
			s.bw = append(s.bw, s.w[r])
		}
	}
	j.l.fit(t.obs, j.points, s.goodRows, s.gw, j.lo, j.hi, t.prior)
	j.g.fit(t.obs, j.points, s.badRows, s.bw, j.lo, j.hi, t.prior)
	s.terms = grow(s.terms, n+1)
	all := t.spec.All()
	bestScore := math.Inf(-1)
	for range t.nCand {
		j.l.sample(t.rng, j.x)
		for i, isInt := range j.isInt {
			if isInt { // score the value proposed
				p := all[j.points[i]]
				j.x[i] = toUnit(p, fromUnit(p, j.x[i]))
			}
		}
		if score := j.l.logPDF(j.x, s.terms) - j.g.logPDF(j.x, s.terms); score > bestScore {
			bestScore = score
			copy(j.best, j.x)
		}
	}
	for i, k := range j.points {
		j.vals[i] = fromUnit(all[k], j.best[i])
	}
}
