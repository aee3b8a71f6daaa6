package algorithms

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// nsgaRichSpec has every kind of decision, conditional ones inside
// choices, and degenerate ones (one candidate, equal bounds, a ManyOf
// holding every candidate, bounds more than MaxFloat64 apart).
func nsgaRichSpec(t testing.TB) *space.DNASpec {
	t.Helper()
	sgd := symbolic.NewDict(3)
	sgd.Set("name", symbolic.String("sgd"))
	sgd.Set("m", space.OneOf(0.0, 0.9))
	sgd.Set("lr", space.Float(1e-4, 1).Log())
	adam := symbolic.NewDict(2)
	adam.Set("name", symbolic.String("adam"))
	adam.Set("b", space.Int(1, 3))
	x := symbolic.NewDict(1)
	x.Set("x", space.OneOf(1, 2, 3))
	y := symbolic.NewDict(1)
	y.Set("y", space.Int(0, 4))
	d := symbolic.NewDict(12)
	d.Set("op", space.OneOf(sgd, adam, "none"))
	d.Set("layers", space.ManyOf(3, "a", "b", x, "d", "e"))
	d.Set("rep", space.ManyOf(3, 1, 2, x).Distinct(false))
	d.Set("sorted", space.ManyOf(2, 1, 2, 3, y).Sorted(true))
	d.Set("sortedrep", space.ManyOf(3, 1, y).Distinct(false).Sorted(true))
	d.Set("full", space.ManyOf(3, 1, 2, 3))
	d.Set("perm", space.Permutation("p", y, "r"))
	d.Set("f", space.Float(-1, 1))
	d.Set("i", space.Int(-3, 3))
	d.Set("fixedf", space.Float(2, 2))
	d.Set("fixedi", space.Int(5, 5))
	d.Set("one", space.OneOf("only"))
	d.Set("huge", space.Float(-1e308, 1e308))
	d.Set("hugelog", space.Float(1e-300, 1e300).Log())
	s, err := space.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return s.Spec()
}

