package algorithms

import (
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// A Recombinator makes a child from two parents: with a selector and a
// mutator, one of the operators evolution is built from.
//
// The recombinators here cross over aligned decisions. Two parents are
// aligned where their decisions exist in both: every top-level decision;
// inside a OneOf, the decisions of its candidate when both parents chose
// the same one; inside a ManyOf, the decisions of each slot when both
// parents chose the same candidates in the same slots; inside a
// Permutation, the decisions of each candidate. Each aligned decision
// that is not such a shared choice is a gene: a number, or a choice the
// parents made differently (with the whole subtree under it), and the
// child inherits every gene from one parent. So every child is a valid
// DNA: it is made of whole, valid pieces of its parents.
//
// Recombinators are small values holding only their configuration; they
// are safe for concurrent use when the random sources passed to them are
// not shared.
type Recombinator interface {
	// Recombine returns a child of a and b, a valid DNA of spec, and
	// leaves the parents as they are. a and b must be valid DNA of spec.
	Recombine(rng *rand.Rand, spec *space.DNASpec, a, b space.DNA) space.DNA
}

var (
	_ Recombinator = UniformCrossover{}
	_ Recombinator = KPoint{}
)

// UniformCrossover inherits each gene from either parent with
// probability 1/2.
type UniformCrossover struct {
	// Permutations, if not nil, combines the orders of the two parents'
	// Permutation decisions (e.g. PMX{}), and the decisions inside their
	// candidates are then aligned by candidate. If it is nil, a
	// Permutation the parents ordered differently is a gene like any
	// other choice.
	Permutations PermutationCrossover `doc:"combines the orders of the parents' permutation decisions (algorithms.PMX, OrderCrossover, CycleCrossover); none: a gene like any other"`
}

// Recombine returns a child taking each gene from a or b at random.
func (u UniformCrossover) Recombine(rng *rand.Rand, spec *space.DNASpec, a, b space.DNA) space.DNA {
	c := crosser{rng: rng, perm: u.Permutations, from: func() bool { return rng.IntN(2) == 0 }}
	return space.DNA{Children: c.points(spec.Points, a.Children, b.Children)}
}

// KPoint is k-point crossover: the genes, in depth-first order, are cut
// at K points chosen uniformly at random (all the gaps when there are
// fewer), and the child takes the segments alternately from each parent,
// starting with either at random.
type KPoint struct {
	// K is the number of cut points. If it is 0, a default of 1 is used
	// (one-point crossover).
	K int `min:"0" max:"1000000" doc:"crossover points (default 1)"`
	// Permutations is as in UniformCrossover; a Permutation it combines
	// is not a gene.
	Permutations PermutationCrossover `doc:"combines the orders of the parents' permutation decisions (algorithms.PMX, OrderCrossover, CycleCrossover)"`
}

// Recombine returns a child made of alternating segments of a and b.
func (k KPoint) Recombine(rng *rand.Rand, spec *space.DNASpec, a, b space.DNA) space.DNA {
	n := countGenes(spec.Points, a.Children, b.Children, k.Permutations != nil)
	cuts := max(k.K, 1)
	// cut[g] is true when a segment starts at gene g (0 < g < n).
	cut := make([]bool, n)
	if gaps := n - 1; gaps > 0 {
		if cuts >= gaps {
			for g := 1; g < n; g++ {
				cut[g] = true
			}
		} else {
			// Floyd's algorithm: cuts distinct gaps in [1, n).
			for j := gaps - cuts; j < gaps; j++ {
				g := 1 + rng.IntN(j+1)
				if cut[g] {
					g = j + 1
				}
				cut[g] = true
			}
		}
	}
	fromA := rng.IntN(2) == 0
	gene := 0
	c := crosser{rng: rng, perm: k.Permutations, from: func() bool {
		if gene < n && cut[gene] {
			fromA = !fromA
		}
		gene++
		return fromA
	}}
	return space.DNA{Children: c.points(spec.Points, a.Children, b.Children)}
}

// crosser walks two aligned parents and builds the child.
type crosser struct {
	rng  *rand.Rand
	perm PermutationCrossover
	// from is called once per gene, in depth-first order, and reports
	// whether the child takes it from a.
	from func() bool
}

func (c *crosser) points(points []*space.DecisionPoint, as, bs []space.DNA) []space.DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]space.DNA, len(points))
	for i, p := range points {
		out[i] = c.point(p, as[i], bs[i])
	}
	return out
}

