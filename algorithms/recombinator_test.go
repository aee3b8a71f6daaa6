package algorithms_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

func recombinators() map[string]algorithms.Recombinator {
	return map[string]algorithms.Recombinator{
		"uniform":          algorithms.UniformCrossover{},
		"kpoint":           algorithms.KPoint{},
		"kpoint-2":         algorithms.KPoint{K: 2},
		"kpoint-5-pmx":     algorithms.KPoint{K: 5, Permutations: algorithms.PMX{}},
		"pmx":              algorithms.PMX{},
		"order":            algorithms.OrderCrossover{},
		"cycle":            algorithms.CycleCrossover{},
		"uniform-order":    algorithms.UniformCrossover{Permutations: algorithms.OrderCrossover{}},
		"kpoint-100-cycle": algorithms.KPoint{K: 100, Permutations: algorithms.CycleCrossover{}},
	}
}

// TestRecombinatorValid: over random spaces and parents, every child is
// valid, the parents are left as they were, and crossing a DNA with
// itself gives it back.
func TestRecombinatorValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for i, spec := range propertySpecs(t) {
		for range 10 {
			a, b := spec.Random(rng), spec.Random(rng)
			// Related parents share more structure, as in a population.
			if rng.IntN(2) == 0 {
				b = algorithms.Uniform{Count: 1 + rng.IntN(3)}.Mutate(rng, spec, a)
			}
			fa, fb := spec.Format(a), spec.Format(b)
			for name, r := range recombinators() {
				child := r.Recombine(rng, spec, a, b)
				if err := spec.Validate(child); err != nil {
					t.Fatalf("space %d, %s: Recombine(%s, %s) = %s: %v", i, name, fa, fb, spec.Format(child), err)
				}
				if spec.Format(a) != fa || spec.Format(b) != fb {
					t.Fatalf("space %d, %s: parents modified", i, name)
				}
				if same := r.Recombine(rng, spec, a, a); !same.Equal(a) {
					t.Fatalf("space %d, %s: Recombine(%s, itself) = %s", i, name, fa, spec.Format(same))
				}
			}
		}
	}
}

// flatSpec is a space of n independent OneOf decisions of two
// candidates: the genes are the decisions.
func flatSpec(t *testing.T, n int) *space.DNASpec {
	var b strings.Builder
	for i := range n {
		b.WriteString("d" + string(rune('a'+i)) + ": !oneof [0, 1]\n")
	}
	return yamlSpec(t, b.String())
}

// switches returns the numbers form of a child of an all-0 and an all-1
// parent as a string of 0 and 1, and the number of segments it has.
func switches(spec *space.DNASpec, d space.DNA) (string, int) {
	var b strings.Builder
	segs := 0
	for i, x := range spec.Numbers(d) {
		if i == 0 || x != spec.Numbers(d)[i-1] {
			segs++
		}
		b.WriteByte('0' + byte(x))
	}
	return b.String(), segs
}

func TestKPoint(t *testing.T) {
	spec := flatSpec(t, 10)
	zero := space.DNA{Children: make([]space.DNA, 10)}
	one := space.DNA{Children: make([]space.DNA, 10)}
	for i := range one.Children {
		one.Children[i].Value = 1
	}
	rng := rand.New(rand.NewPCG(12, 12))
	for _, k := range []int{0, 1, 2, 3, 9, 20} {
		wantSegs := min(max(k, 1), 9) + 1
		cutAt := make([]int, 10)
		for range 2000 {
			child := algorithms.KPoint{K: k}.Recombine(rng, spec, zero, one)
			s, segs := switches(spec, child)
			if segs != wantSegs {
				t.Fatalf("K=%d: child %s has %d segments, want %d", k, s, segs, wantSegs)
			}
			for i := 1; i < len(s); i++ {
				if s[i] != s[i-1] {
					cutAt[i]++
				}
			}
		}
		// Cut points are uniform over the 9 gaps.
		for i := 1; i < 10; i++ {
			want := 2000 * float64(wantSegs-1) / 9
			if got := float64(cutAt[i]); got < 0.8*want || got > 1.2*want {
				t.Errorf("K=%d: %v cuts before gene %d, want about %.0f", k, got, i, want)
			}
		}
	}
}

func TestUniformCrossover(t *testing.T) {
	spec := flatSpec(t, 20)
	zero := space.DNA{Children: make([]space.DNA, 20)}
	one := space.DNA{Children: make([]space.DNA, 20)}
	for i := range one.Children {
		one.Children[i].Value = 1
	}
	rng := rand.New(rand.NewPCG(13, 13))
	fromOne := 0
	for range 1000 {
		for _, x := range spec.Numbers(algorithms.UniformCrossover{}.Recombine(rng, spec, zero, one)) {
			fromOne += int(x)
		}
	}
	if fromOne < 9500 || fromOne > 10500 {
		t.Errorf("%d of 20000 genes from the second parent, want about 10000", fromOne)
	}
}

// TestCrossoverAlignment: inside a choice both parents made alike, the
// decisions are crossed one by one; a choice made differently is
// inherited whole; numbers come from either parent.
func TestCrossoverAlignment(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[5].yaml) // mixed
	rng := rand.New(rand.NewPCG(14, 14))
	for range 500 {
		a, b := spec.Random(rng), spec.Random(rng)
		b.Children[0] = a.Children[0].Clone() // the same optimizer…
		b.Children[0].Children[0].Value = a.Children[0].Children[0].Value * 1.0001
		if b.Children[0].Children[0].Value > spec.Points[0].Candidates[int(a.Children[0].Value)].Points[0].Max {
			continue
		}
		child := algorithms.UniformCrossover{Permutations: algorithms.PMX{}}.Recombine(rng, spec, a, b)
		if err := spec.Validate(child); err != nil {
			t.Fatal(err)
		}
		// …whose lr (a gene) comes from either parent.
		lr := child.Children[0].Children[0].Value
		if lr != a.Children[0].Children[0].Value && lr != b.Children[0].Children[0].Value {
			t.Fatalf("lr %v from neither parent", lr)
		}
		for i := 1; i < 5; i++ { // units, dropout, act, blocks: whole genes
			if c := child.Children[i]; !c.Equal(a.Children[i]) && !c.Equal(b.Children[i]) {
				t.Fatalf("decision %d: %v from neither parent", i, spec.Format(child))
			}
		}
	}
}

func BenchmarkRecombine(b *testing.B) {
	spec := yamlSpec(b, conformanceYAML[5].yaml) // mixed, with a permutation
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := spec.Random(rng), spec.Random(rng)
	for name, r := range map[string]algorithms.Recombinator{
		"uniform": algorithms.UniformCrossover{}, "kpoint": algorithms.KPoint{K: 2}, "pmx": algorithms.PMX{},
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.Recombine(rng, spec, x, y)
			}
		})
	}
}
