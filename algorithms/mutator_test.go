package algorithms_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/space"
)

// propertySpecs returns random spaces, finite and continuous, for the
// operators' property tests, and the shared ones.
func propertySpecs(tb testing.TB) []*space.DNASpec {
	n := uint64(200)
	if testing.Short() {
		n = 50
	}
	var out []*space.DNASpec
	for seed := range n {
		out = append(out, genSpec(tb, 1000+seed, seed%2 == 1))
	}
	for _, s := range conformanceSpaces(tb) {
		out = append(out, s.spec)
	}
	return out
}

// TestUniformValid: every child is a valid DNA that differs from its
// parent when the parent has a decision that can change, and the parent
// is left as it was.
func TestUniformValid(t *testing.T) {
	mutators := []algorithms.Uniform{
		{},
		{Count: 2},
		{Count: 100},
		{Sigma: 3},
		{Where: space.ByHints("arch")},
		{Where: space.Not(space.ByHints("arch")), Count: 2},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i, spec := range propertySpecs(t) {
		for range 10 {
			parent := spec.Random(rng)
			before := spec.Format(parent)
			for _, m := range mutators {
				child := m.Mutate(rng, spec, parent)
				if err := spec.Validate(child); err != nil {
					t.Fatalf("space %d, %+v: Mutate(%s) = %s: %v", i, m, before, spec.Format(child), err)
				}
				if after := spec.Format(parent); after != before {
					t.Fatalf("space %d: parent changed from %s to %s", i, before, after)
				}
				if m.Count == 0 && m.Where == nil && hasMutable(spec.Points, parent.Children) && child.Equal(parent) {
					t.Fatalf("space %d: Mutate(%s) did not change it", i, before)
				}
			}
		}
	}
}

// hasMutable reports whether some active decision can change.
func hasMutable(points []*space.DecisionPoint, ds []space.DNA) bool {
	for i, p := range points {
		d := ds[i]
		n := len(p.Candidates)
		switch p.Kind {
		case space.KindOneOf:
			if n > 1 || hasMutable(p.Candidates[int(d.Value)].Points, d.Children) {
				return true
			}
		case space.KindManyOf, space.KindPermutation:
			if p.Kind == space.KindPermutation && n > 1 ||
				p.Kind == space.KindManyOf && (!p.Distinct && n > 1 || p.Distinct && (n > p.K || !p.Sorted && p.K > 1)) {
				return true
			}
			for _, s := range d.Children {
				if hasMutable(p.Candidates[int(s.Value)].Points, s.Children) {
					return true
				}
			}
		default:
			if p.Max > p.Min {
				return true
			}
		}
	}
	return false
}

// TestUniformWhere: only the decisions Where selects change (and the
// decisions inside a newly chosen candidate, which are new).
func TestUniformWhere(t *testing.T) {
	spec := yamlSpec(t, `
a: !oneof {candidates: [x, y, z], hints: [arch]}
b: !oneof {candidates: [p, q, r], name: b}
c: !float {min: 0, max: 1, hints: [arch]}
d: !int {min: 0, max: 9, name: d}
`)
	rng := rand.New(rand.NewPCG(1, 1))
	parent, err := spec.FromNumbers([]float64{0, 0, 0.5, 5})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		where   space.Where
		changes []bool // which of a, b, c, d may change
	}{
		{"hints", space.ByHints("arch"), []bool{true, false, true, false}},
		{"names", space.ByNames("b", "d"), []bool{false, true, false, true}},
		{"not hints", space.Not(space.ByHints("arch")), []bool{false, true, false, true}},
		{"all", nil, []bool{true, true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := make([]int, 4)
			for range 400 {
				child := algorithms.Uniform{Where: tt.where}.Mutate(rng, spec, parent)
				n := 0
				for i := range 4 {
					if child.Children[i].Value != parent.Children[i].Value {
						changed[i]++
						n++
					}
				}
				if n != 1 {
					t.Fatalf("%s: %d decisions changed, want 1", spec.Format(child), n)
				}
			}
			for i, may := range tt.changes {
				if may != (changed[i] > 0) {
					t.Errorf("decision %d changed %d times, want changes: %v", i, changed[i], may)
				}
			}
		})
	}
}

