package algorithms

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// A Selector chooses members of a population, the first step of an
// evolution: parents to reproduce, or members to remove. Members are
// compared by their primary reward (Rewards[0], larger is better); a
// failed member, or one whose primary reward is NaN, ranks below every
// other.
//
// Selectors are small values holding only their configuration; they are
// safe for concurrent use when the random sources passed to them are not
// shared.
type Selector interface {
	// Select returns the indices in pop of n chosen members (fewer only
	// when a selector that never repeats a member is asked for more than
	// len(pop)); nil for an empty population. pop is not modified.
	Select(rng *rand.Rand, pop []Result, n int) []int
}

var (
	_ Selector = Tournament{}
	_ Selector = Top{}
	_ Selector = Bottom{}
	_ Selector = RandomSelector{}
)

// Tournament selects by tournaments: for each of the n members chosen it
// draws Size members uniformly at random, with replacement (as in the
// reference code of Real et al. 2019), and keeps the best of them, the
// first drawn among equals. Size 1 is uniform random selection; a larger
// Size favours the best members more.
type Tournament struct {
	// Size is the number of members in each tournament. If it is 0, a
	// default of 10 is used.
	Size int `min:"0" max:"100000" doc:"programs drawn per tournament"`
}

// defaultTournament is the default tournament size, Tournament's and
// RegularizedEvolution's.
const defaultTournament = 10

// Select runs n tournaments and returns their winners (possibly
// repeated).
func (t Tournament) Select(rng *rand.Rand, pop []Result, n int) []int {
	if len(pop) == 0 || n <= 0 {
		return nil
	}
	size := t.Size
	if size <= 0 {
		size = defaultTournament
	}
	out := make([]int, n)
	for k := range out {
		out[k] = tournament(rng, pop, size)
	}
	return out
}

// tournament returns the winner of one tournament of size members.
func tournament(rng *rand.Rand, pop []Result, size int) int {
	best := rng.IntN(len(pop))
	bestFit := primary(pop[best])
	for range size - 1 {
		i := rng.IntN(len(pop))
		if f := primary(pop[i]); f > bestFit {
			best, bestFit = i, f
		}
	}
	return best
}

// Top selects the n best members, best first; members with equal rewards
// come in population order. It never repeats a member and draws no
// random numbers.
type Top struct{}

// Select returns the indices of the min(n, len(pop)) best members.
func (Top) Select(_ *rand.Rand, pop []Result, n int) []int {
	return ranked(pop, n, func(a, b float64) int { return cmp.Compare(b, a) })
}

// Bottom selects the n worst members, worst first; members with equal
// rewards come in population order. It never repeats a member and draws
// no random numbers.
type Bottom struct{}

// Select returns the indices of the min(n, len(pop)) worst members.
func (Bottom) Select(_ *rand.Rand, pop []Result, n int) []int {
	return ranked(pop, n, cmp.Compare[float64])
}

// ranked returns the first n indices of pop ordered by fitness with
// compare, ties in population order.
func ranked(pop []Result, n int, compare func(a, b float64) int) []int {
	n = min(n, len(pop))
	if n <= 0 {
		return nil
	}
	if n == 1 {
		best := 0
		for i := 1; i < len(pop); i++ {
			if compare(primary(pop[i]), primary(pop[best])) < 0 {
				best = i
			}
		}
		return []int{best}
	}
	idx := make([]int, len(pop))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int { return compare(primary(pop[i]), primary(pop[j])) })
	return idx[:n:n]
}

// RandomSelector selects n members uniformly at random, with
// replacement, whatever their rewards.
type RandomSelector struct{}

// Select returns n uniformly drawn indices.
func (RandomSelector) Select(rng *rand.Rand, pop []Result, n int) []int {
	if len(pop) == 0 || n <= 0 {
		return nil
	}
	out := make([]int, n)
	for k := range out {
		out[k] = rng.IntN(len(pop))
	}
	return out
}

// primary returns the first reward of r, or -Inf when r failed or its
// first reward is NaN: the fitness that selectors and single-objective
// algorithms compare.
func primary(r Result) float64 {
	if len(r.Rewards) == 0 || math.IsNaN(r.Rewards[0]) {
		return math.Inf(-1)
	}
	return r.Rewards[0]
}

// usable reports whether r carries a primary reward to learn from.
func usable(r Result) bool { return len(r.Rewards) > 0 && !math.IsNaN(r.Rewards[0]) }
