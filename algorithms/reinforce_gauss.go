package algorithms

import (
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// gaussian is the policy of one Float or Int decision: a normal
// distribution on the decision's unit range (0 its min, 1 its max, the
// logarithms' range on the log scale), of learned mean and log standard
// deviation.
type gaussian struct{ mu, logStd float64 }

// The Gaussians' starting point and bounds on the unit range.
const (
	gaussInitMean   = 0.5
	gaussInitStd    = 0.3
	gaussMinLogStd  = -7 // std ≈ 0.0009
	gaussMaxLogStd  = 0  // std 1
	gaussMeanMargin = 0
)

func newGaussian() *gaussian { return &gaussian{mu: gaussInitMean, logStd: math.Log(gaussInitStd)} }

// draw samples a value of p.
func (g *gaussian) draw(rng *rand.Rand, p *space.DecisionPoint) float64 {
	return fromUnit(p, reflectUnit(g.mu+math.Exp(g.logStd)*rng.NormFloat64()))
}

// logProb is the log density of the value v of p on the unit range (the
// density of the unreflected, unrounded draw at v's point: the
// reflection and rounding are ignored).
func (g *gaussian) logProb(p *space.DecisionPoint, v float64) float64 {
	z := (toUnit(p, v) - g.mu) / math.Exp(g.logStd)
	return -0.5*z*z - g.logStd - 0.5*math.Log(2*math.Pi)
}

// grad returns the natural gradient (the gradient preconditioned by the
// inverse Fisher information, diag(σ², 1/2)) of w·log π(v) + ent·H(π)
// with respect to (mean, log std).
func (g *gaussian) grad(p *space.DecisionPoint, v, w, ent float64) (dMu, dLogStd float64) {
	d := toUnit(p, v) - g.mu
	s2 := math.Exp(2 * g.logStd)
	return w * d, 0.5 * (w*(d*d/s2-1) + ent)
}

// step moves g by lr times the gradient, within the bounds.
func (g *gaussian) step(lr, dMu, dLogStd float64) {
	g.mu = math.Max(-gaussMeanMargin, math.Min(1+gaussMeanMargin, g.mu+lr*dMu))
	g.logStd = math.Max(gaussMinLogStd, math.Min(gaussMaxLogStd, g.logStd+lr*dLogStd))
}

// clampUnit keeps a point on the unit range (NaN to its middle).
func clampUnit(u float64) float64 {
	if math.IsNaN(u) {
		return gaussInitMean
	}
	return math.Max(0, math.Min(1, u))
}

// reflectUnit folds a draw into the unit range by reflection at its
// ends (so a policy at a bound does not draw the bound itself again and
// again, as clamping would).
func reflectUnit(u float64) float64 {
	if math.IsNaN(u) || math.IsInf(u, 0) {
		return gaussInitMean
	}
	t := math.Mod(math.Abs(u), 2)
	if t > 1 {
		t = 2 - t
	}
	return t
}
