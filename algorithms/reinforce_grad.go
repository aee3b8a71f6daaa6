package algorithms

import (
	"math"

	"github.com/c2602f9e/goglove/space"
)

// policyGrad accumulates a gradient over a Reinforce's parameters: the
// logits of the OneOf decisions and (mean, log std) of the Gaussians.
type policyGrad struct {
	logits map[*space.DecisionPoint][]float64
	gauss  map[*space.DecisionPoint]*[2]float64
}

func newPolicyGrad() *policyGrad {
	return &policyGrad{logits: map[*space.DecisionPoint][]float64{}, gauss: map[*space.DecisionPoint]*[2]float64{}}
}

// accumulate adds w·∇ log π(ds) + ent·∇ H over the decisions ds took.
func (r *Reinforce) accumulate(g *policyGrad, points []*space.DecisionPoint, ds []space.DNA, w, ent float64) {
	for i, p := range points {
		if gs, ok := r.gauss[p]; ok {
			dm, ds := gs.grad(p, ds[i].Value, w, ent)
			acc := g.gauss[p]
			if acc == nil {
				acc = new([2]float64)
				g.gauss[p] = acc
			}
			acc[0] += dm
			acc[1] += ds
			continue
		}
		if p.Kind != space.KindOneOf {
			continue
		}
		c := int(ds[i].Value)
		probs := softmax(r.logits[p])
		var h float64
		for _, q := range probs {
			if q > 0 {
				h -= q * math.Log(q)
			}
		}
		acc := g.logits[p]
		if acc == nil {
			acc = make([]float64, len(probs))
			g.logits[p] = acc
		}
		for j, q := range probs {
			gj := -q
			if j == c {
				gj++
			}
			dh := 0.0
			if q > 0 {
				dh = -q * (math.Log(q) + h)
			}
			acc[j] += w*gj + ent*dh
		}
		r.accumulate(g, p.Candidates[c].Points, ds[i].Children, w, ent)
	}
}

// apply moves the parameters by lr times g.
func (r *Reinforce) apply(g *policyGrad, lr float64) {
	for p, acc := range g.logits {
		theta := r.logits[p]
		for j, v := range acc {
			theta[j] += lr * v
		}
	}
	for p, acc := range g.gauss {
		r.gauss[p].step(lr, acc[0], acc[1])
	}
}

// logProb is log π(ds) under the current policy (the Gaussians' log
// densities on the unit range; ManyOf and Permutation decisions, drawn
// uniformly, count 0).
func (r *Reinforce) logProb(points []*space.DecisionPoint, ds []space.DNA) float64 {
	var lp float64
	for i, p := range points {
		if g, ok := r.gauss[p]; ok {
			lp += g.logProb(p, ds[i].Value)
			continue
		}
		if p.Kind != space.KindOneOf {
			continue
		}
		c := int(ds[i].Value)
		lp += math.Log(softmax(r.logits[p])[c])
		lp += r.logProb(p.Candidates[c].Points, ds[i].Children)
	}
	return lp
}
