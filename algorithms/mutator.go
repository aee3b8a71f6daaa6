package algorithms

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
)

// A Mutator changes a DNA a little: with a selector and a recombinator,
// one of the operators evolution is built from.
//
// Mutators are small values holding only their configuration; they are
// safe for concurrent use when the random sources passed to them are not
// shared.
type Mutator interface {
	// Mutate returns a changed copy of parent, a valid DNA of spec, and
	// leaves parent as it is. parent must be a valid DNA of spec.
	Mutate(rng *rand.Rand, spec *space.DNASpec, parent space.DNA) space.DNA
}

var _ Mutator = Uniform{}

// Uniform is the standard mutator: it picks Count decisions uniformly
// among the active decision points of the parent (those on its chosen
// path: the points inside a candidate it did not choose are not active)
// that Where selects and that can change, and changes each:
//
//   - OneOf: another candidate, uniformly; the decisions inside the newly
//     chosen candidate are drawn fresh, as by DNASpec.Random.
//   - Permutation: two positions swap (each candidate keeps its inner
//     decisions).
//   - ManyOf: one chosen candidate is replaced by another one (distinct
//     when the choice is distinct; re-sorted when it is sorted), its
//     inner decisions drawn fresh, or, when the order matters, two slots
//     with different candidates swap; one of the two at random when both
//     are possible.
//   - Float: a Gaussian step of standard deviation Sigma times the width
//     of the range, of the logarithm on the log scale, reflected at the
//     bounds (a step past a bound comes back from it), so that no value
//     is likelier than its neighbours and two children of one parent
//     never share a value by landing on a bound.
//   - Int: the same step rounded, at least ±1, clipped to the bounds.
//
// A numeric decision always ends up changed (a step clipped back to the
// value it started from is taken the other way), so the child differs
// from its parent whenever the parent has an active point that Where
// selects and that can change; otherwise it is a copy of the parent. The
// decisions inside a newly chosen candidate are drawn whatever Where
// says: they did not exist before.
type Uniform struct {
	// Where restricts the mutation to the decision points it selects, e.g.
	// space.ByHints("arch"). If it is nil, every point may change.
	Where space.Where `sym:"-"`
	// Count is the number of decisions changed, distinct active points.
	// If it is 0, a default of 1 is used; a parent with fewer mutable
	// active points has them all changed.
	Count int `min:"0" max:"1000000" doc:"decision points changed per mutation (default 1)"`
	// Sigma is the standard deviation of a numeric step as a fraction of
	// the decision's range. If it is not positive, a default of 0.1 is
	// used.
	Sigma float64 `min:"0" max:"1000" doc:"standard deviation of a numeric step, as a fraction of the range (0: the default, 0.1)"`
}

// mutSite is a decision of the child that a mutation may change.
type mutSite struct {
	p *space.DecisionPoint
	d *space.DNA
}

// Mutate returns a copy of parent with Count decisions changed.
func (u Uniform) Mutate(rng *rand.Rand, spec *space.DNASpec, parent space.DNA) space.DNA {
	child := parent.Clone()
	var buf [16]mutSite
	sites := u.sites(buf[:0], spec.Points, child.Children)
	if len(sites) == 0 {
		return child
	}
	count := max(u.Count, 1)
	count = min(count, len(sites))
	sigma := u.Sigma
	if !(sigma > 0) {
		sigma = 0.1
	}
	// Choose count distinct sites (a partial Fisher–Yates shuffle). A site
	// inside a subtree that an earlier change replaced is changed in the
	// discarded subtree, to no effect.
	for k := range count {
		j := k + rng.IntN(len(sites)-k)
		sites[k], sites[j] = sites[j], sites[k]
		mutatePoint(rng, sites[k].p, sites[k].d, sigma)
	}
	return child
}

// sites appends the active decisions of ds (for points) that Where
// selects and that can change, depth first.
func (u Uniform) sites(out []mutSite, points []*space.DecisionPoint, ds []space.DNA) []mutSite {
	for i, p := range points {
		d := &ds[i]
		if mutable(p) && (u.Where == nil || u.Where(p)) {
			out = append(out, mutSite{p, d})
		}
		switch p.Kind {
		case space.KindOneOf:
			if c := p.Candidates[int(d.Value)]; len(c.Points) > 0 {
				out = u.sites(out, c.Points, d.Children)
			}
		case space.KindManyOf, space.KindPermutation:
			for j := range d.Children {
				slot := &d.Children[j]
				if c := p.Candidates[int(slot.Value)]; len(c.Points) > 0 {
					out = u.sites(out, c.Points, slot.Children)
				}
			}
		}
	}
	return out
}

// mutable reports whether a decision of p can take another value.
func mutable(p *space.DecisionPoint) bool {
	n := len(p.Candidates)
	switch p.Kind {
	case space.KindOneOf, space.KindPermutation:
		return n >= 2
	case space.KindManyOf:
		if p.Distinct {
			return n > p.K || (!p.Sorted && p.K >= 2)
		}
		return n >= 2
	}
	return p.Max > p.Min
}

