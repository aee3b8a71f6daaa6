package algorithms

import (
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
)

// A PermutationCrossover combines two orderings into one, preserving
// some of the parents' order: the classic crossovers of genetic
// algorithms for permutation problems. UniformCrossover and KPoint use
// one for Permutation decisions; PMX, OrderCrossover and CycleCrossover
// are also Recombinators by themselves (UniformCrossover with
// Permutations set to them).
type PermutationCrossover interface {
	// CrossPermutation returns a new permutation of 0…n−1 made from a
	// and b, two permutations of 0…n−1. It does not modify a or b.
	CrossPermutation(rng *rand.Rand, a, b []int) []int
}

var (
	_ PermutationCrossover = PMX{}
	_ PermutationCrossover = OrderCrossover{}
	_ PermutationCrossover = CycleCrossover{}
	_ Recombinator         = PMX{}
	_ Recombinator         = OrderCrossover{}
	_ Recombinator         = CycleCrossover{}
)

// PMX is partially mapped crossover (Goldberg & Lingle 1985): the child
// takes a random segment a[i:j] from a, in place; every other position k
// takes b[k] when b[k] is not in the segment, and otherwise the value
// found by following the mapping the segment defines (b[k] is a[p] for
// some p in the segment; try b[p], and so on). It preserves absolute
// positions: those of the segment from a, and those of b wherever they
// do not clash.
type PMX struct{}

// OrderCrossover is order crossover, OX (Davis 1985): the child takes a
// random segment a[i:j] from a, in place, and fills the other positions,
// from j onwards and wrapping around, with the values not in the segment
// in the cyclic order they have in b from position j. It preserves the
// segment's positions and the relative order of the rest of b.
type OrderCrossover struct{}

// CycleCrossover is cycle crossover, CX (Oliver et al. 1987): the
// positions split into cycles (start at k, go to the position in a of
// b[k], until back at k); the child takes whole cycles alternately from
// a and from b, starting with either at random. Every value keeps its
// position in one of the parents.
type CycleCrossover struct{}

// CrossPermutation implements PermutationCrossover.
func (PMX) CrossPermutation(rng *rand.Rand, a, b []int) []int {
	if len(a) < 2 {
		return slices.Clone(a)
	}
	i, j := segment(rng, len(a))
	return pmx(a, b, i, j)
}

// CrossPermutation implements PermutationCrossover.
func (OrderCrossover) CrossPermutation(rng *rand.Rand, a, b []int) []int {
	if len(a) < 2 {
		return slices.Clone(a)
	}
	i, j := segment(rng, len(a))
	return ox(a, b, i, j)
}

// CrossPermutation implements PermutationCrossover.
func (CycleCrossover) CrossPermutation(rng *rand.Rand, a, b []int) []int {
	if len(a) < 2 {
		return slices.Clone(a)
	}
	return cx(a, b, rng.IntN(2) == 0)
}

// pmx is PMX with the segment [i, j) of a.
func pmx(a, b []int, i, j int) []int {
	n := len(a)
	child := make([]int, n)
	posA := positions(a)
	inSeg := make([]bool, n) // by value
	for k := i; k < j; k++ {
		child[k] = a[k]
		inSeg[a[k]] = true
	}
	for k := range n {
		if k >= i && k < j {
			continue
		}
		v := b[k]
		for inSeg[v] {
			v = b[posA[v]]
		}
		child[k] = v
	}
	return child
}

// ox is OX with the segment [i, j) of a.
func ox(a, b []int, i, j int) []int {
	n := len(a)
	child := make([]int, n)
	inSeg := make([]bool, n) // by value
	for k := i; k < j; k++ {
		child[k] = a[k]
		inSeg[a[k]] = true
	}
	pos := j % n
	for t := range n {
		v := b[(j+t)%n]
		if inSeg[v] {
			continue
		}
		child[pos] = v
		pos = (pos + 1) % n
	}
	return child
}

// cx is CX, the first cycle (the one through position 0) from a when
// fromA is true, else from b.
func cx(a, b []int, fromA bool) []int {
	n := len(a)
	child := make([]int, n)
	posA := positions(a)
	done := make([]bool, n) // by position
	for start := range n {
		if done[start] {
			continue
		}
		for k := start; !done[k]; k = posA[b[k]] {
			done[k] = true
			if fromA {
				child[k] = a[k]
			} else {
				child[k] = b[k]
			}
		}
		fromA = !fromA
	}
	return child
}

// Recombine crosses Permutation decisions with PMX and inherits every
// other gene as UniformCrossover does.
func (x PMX) Recombine(rng *rand.Rand, spec *space.DNASpec, a, b space.DNA) space.DNA {
	return UniformCrossover{Permutations: x}.Recombine(rng, spec, a, b)
}

// Recombine crosses Permutation decisions with OX and inherits every
// other gene as UniformCrossover does.
func (x OrderCrossover) Recombine(rng *rand.Rand, spec *space.DNASpec, a, b space.DNA) space.DNA {
	return UniformCrossover{Permutations: x}.Recombine(rng, spec, a, b)
}

// Recombine crosses Permutation decisions with CX and inherits every
// other gene as UniformCrossover does.
func (x CycleCrossover) Recombine(rng *rand.Rand, spec *space.DNASpec, a, b space.DNA) space.DNA {
	return UniformCrossover{Permutations: x}.Recombine(rng, spec, a, b)
}

// segment returns a random segment [i, j) of [0, n), 0 ≤ i < j ≤ n, its
// ends two distinct cut points among the n+1.
func segment(rng *rand.Rand, n int) (int, int) {
	i, j := twoPositions(rng, n+1)
	if i > j {
		i, j = j, i
	}
	return i, j
}

// positions returns the position of each value of the permutation p.
func positions(p []int) []int {
	pos := make([]int, len(p))
	for k, v := range p {
		pos[v] = k
	}
	return pos
}
