package space

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Random draws a DNA uniformly at each decision: a uniform candidate for a
// OneOf (then the decisions inside it), a uniform k-subset or ordering for
// ManyOf and Permutation, a uniform value for an Int, and for a Float a
// uniform value (of its logarithm on the log scale). The same source state
// gives the same DNA.
func (s *DNASpec) Random(rng *rand.Rand) DNA {
	return DNA{Children: randomPoints(rng, s.Points)}
}

// Random draws this point's decision as DNASpec.Random does (and the
// decisions inside the chosen candidates). Search operators use it to
// redraw the part of a DNA a mutation or crossover newly chose.
func (p *DecisionPoint) Random(rng *rand.Rand) DNA { return randomPoint(rng, p) }

// RandomCandidate returns candidate i of the choice p, with the decisions
// inside it drawn as Random draws them.
func (p *DecisionPoint) RandomCandidate(rng *rand.Rand, i int) DNA { return randomSlot(rng, p, i) }

// RandomFloat draws a value of a Float or Int point as Random does.
func (p *DecisionPoint) RandomFloat(rng *rand.Rand) float64 { return randomPoint(rng, p).Value }

func randomPoints(rng *rand.Rand, points []*DecisionPoint) []DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]DNA, len(points))
	for i, p := range points {
		out[i] = randomPoint(rng, p)
	}
	return out
}

func randomSlot(rng *rand.Rand, p *DecisionPoint, i int) DNA {
	return DNA{Value: float64(i), Children: randomPoints(rng, p.Candidates[i].Points)}
}

func randomPoint(rng *rand.Rand, p *DecisionPoint) DNA {
	n := len(p.Candidates)
	switch p.Kind {
	case KindOneOf:
		return randomSlot(rng, p, rng.IntN(n))
	case KindManyOf, KindPermutation:
		idx := make([]int, p.K)
		if p.Distinct {
			perm := rng.Perm(n)
			copy(idx, perm[:p.K])
		} else {
			for j := range idx {
				idx[j] = rng.IntN(n)
			}
		}
		if p.Sorted {
			slices.Sort(idx)
		}
		d := DNA{Children: make([]DNA, p.K)}
		for j, i := range idx {
			d.Children[j] = randomSlot(rng, p, i)
		}
		return d
	case KindInt:
		return DNA{Value: p.Min + float64(rng.Int64N(int64(p.Max-p.Min)+1))}
	}
	u := rng.Float64()
	var v float64
	if p.Scale == Log {
		lo, hi := math.Log(p.Min), math.Log(p.Max)
		v = math.Exp(lo*(1-u) + hi*u)
	} else {
		v = p.Min*(1-u) + p.Max*u // no overflow, unlike min + u·(max−min)
	}
	if math.IsNaN(v) || v < p.Min {
		v = p.Min
	} else if v > p.Max {
		v = p.Max
	}
	return DNA{Value: v}
}