// TestUniformConditional: only active decisions change, and a newly
// chosen candidate's decisions are drawn fresh.
func TestUniformConditional(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[1].yaml) // conditional
	// opt = sgd (momentum 0.9, nesterov false), act = relu.
	parent, err := spec.FromNumbers([]float64{0, 1, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	betas := map[float64]int{}
	for range 2000 {
		child := algorithms.Uniform{}.Mutate(rng, spec, parent)
		if err := spec.Validate(child); err != nil {
			t.Fatal(err)
		}
		if opt := child.Children[0]; opt.Value == 1 { // adam
			betas[opt.Children[0].Value]++
		}
	}
	// Active: opt, momentum, nesterov, act; adam is one of 2 other
	// optimizers: about 2000/4/2 children.
	total := betas[0] + betas[1] + betas[2]
	if total < 150 || total > 350 || len(betas) != 3 {
		t.Errorf("adam children: %d with betas %v; want about 250, every beta", total, betas)
	}
}

// TestUniformFloat: steps are Gaussian with standard deviation Sigma
// times the range (of the logarithm on the log scale), reflected at the
// bounds, and always change the value.
func TestUniformFloat(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		parent float64
		dist   func(a, b float64) float64 // distance in the step's units, as a fraction of the range
	}{
		{"linear", "x: !float {min: -10, max: 10}", 0, func(a, b float64) float64 { return math.Abs(a-b) / 20 }},
		{"log", "x: !float {min: 1.0e-6, max: 1, scale: log}", 1e-3, func(a, b float64) float64 {
			return math.Abs(math.Log(a)-math.Log(b)) / math.Log(1e6)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := yamlSpec(t, tt.yaml)
			parent := space.DNA{Children: []space.DNA{{Value: tt.parent}}}
			rng := rand.New(rand.NewPCG(3, 3))
			var ds []float64
			for range 4000 {
				v := algorithms.Uniform{Sigma: 0.05}.Mutate(rng, spec, parent).Children[0].Value
				ds = append(ds, tt.dist(v, tt.parent))
			}
			// The median of |N(0, σ)| is 0.6745σ.
			if med := stats.Median(ds); math.Abs(med-0.6745*0.05) > 0.004 {
				t.Errorf("median step %.4f of the range, want %.4f", med, 0.6745*0.05)
			}
		})
	}
	t.Run("at bounds", func(t *testing.T) {
		spec := yamlSpec(t, "x: !float {min: 1, max: 2}\ny: !float {min: 0.001, max: 1, scale: log}")
		rng := rand.New(rand.NewPCG(4, 4))
		for _, at := range [][]float64{{1, 0.001}, {2, 1}} {
			parent := space.DNA{Children: []space.DNA{{Value: at[0]}, {Value: at[1]}}}
			seen := map[float64]bool{}
			for range 500 {
				child := algorithms.Uniform{Count: 2, Sigma: 10}.Mutate(rng, spec, parent)
				if err := spec.Validate(child); err != nil {
					t.Fatal(err)
				}
				if child.Children[0].Value == at[0] || child.Children[1].Value == at[1] {
					t.Fatalf("Mutate(%s) = %s: a value did not change", spec.Format(parent), spec.Format(child))
				}
				// Reflected, not clipped: no child lands on a bound, and
				// none repeats another's value.
				for i, c := range child.Children {
					if p := spec.Points[i]; c.Value == p.Min || c.Value == p.Max || seen[c.Value] {
						t.Fatalf("Mutate(%s) = %s: %v is a bound or another child's value", spec.Format(parent), spec.Format(child), c.Value)
					}
					seen[c.Value] = true
				}
			}
		}
	})
	t.Run("huge range", func(t *testing.T) {
		spec := yamlSpec(t, "x: !float {min: -1.0e308, max: 1.0e308}")
		rng := rand.New(rand.NewPCG(4, 4))
		parent := space.DNA{Children: []space.DNA{{Value: 0}}}
		for range 100 {
			if child := (algorithms.Uniform{}).Mutate(rng, spec, parent); spec.Validate(child) != nil {
				t.Fatalf("invalid child %s", spec.Format(child))
			}
		}
	})
}

// TestUniformInt: an Int moves by at least one, within bounds.
func TestUniformInt(t *testing.T) {
	spec := yamlSpec(t, "n: !int {min: 0, max: 2}\nm: !int {min: 0, max: 1000}")
	rng := rand.New(rand.NewPCG(5, 5))
	parent := space.DNA{Children: []space.DNA{{Value: 1}, {Value: 500}}}
	seen := map[float64]bool{}
	var steps []float64
	for range 2000 {
		child := algorithms.Uniform{}.Mutate(rng, spec, parent)
		if err := spec.Validate(child); err != nil {
			t.Fatal(err)
		}
		if v := child.Children[0].Value; v != 1 {
			seen[v] = true
		} else {
			steps = append(steps, math.Abs(child.Children[1].Value-500))
		}
	}
	if !seen[0] || !seen[2] {
		t.Errorf("n took %v, want 0 and 2", seen)
	}
	if slices.Min(steps) < 1 {
		t.Errorf("an Int did not change")
	}
	if med := stats.Median(steps); med < 55 || med > 80 { // 0.6745 × 0.1 × 1000
		t.Errorf("median Int step %v, want about 67", med)
	}
}

