package algorithms

import (
	"math"

	"github.com/c2602f9e/goglove/space"
)

// ppoSample is one result of a PPO batch: its DNA and advantage.
type ppoSample struct {
	dna space.DNA
	adv float64
}

// ppoFeedback adds a result to the batch and, when the batch is full,
// takes Epochs steps on the clipped surrogate and empties it.
func (r *Reinforce) ppoFeedback(d space.DNA, adv, lr, ent float64) {
	r.batch = append(r.batch, ppoSample{dna: d, adv: adv})
	if len(r.batch) < orInt(r.Batch, 8) {
		return
	}
	clip := orFloat(r.Clip, 0.2)
	n := float64(len(r.batch))
	old := make([]float64, len(r.batch))
	for i, s := range r.batch {
		old[i] = r.logProb(r.spec.Points, s.dna.Children)
	}
	for range orInt(r.Epochs, 4) {
		g := newPolicyGrad()
		for i, s := range r.batch {
			ratio := math.Exp(r.logProb(r.spec.Points, s.dna.Children) - old[i])
			w := s.adv * ratio / n
			// Where the clipped term is the smaller, the surrogate is
			// flat in θ: no gradient but the entropy's.
			if (s.adv > 0 && ratio > 1+clip) || (s.adv < 0 && ratio < 1-clip) {
				w = 0
			}
			r.accumulate(g, r.spec.Points, s.dna.Children, w, ent/n)
		}
		r.apply(g, lr)
	}
	r.batch = r.batch[:0]
}