func (c *crosser) gene(a, b space.DNA) space.DNA {
	if c.from() {
		return a.Clone()
	}
	return b.Clone()
}

func (c *crosser) point(p *space.DecisionPoint, a, b space.DNA) space.DNA {
	switch p.Kind {
	case space.KindOneOf:
		if a.Value != b.Value {
			return c.gene(a, b)
		}
		return c.slot(p, a, b)
	case space.KindPermutation:
		if c.perm != nil {
			return c.permutation(p, a, b)
		}
		fallthrough
	case space.KindManyOf:
		if !sameSlots(a, b) {
			return c.gene(a, b)
		}
		out := space.DNA{Children: make([]space.DNA, len(a.Children))}
		for j := range a.Children {
			out.Children[j] = c.slot(p, a.Children[j], b.Children[j])
		}
		return out
	}
	return c.gene(a, b)
}

// slot crosses two slots that chose the same candidate.
func (c *crosser) slot(p *space.DecisionPoint, a, b space.DNA) space.DNA {
	return space.DNA{Value: a.Value, Children: c.points(p.Candidates[int(a.Value)].Points, a.Children, b.Children)}
}

// permutation combines the orders of a and b with c.perm; each candidate
// brings the crossed decisions inside it.
func (c *crosser) permutation(p *space.DecisionPoint, a, b space.DNA) space.DNA {
	n := len(a.Children)
	ia, ib := make([]int, n), make([]int, n)
	posA, posB := make([]int, n), make([]int, n)
	for j := range n {
		ia[j], ib[j] = int(a.Children[j].Value), int(b.Children[j].Value)
		posA[ia[j]], posB[ib[j]] = j, j
	}
	order := c.perm.CrossPermutation(c.rng, ia, ib)
	out := space.DNA{Children: make([]space.DNA, n)}
	for j, i := range order {
		sa, sb := a.Children[posA[i]], b.Children[posB[i]]
		out.Children[j] = space.DNA{Value: float64(i), Children: c.points(p.Candidates[i].Points, sa.Children, sb.Children)}
	}
	return out
}

// sameSlots reports whether a and b chose the same candidates in the
// same slots.
func sameSlots(a, b space.DNA) bool {
	for j := range a.Children {
		if a.Children[j].Value != b.Children[j].Value {
			return false
		}
	}
	return true
}

// countGenes returns the number of genes of two aligned parents, the
// number of times crosser.from is called when crossing them.
func countGenes(points []*space.DecisionPoint, as, bs []space.DNA, perm bool) int {
	n := 0
	for i, p := range points {
		a, b := as[i], bs[i]
		switch {
		case p.Kind == space.KindOneOf && a.Value == b.Value:
			n += countGenes(p.Candidates[int(a.Value)].Points, a.Children, b.Children, perm)
		case p.Kind == space.KindPermutation && perm:
			posB := make([]int, len(b.Children))
			for j, s := range b.Children {
				posB[int(s.Value)] = j
			}
			for _, sa := range a.Children {
				sb := b.Children[posB[int(sa.Value)]]
				n += countGenes(p.Candidates[int(sa.Value)].Points, sa.Children, sb.Children, perm)
			}
		case p.Kind.IsChoice() && p.Kind != space.KindOneOf && sameSlots(a, b):
			for j, sa := range a.Children {
				n += countGenes(p.Candidates[int(sa.Value)].Points, sa.Children, b.Children[j].Children, perm)
			}
		default:
			n++
		}
	}
	return n
}
