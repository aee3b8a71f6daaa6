package algorithms

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
)

// NSGA-II's own variation operators, kept private: uniform crossover and
// uniform mutation over DNA trees. Both keep every child valid for the
// spec: a crossover takes each decision whole from one parent (descending
// into a choice only where both parents chose the same candidates), and a
// mutation that changes a choice draws the decisions inside the new
// candidate afresh.

// nsgaMutationIndex is the distribution index η_m of the polynomial
// mutation of numbers (Deb and Goyal 1996; 20 in Deb et al. 2002): the
// larger, the smaller the typical step.
const nsgaMutationIndex = 20

// nsgaRandomPoints draws the decisions of points as
// space.DNASpec.Random does.
func nsgaRandomPoints(rng *rand.Rand, points []*space.DecisionPoint) []space.DNA {
	return randomPoints(rng, points)
}

// nsgaRandomSlot returns candidate i of the choice p with the decisions
// inside it drawn at random.
func nsgaRandomSlot(rng *rand.Rand, p *space.DecisionPoint, i int) space.DNA {
	return p.RandomCandidate(rng, i)
}

// nsgaClamp returns v within p's bounds, and p.Min for a NaN.
func nsgaClamp(v float64, p *space.DecisionPoint) float64 {
	if math.IsNaN(v) || v < p.Min {
		return p.Min
	}
	return min(v, p.Max)
}

// nsgaCrossover returns the uniform crossover of the decisions a and b of
// points: each decision comes from either parent with probability 1/2. A
// choice on which the parents agree (same candidates, in the same order)
// is kept and the crossover goes on inside its candidates; otherwise the
// whole decision, subtree included, comes from one parent. The result
// shares nothing with a or b.
func nsgaCrossover(rng *rand.Rand, points []*space.DecisionPoint, a, b []space.DNA) []space.DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]space.DNA, len(points))
	for i, p := range points {
		out[i] = nsgaCrossPoint(rng, p, a[i], b[i])
	}
	return out
}

func nsgaCrossPoint(rng *rand.Rand, p *space.DecisionPoint, a, b space.DNA) space.DNA {
	switch p.Kind {
	case space.KindOneOf:
		if a.Value == b.Value {
			return nsgaCrossSlot(rng, p, a, b)
		}
	case space.KindManyOf, space.KindPermutation:
		if nsgaSameSlots(a, b) {
			d := space.DNA{Children: make([]space.DNA, len(a.Children))}
			for j := range a.Children {
				d.Children[j] = nsgaCrossSlot(rng, p, a.Children[j], b.Children[j])
			}
			return d
		}
	}
	if rng.IntN(2) == 0 {
		return a.Clone()
	}
	return b.Clone()
}

// nsgaCrossSlot crosses two slots of p that chose the same candidate.
func nsgaCrossSlot(rng *rand.Rand, p *space.DecisionPoint, a, b space.DNA) space.DNA {
	c := p.Candidates[int(a.Value)]
	return space.DNA{Value: a.Value, Children: nsgaCrossover(rng, c.Points, a.Children, b.Children)}
}

// nsgaSameSlots reports whether the ManyOf or Permutation decisions a and
// b chose the same candidates in the same order.
func nsgaSameSlots(a, b space.DNA) bool {
	if len(a.Children) != len(b.Children) {
		return false
	}
	for j := range a.Children {
		if a.Children[j].Value != b.Children[j].Value {
			return false
		}
	}
	return true
}

// nsgaCount returns the number of decisions made in ds, the decisions of
// points: every point counts once, and so do the points inside the chosen
// candidates.
func nsgaCount(points []*space.DecisionPoint, ds []space.DNA) int {
	n := 0
	for i, p := range points {
		n++
		switch p.Kind {
		case space.KindOneOf:
			n += nsgaCount(p.Candidates[int(ds[i].Value)].Points, ds[i].Children)
		case space.KindManyOf, space.KindPermutation:
			for _, slot := range ds[i].Children {
				n += nsgaCount(p.Candidates[int(slot.Value)].Points, slot.Children)
			}
		}
	}
	return n
}

// nsgaMutator mutates each decision of a DNA, in place, with probability
// prob: a OneOf moves to another candidate (drawing the decisions inside
// it afresh); a ManyOf replaces one choice by a candidate it may take (or,
// when it holds every candidate, swaps two choices if the order matters);
// a Permutation swaps two positions; a Float or an Int takes a polynomial
// mutation step (on the logarithm for the log scale), an Int always moving
// to another value. Decisions inside a changed candidate are drawn, not
// mutated.
type nsgaMutator struct {
	rng  *rand.Rand
	prob float64
}

func (m *nsgaMutator) points(points []*space.DecisionPoint, ds []space.DNA) {
	for i, p := range points {
		m.point(p, &ds[i])
	}
}