// mutatePoint changes the decision d of p, which must be mutable.
func mutatePoint(rng *rand.Rand, p *space.DecisionPoint, d *space.DNA, sigma float64) {
	switch p.Kind {
	case space.KindOneOf:
		*d = randomSlot(rng, p, otherIndex(rng, len(p.Candidates), int(d.Value)))
	case space.KindPermutation:
		a, b := twoPositions(rng, len(d.Children))
		d.Children[a], d.Children[b] = d.Children[b], d.Children[a]
	case space.KindManyOf:
		mutateMany(rng, p, d.Children)
	case space.KindInt:
		d.Value = stepInt(rng, p, d.Value, sigma)
	case space.KindFloat:
		d.Value = stepFloat(rng, p, d.Value, sigma)
	}
}

// otherIndex returns an index in [0, n) other than cur, uniformly.
func otherIndex(rng *rand.Rand, n, cur int) int {
	i := rng.IntN(n - 1)
	if i >= cur {
		i++
	}
	return i
}

// twoPositions returns two distinct positions in [0, n), n ≥ 2.
func twoPositions(rng *rand.Rand, n int) (int, int) {
	a := rng.IntN(n)
	return a, otherIndex(rng, n, a)
}

// mutateMany replaces one slot of a ManyOf, or swaps two slots, keeping
// its constraints.
func mutateMany(rng *rand.Rand, p *space.DecisionPoint, slots []space.DNA) {
	n, k := len(p.Candidates), len(slots)
	canReplace := n >= 2 && (!p.Distinct || n > k)
	canSwap := !p.Sorted && k >= 2 && (p.Distinct || !allSame(slots))
	if canSwap && (!canReplace || rng.IntN(2) == 0) {
		for {
			a, b := twoPositions(rng, k)
			if slots[a].Value != slots[b].Value {
				slots[a], slots[b] = slots[b], slots[a]
				return
			}
		}
	}
	j := rng.IntN(k)
	var next int
	if p.Distinct {
		// The r-th candidate not chosen by any slot.
		used := make([]bool, n)
		for _, s := range slots {
			used[int(s.Value)] = true
		}
		r := rng.IntN(n - k)
		for i, u := range used {
			if !u {
				if r == 0 {
					next = i
					break
				}
				r--
			}
		}
	} else {
		next = otherIndex(rng, n, int(slots[j].Value))
	}
	slots[j] = randomSlot(rng, p, next)
	if p.Sorted {
		slices.SortStableFunc(slots, func(a, b space.DNA) int {
			switch {
			case a.Value < b.Value:
				return -1
			case a.Value > b.Value:
				return 1
			}
			return 0
		})
	}
}

func allSame(slots []space.DNA) bool {
	for _, s := range slots[1:] {
		if s.Value != slots[0].Value {
			return false
		}
	}
	return true
}

// stepFloat returns v moved by a Gaussian step reflected at the bounds,
// always changed.
func stepFloat(rng *rand.Rand, p *space.DecisionPoint, v, sigma float64) float64 {
	lo, hi, x := p.Min, p.Max, v
	if p.Scale == space.Log {
		lo, hi, x = math.Log(p.Min), math.Log(p.Max), math.Log(v)
	}
	width := hi - lo
	if math.IsInf(width, 0) {
		width = math.MaxFloat64
	}
	step := rng.NormFloat64() * sigma * width
	back := func(y float64) float64 {
		y = reflect(y, lo, hi, width)
		if p.Scale == space.Log {
			y = math.Exp(y)
		}
		return min(max(y, p.Min), p.Max)
	}
	if w := back(x + step); w != v {
		return w
	}
	if w := back(x - step); w != v {
		return w
	}
	// A step too small to move v: draw afresh, or as a last resort take
	// the bound farther from v.
	for range 8 {
		if w := randomFloat(rng, p); w != v {
			return w
		}
	}
	if v-p.Min > p.Max-v {
		return p.Min
	}
	return p.Max
}

// stepInt returns v moved by a rounded, clipped Gaussian step of at least
// one, always changed.
func stepInt(rng *rand.Rand, p *space.DecisionPoint, v, sigma float64) float64 {
	step := math.Round(rng.NormFloat64() * sigma * (p.Max - p.Min))
	if step == 0 {
		step = 1
		if rng.IntN(2) == 0 {
			step = -1
		}
	}
	if w := min(max(v+step, p.Min), p.Max); w != v {
		return w
	}
	return min(max(v-step, p.Min), p.Max)
}

// reflect folds y into [lo, hi] (of width w) by reflecting it at the
// bounds as often as needed; it clips what cannot be folded (an infinite
// y, or a range wider than the largest float).
func reflect(y, lo, hi, w float64) float64 {
	if y >= lo && y <= hi {
		return y
	}
	period := 2 * w
	if math.IsInf(y, 0) || math.IsNaN(y) || math.IsInf(period, 0) || w <= 0 {
		return min(max(y, lo), hi)
	}
	t := math.Mod(y-lo, period)
	if t < 0 {
		t += period
	}
	if t > w {
		t = period - t
	}
	return min(max(lo+t, lo), hi)
}