// TestUniformChoices: ManyOf and Permutation mutations keep their
// constraints and change the choice.
func TestUniformChoices(t *testing.T) {
	tests := []struct {
		name      string
		yaml      string
		immutable bool
	}{
		{"permutation", "p: !permutation [a, b, c, d]", false},
		{"distinct unsorted", "m: !manyof {k: 2, candidates: [a, b, c, d]}", false},
		{"distinct sorted", "m: !manyof {k: 2, candidates: [a, b, c, d], sorted: true}", false},
		{"all of them, unsorted", "m: !manyof {k: 3, candidates: [a, b, c]}", false},
		{"all of them, sorted", "m: !manyof {k: 3, candidates: [a, b, c], sorted: true}", true},
		{"repeats", "m: !manyof {k: 3, candidates: [a, b], distinct: false}", false},
		{"repeats sorted", "m: !manyof {k: 3, candidates: [a, b], distinct: false, sorted: true}", false},
		{"one candidate", "m: !manyof {k: 2, candidates: [a], distinct: false}", true},
		{"nested", "m: !manyof {k: 2, candidates: [{x: !oneof [1, 2]}, {y: !int {min: 0, max: 3}}, c], sorted: true}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := yamlSpec(t, tt.yaml)
			rng := rand.New(rand.NewPCG(6, 6))
			children := map[string]bool{}
			for range 300 {
				parent := spec.Random(rng)
				child := algorithms.Uniform{}.Mutate(rng, spec, parent)
				if err := spec.Validate(child); err != nil {
					t.Fatalf("Mutate(%s) = %s: %v", spec.Format(parent), spec.Format(child), err)
				}
				if child.Equal(parent) != tt.immutable {
					t.Fatalf("Mutate(%s) = %s, want changed: %v", spec.Format(parent), spec.Format(child), !tt.immutable)
				}
				children[spec.Format(child)] = true
			}
			size, _ := spec.Size()
			if int64(len(children)) != size.Int64() {
				t.Errorf("children cover %d of %d programs", len(children), size.Int64())
			}
		})
	}
	t.Run("permutation swaps two", func(t *testing.T) {
		spec := yamlSpec(t, "p: !permutation [a, b, c, d, e, f]")
		rng := rand.New(rand.NewPCG(7, 7))
		for range 100 {
			parent := spec.Random(rng)
			child := algorithms.Uniform{}.Mutate(rng, spec, parent)
			a, b := spec.Numbers(parent), spec.Numbers(child)
			diff := 0
			for i := range a {
				if a[i] != b[i] {
					diff++
				}
			}
			if diff != 2 {
				t.Fatalf("%v → %v: %d positions changed, want 2", a, b, diff)
			}
		}
	})
}

// TestUniformCount: Count decisions change (all of them when there are
// fewer), and the same source gives the same child.
func TestUniformCount(t *testing.T) {
	spec := yamlSpec(t, "a: !oneof [0, 1]\nb: !oneof [0, 1]\nc: !oneof [0, 1]\nd: !oneof [0, 1]\n")
	parent := space.DNA{Children: make([]space.DNA, 4)}
	for _, count := range []int{0, 1, 2, 3, 4, 9} {
		rng := rand.New(rand.NewPCG(8, 8))
		child := algorithms.Uniform{Count: count}.Mutate(rng, spec, parent)
		got := 0
		for _, c := range child.Children {
			got += int(c.Value)
		}
		if want := min(max(count, 1), 4); got != want {
			t.Errorf("Count %d: %d decisions changed, want %d", count, got, want)
		}
		again := algorithms.Uniform{Count: count}.Mutate(rand.New(rand.NewPCG(8, 8)), spec, parent)
		if !again.Equal(child) {
			t.Errorf("Count %d: same source, children %v and %v", count, spec.Numbers(child), spec.Numbers(again))
		}
	}
}

// TestUniformNothingToChange: a parent without mutable decisions is
// copied.
func TestUniformNothingToChange(t *testing.T) {
	spec := yamlSpec(t, "a: !oneof [x]\nb: !int {min: 3, max: 3}\nc: !oneof [p, q]")
	rng := rand.New(rand.NewPCG(9, 9))
	parent := spec.Random(rng)
	before := spec.Format(parent)
	child := algorithms.Uniform{Where: space.ByNames("nothing")}.Mutate(rng, spec, parent)
	if !child.Equal(parent) {
		t.Errorf("got %s, want %s", spec.Format(child), before)
	}
	child.Children[2].Value = 1 - child.Children[2].Value
	if spec.Format(parent) != before {
		t.Error("the child shares memory with its parent")
	}
}

func BenchmarkUniformMutate(b *testing.B) {
	spec := benchSpec(b)
	rng := rand.New(rand.NewPCG(1, 1))
	parent := spec.Random(rng)
	b.ReportAllocs()
	for b.Loop() {
		parent = algorithms.Uniform{}.Mutate(rng, spec, parent)
	}
}