// Crossover and mutation keep every child valid, never change the
// parents, and a child's decisions come from its parents.
func TestNSGAOpsValid(t *testing.T) {
	spec := nsgaRichSpec(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 3000 {
		a, b := spec.Random(rng), spec.Random(rng)
		if iter%4 == 0 {
			b = a.Clone() // parents that agree everywhere cross inside choices
			b.Children[0] = nsgaRandomSlot(rng, spec.Points[0], int(a.Children[0].Value))
		}
		a0, b0 := a.Clone(), b.Clone()
		child := space.DNA{Children: nsgaCrossover(rng, spec.Points, a.Children, b.Children)}
		if err := spec.Validate(child); err != nil {
			t.Fatalf("crossover of %s and %s: %s: %v", spec.Format(a), spec.Format(b), spec.Format(child), err)
		}
		for i, p := range spec.Points {
			c := child.Children[i]
			agree := p.Kind == space.KindOneOf && a.Children[i].Value == b.Children[i].Value ||
				(p.Kind == space.KindManyOf || p.Kind == space.KindPermutation) && nsgaSameSlots(a.Children[i], b.Children[i])
			if agree {
				continue // crossed inside the candidates
			}
			if !c.Equal(a.Children[i]) && !c.Equal(b.Children[i]) {
				t.Fatalf("crossover of %s and %s: decision %s is %v, from neither parent", spec.Format(a), spec.Format(b), p.ID, c)
			}
		}
		m := nsgaMutator{rng: rng, prob: []float64{1, 0.5, 0.1}[iter%3]}
		m.points(spec.Points, child.Children)
		if err := spec.Validate(child); err != nil {
			t.Fatalf("mutation (prob %v): %s: %v", m.prob, spec.Format(child), err)
		}
		if !a.Equal(a0) || !b.Equal(b0) {
			t.Fatalf("parents changed: %s, %s, were %s, %s", spec.Format(a), spec.Format(b), spec.Format(a0), spec.Format(b0))
		}
	}
}

// A mutation with probability 1 changes every decision that can change.
func TestNSGAMutateAll(t *testing.T) {
	spec := nsgaRichSpec(t)
	rng := rand.New(rand.NewPCG(3, 4))
	m := nsgaMutator{rng: rng, prob: 1}
	changes := map[string]int{}
	const n = 500
	for range n {
		d := spec.Random(rng)
		before := d.Clone()
		m.points(spec.Points, d.Children)
		for i, p := range spec.Points {
			if !d.Children[i].Equal(before.Children[i]) {
				changes[p.ID]++
			}
		}
	}
	for _, tc := range []struct {
		id       string
		min, max int
	}{
		{"op", n, n},
		{"layers", n, n},
		{"rep", n, n},
		{"sorted", n, n},
		{"full", n * 9 / 10, n}, // a swap, unless the swapped slots are alike
		{"perm", n * 9 / 10, n},
		{"f", n, n},
		{"i", n, n},
		{"fixedf", 0, 0},
		{"fixedi", 0, 0},
		{"one", 0, 0},
		{"huge", n, n},
		{"hugelog", n, n},
	} {
		if got := changes[tc.id]; got < tc.min || got > tc.max {
			t.Errorf("%s changed %d times out of %d, want %d…%d", tc.id, got, n, tc.min, tc.max)
		}
	}
}

// The private drawing is space.DNASpec.Random's.
func TestNSGARandomIsSpaceRandom(t *testing.T) {
	spec := nsgaRichSpec(t)
	r1, r2 := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
	for range 200 {
		got := space.DNA{Children: nsgaRandomPoints(r1, spec.Points)}
		if want := spec.Random(r2); !got.Equal(want) {
			t.Fatalf("got %s, want %s", spec.Format(got), spec.Format(want))
		}
	}
}

func TestNSGAMutateNumber(t *testing.T) {
	spec := nsgaRichSpec(t)
	lookup := func(id string) *space.DecisionPoint {
		p, ok := spec.Lookup(id)
		if !ok {
			t.Fatalf("no point %s", id)
		}
		return p
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		id     string
		x      float64
		median float64 // the median |step| is below this
	}{
		{"f", 0, 0.1},
		{"f", 1, 0.1},
		{"f", -1, 0.1},
		{"op[0].lr", 0.01, 0.5}, // log scale: the step is on log(x)
		{"op[0].lr", 1e-4, 0.5},
		{"i", 3, 1.01},
		{"i", -3, 1.01},
		{"i", 0, 1.01},
		{"huge", 0, 1e307},
		{"huge", 1e308, 1e307},
		{"huge", -1e308, 1e307},
		{"hugelog", 1, 50},
	} {
		p := lookup(tc.id)
		small := 0
		const n = 1000
		for range n {
			v := nsgaMutateNumber(rng, p, tc.x)
			if err := spec.Validate(nsgaWith(spec, tc.id, v)); v < p.Min || v > p.Max || (p.Kind == space.KindInt && err != nil) {
				t.Fatalf("%s from %v: %v out of [%v, %v] (%v)", tc.id, tc.x, v, p.Min, p.Max, err)
			}
			if p.Kind == space.KindInt && v == tc.x {
				t.Fatalf("%s from %v: no change", tc.id, tc.x)
			}
			step := math.Abs(v - tc.x)
			if p.Scale == space.Log {
				step = math.Abs(math.Log(v) - math.Log(tc.x))
			}
			if step < tc.median {
				small++
			}
		}
		if small < n/2 {
			t.Errorf("%s from %v: %d of %d steps below %v, want most", tc.id, tc.x, small, n, tc.median)
		}
	}
}

// nsgaWith returns a DNA of spec (the first of its grid over choices,
// drawn with a fixed seed) whose top-level decision id, or op[0].lr, is v.
func nsgaWith(spec *space.DNASpec, id string, v float64) space.DNA {
	d := spec.Random(rand.New(rand.NewPCG(1, 1)))
	for i, p := range spec.Points {
		if p.ID == id {
			d.Children[i].Value = v
		}
	}
	if id == "op[0].lr" {
		d.Children[0] = space.DNA{Value: 0, Children: []space.DNA{{Value: 0}, {Value: v}}}
	}
	return d
}

func TestNSGACount(t *testing.T) {
	spec := nsgaRichSpec(t)
	// op = sgd with m and lr: 3; layers with x: 2; rep with x twice: 3;
	// sorted with y: 2; sortedrep with y: 2; full: 1; perm with y: 2;
	// f, i, fixedf, fixedi, one, huge, hugelog: 7.
	d, err := spec.ParseNumbers("[0, 1, 0.01, 2, 1, 0, 3, 2, 0, 2, 1, 1, 0, 3, 4, 0, 0, 1, 2, 2, 0, 1, 1, 3, 0, 2, 0.5, 1, 2.0, 5, 0, 1e300, 1.0]")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := nsgaCount(spec.Points, d.Children), 3+2+3+2+2+1+2+7; got != want {
		t.Errorf("nsgaCount = %d, want %d", got, want)
	}
}