func (m *nsgaMutator) hit() bool { return m.rng.Float64() < m.prob }

func (m *nsgaMutator) point(p *space.DecisionPoint, d *space.DNA) {
	switch p.Kind {
	case space.KindOneOf:
		if n := len(p.Candidates); n > 1 && m.hit() {
			j := m.rng.IntN(n - 1)
			if j >= int(d.Value) {
				j++
			}
			*d = nsgaRandomSlot(m.rng, p, j)
			return
		}
		m.slot(p, d)
	case space.KindManyOf, space.KindPermutation:
		changed := -1
		if m.hit() {
			changed = m.choices(p, d)
		}
		for j := range d.Children {
			if j != changed {
				m.slot(p, &d.Children[j])
			}
		}
	case space.KindFloat, space.KindInt:
		if m.hit() {
			d.Value = nsgaMutateNumber(m.rng, p, d.Value)
		}
	}
}

// slot mutates the decisions inside the candidate a slot of p chose.
func (m *nsgaMutator) slot(p *space.DecisionPoint, d *space.DNA) {
	m.points(p.Candidates[int(d.Value)].Points, d.Children)
}

// choices changes one choice of a ManyOf or a Permutation d, keeping its
// constraints, and returns the position of a slot drawn afresh, or -1.
func (m *nsgaMutator) choices(p *space.DecisionPoint, d *space.DNA) int {
	k, n := len(d.Children), len(p.Candidates)
	swap := func() int {
		if k >= 2 && !p.Sorted {
			i := m.rng.IntN(k)
			j := m.rng.IntN(k - 1)
			if j >= i {
				j++
			}
			d.Children[i], d.Children[j] = d.Children[j], d.Children[i]
		}
		return -1
	}
	if p.Kind == space.KindPermutation {
		return swap()
	}
	pos := m.rng.IntN(k)
	cur := int(d.Children[pos].Value)
	var next int
	if p.Distinct {
		used := make([]bool, n)
		for _, s := range d.Children {
			used[int(s.Value)] = true
		}
		free := n - k
		if free <= 0 {
			return swap()
		}
		r := m.rng.IntN(free)
		for next = 0; ; next++ {
			if !used[next] {
				if r == 0 {
					break
				}
				r--
			}
		}
	} else {
		if n < 2 {
			return -1
		}
		next = m.rng.IntN(n - 1)
		if next >= cur {
			next++
		}
	}
	d.Children[pos] = nsgaRandomSlot(m.rng, p, next)
	if p.Sorted {
		fresh := d.Children[pos]
		slices.SortStableFunc(d.Children, func(a, b space.DNA) int {
			switch {
			case a.Value < b.Value:
				return -1
			case a.Value > b.Value:
				return 1
			}
			return 0
		})
		// Find the fresh slot again so the caller does not mutate it.
		for j := range d.Children {
			if d.Children[j].Value == fresh.Value {
				pos = j
				break
			}
		}
	}
	return pos
}

// nsgaMutateNumber returns x after a polynomial mutation within p's
// bounds (Deb's bounded variant), on the logarithm for the log scale. An
// Int is rounded and, when the step rounds to nothing, moved by one.
func nsgaMutateNumber(rng *rand.Rand, p *space.DecisionPoint, x float64) float64 {
	lo, hi := p.Min, p.Max
	if !(hi > lo) {
		return x
	}
	y := x
	logScale := p.Kind == space.KindFloat && p.Scale == space.Log
	if logScale {
		lo, hi, y = math.Log(lo), math.Log(hi), math.Log(x)
	}
	// Bounds such as ±1e308 are more than MaxFloat64 apart: work on
	// halves, exactly, then.
	half := math.IsInf(hi-lo, 0)
	if half {
		lo, hi, y = lo/2, hi/2, y/2
	}
	span := hi - lo
	d1, d2 := (y-lo)/span, (hi-y)/span
	u := rng.Float64()
	pow := 1.0 / (nsgaMutationIndex + 1)
	var dq float64
	if u < 0.5 {
		v := 2*u + (1-2*u)*math.Pow(1-d1, nsgaMutationIndex+1)
		dq = math.Pow(v, pow) - 1
	} else {
		v := 2*(1-u) + 2*(u-0.5)*math.Pow(1-d2, nsgaMutationIndex+1)
		dq = 1 - math.Pow(v, pow)
	}
	y = min(max(y+dq*span, lo), hi)
	if half {
		y *= 2
	}
	if logScale {
		y = math.Exp(y)
	}
	v := nsgaClamp(y, p)
	if p.Kind == space.KindInt {
		v = math.Round(v)
		if v == x {
			switch {
			case x >= p.Max:
				v = x - 1
			case x <= p.Min:
				v = x + 1
			case dq < 0:
				v = x - 1
			default:
				v = x + 1
			}
		}
	}
	return v
}
