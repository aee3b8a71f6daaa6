package space

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// Property tests over many random spaces (see gen_test.go). Each failure
// names the seed; rerun it alone with -run 'TestProperty…/seed=N'.

const maxGridSize = 2000

// finiteSpaces calls fn with random finite spaces, each in a subtest
// named by its seed, until n spaces of size at most maxGridSize have been
// seen.
func finiteSpaces(t *testing.T, opts genOptions, fn func(t *testing.T, s *Space, size int)) {
	t.Helper()
	n, tried := propSeeds()/3, uint64(0)
	for seed := uint64(0); n > 0 && seed < 20*propSeeds(); seed++ {
		s, _ := genSpace(t, seed, opts)
		size, ok := s.Spec().Size()
		if !ok {
			t.Fatalf("seed %d: a space without Float is continuous: %v", seed, s.Tree())
		}
		if size.Cmp(big.NewInt(maxGridSize)) > 0 {
			continue
		}
		n--
		tried++
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { fn(t, s, int(size.Int64())) })
	}
	if tried == 0 {
		t.Fatal("no finite space generated")
	}
}

// gridAll returns every DNA of s in grid order, failing after limit of
// them (so a Grid that does not stop cannot hang the test).
func gridAll(t *testing.T, spec *DNASpec, limit int) []DNA {
	t.Helper()
	g, err := spec.Grid()
	if err != nil {
		t.Fatalf("Grid: %v", err)
	}
	var out []DNA
	for d := range g {
		out = append(out, d)
		if len(out) > limit {
			break
		}
	}
	if len(out) > limit {
		t.Fatalf("Grid yields more than %d DNA", limit)
	}
	return out
}

var finiteOpts = genOptions{Objects: true, NestedInMany: true}

// TestPropertyGrid: Grid enumerates exactly Size() valid, distinct DNA
// whose programs are pairwise distinct, and each program encodes back to
// its DNA.
func TestPropertyGrid(t *testing.T) {
	finiteSpaces(t, finiteOpts, func(t *testing.T, s *Space, size int) {
		spec := s.Spec()
		all := gridAll(t, spec, size+1)
		if len(all) != size {
			t.Fatalf("Grid yields %d DNA, Size is %d; space %v", len(all), size, s.Tree())
		}
		formats := make(map[string]bool, size)
		programs := make(map[uint64][]symbolic.Value, size)
		for _, d := range all {
			f := spec.Format(d)
			if err := spec.Validate(d); err != nil {
				t.Fatalf("grid DNA %s is invalid: %v", f, err)
			}
			if formats[f] {
				t.Fatalf("grid yields %s twice", f)
			}
			formats[f] = true
			prog, err := s.Decode(d)
			if err != nil {
				t.Fatalf("Decode(%s): %v", f, err)
			}
			h := symbolic.Hash(prog)
			for _, q := range programs[h] {
				if symbolic.Equal(q, prog) {
					t.Fatalf("two DNA decode to %v (the second is %s)", prog, f)
				}
			}
			programs[h] = append(programs[h], prog)
			e, err := s.Encode(prog)
			if err != nil {
				t.Fatalf("Encode(Decode(%s)) = %v, program %v", f, err, prog)
			}
			if !e.Equal(d) {
				t.Fatalf("Encode(Decode(%s)) = %s", f, spec.Format(e))
			}
		}
		// The grid is complete: every random DNA is in it.
		rng := rand.New(rand.NewPCG(uint64(size), 11))
		for range 20 {
			if f := spec.Format(spec.Random(rng)); !formats[f] {
				t.Fatalf("Random DNA %s is not in the grid", f)
			}
		}
	})
}

// TestPropertyGridSorted: for spaces without Float, the grid is sorted
// lexicographically by the numbers form, as Grid's documentation says
// ("like an odometer over the numbers form"), also when the candidates of
// a ManyOf or Permutation hold hyper-values.
func TestPropertyGridSorted(t *testing.T) {
	// The decision inside candidate 0 turns slower than the next choice.
	checkGridSorted(t, MustNew(symbolic.NewList(ManyOf(2, OneOf("a", "b"), "c", "d"))), 10)
	finiteSpaces(t, finiteOpts, func(t *testing.T, s *Space, size int) {
		checkGridSorted(t, s, size)
	})
}

func checkGridSorted(t *testing.T, s *Space, size int) {
	t.Helper()
	spec := s.Spec()
	var prev []float64
	for i, d := range gridAll(t, spec, size+1) {
		nums := spec.Numbers(d)
		if i > 0 && slices.Compare(prev, nums) >= 0 {
			t.Fatalf("grid DNA %d: %v after %v; space %v", i, nums, prev, s.Tree())
		}
		prev = nums
	}
}

var randomOpts = genOptions{Float: true, Objects: true, NestedInMany: true, MaxPoints: 8}

// TestPropertyRandom: random DNA is valid and decodes; encoding the
// program gives the DNA back and decoding that gives an equal program;
// the numbers and text forms round-trip; the program shares nothing with
// the space.
func TestPropertyRandom(t *testing.T) {
	for seed := range propSeeds() {
		s, tree := genSpace(t, seed, randomOpts)
		spec := s.Spec()
		rng := rand.New(rand.NewPCG(seed, 1))
		for range 8 {
			d := spec.Random(rng)
			f := spec.Format(d)
			where := fmt.Sprintf("seed %d, DNA %s, space %v", seed, f, tree)
			if err := spec.Validate(d); err != nil {
				t.Fatalf("%s: Random DNA invalid: %v", where, err)
			}
			prog, err := s.Decode(d)
			if err != nil {
				t.Fatalf("%s: Decode: %v", where, err)
			}
			h := symbolic.Hash(prog)
			e, err := s.Encode(prog)
			if err != nil {
				t.Fatalf("%s: Encode(%v): %v", where, prog, err)
			}
			if !e.Equal(d) {
				t.Fatalf("%s: Encode(Decode(d)) = %s", where, spec.Format(e))
			}
			again, err := s.Decode(e)
			if err != nil || !symbolic.Equal(again, prog) {
				t.Fatalf("%s: Decode(Encode(p)) = %v, %v; want %v", where, again, err, prog)
			}
			n, err := spec.FromNumbers(spec.Numbers(d))
			if err != nil || !n.Equal(d) {
				t.Fatalf("%s: FromNumbers(Numbers(d)) = %s, %v", where, spec.Format(n), err)
			}
			p, err := spec.ParseNumbers(f)
			if err != nil || !p.Equal(d) {
				t.Fatalf("%s: ParseNumbers(Format(d)) = %v, %v", where, p, err)
			}
			// The program shares nothing with the space: wreck it and decode again.
			wreck(prog)
			if again, err := s.Decode(d); err != nil || symbolic.Hash(again) != h {
				t.Fatalf("%s: changing a decoded program changed the space: %v, %v", where, again, err)
			}
		}
	}
}

// wreck overwrites every container entry below v.
func wreck(v symbolic.Value) {
	switch x := v.(type) {
	case *symbolic.List:
		for i := range x.Len() {
			wreck(x.At(i))
			x.Set(i, symbolic.String("wrecked"))
		}
	case *symbolic.Dict:
		for _, k := range x.Keys() {
			item, _ := x.Get(k)
			wreck(item)
			x.Set(k, symbolic.String("wrecked"))
		}
	case *symbolic.Object:
		for _, f := range x.All() {
			wreck(f)
		}
	}
}

// TestPropertyRandomDeterministic: the same source state gives the same
// DNA, and Random draws every candidate of a top-level choice.
func TestPropertyRandomDeterministic(t *testing.T) {
	for seed := range propSeeds() / 10 {
		s, _ := genSpace(t, seed, randomOpts)
		a := rand.New(rand.NewPCG(seed, 7))
		b := rand.New(rand.NewPCG(seed, 7))
		for range 5 {
			x, y := s.Spec().Random(a), s.Spec().Random(b)
			if !x.Equal(y) {
				t.Fatalf("seed %d: Random differs for the same source: %s vs %s", seed,
					s.Spec().Format(x), s.Spec().Format(y))
			}
		}
	}
	s := MustNew(symbolic.NewList(OneOf("a", "b", "c", "d")))
	seen := map[float64]int{}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 4000 {
		seen[s.Spec().Random(rng).Children[0].Value]++
	}
	for i := range 4 {
		if n := seen[float64(i)]; n < 800 || n > 1200 {
			t.Errorf("candidate %d drawn %d times in 4000, want about 1000", i, n)
		}
	}
}

// TestPropertyYAMLRoundTrip: a space's tree written as YAML decodes to an
// equal tree whose space has the same spec; so does its JSON.
func TestPropertyYAMLRoundTrip(t *testing.T) {
	for seed := range propSeeds() {
		s, tree := genSpace(t, seed, randomOpts)
		reg := genRegistry(t)
		data, err := symbolic.EncodeYAML(s.Tree())
		if err != nil {
			t.Fatalf("seed %d: EncodeYAML(%v): %v", seed, tree, err)
		}
		back, err := reg.DecodeYAML(data, nil)
		if err != nil {
			t.Fatalf("seed %d: DecodeYAML:\n%s\n%v", seed, data, err)
		}
		if !symbolic.Equal(back, s.Tree()) {
			t.Fatalf("seed %d: YAML round trip differs:\n%s\n%v", seed, data, symbolic.Diff(s.Tree(), back))
		}
		t2, err := New(back)
		if err != nil {
			t.Fatalf("seed %d: New(decoded YAML): %v", seed, err)
		}
		if got, want := specSummary(t2.Spec()), specSummary(s.Spec()); got != want {
			t.Fatalf("seed %d: spec after YAML round trip:\n%s\nwant\n%s", seed, got, want)
		}
		js, err := symbolic.EncodeJSON(s.Tree())
		if err != nil {
			t.Fatalf("seed %d: EncodeJSON(%v): %v", seed, tree, err)
		}
		back, err = reg.DecodeJSON(js, nil)
		if err != nil {
			t.Fatalf("seed %d: DecodeJSON:\n%s\n%v", seed, js, err)
		}
		if !symbolic.Equal(back, s.Tree()) {
			t.Fatalf("seed %d: JSON round trip differs:\n%s\n%v", seed, js, symbolic.Diff(s.Tree(), back))
		}
	}
}

// specSummary describes every point of a spec, one per line, with the size.
func specSummary(spec *DNASpec) string {
	out := spec.SizeString() + "\n"
	for _, p := range spec.All() {
		out += p.String() + fmt.Sprint(p.Hints) + "\n"
	}
	return out
}

// TestPropertyFilter: splitting a space with Filter(where) and compiling
// each outer program with New gives an inner space; summed over the outer
// grid, the inner sizes are the whole size, and decoding outer then inner
// gives a program of the whole space.
func TestPropertyFilter(t *testing.T) {
	opts := finiteOpts
	opts.Hints = []string{"outer", "other"}
	finiteSpaces(t, opts, func(t *testing.T, s *Space, size int) {
		outer := s.Filter(ByHints("outer"))
		for _, p := range outer.Spec().All() {
			if !p.HasHint("outer") {
				t.Fatalf("outer spec has %v", p)
			}
		}
		total := new(big.Int)
		rng := rand.New(rand.NewPCG(uint64(size), 3))
		for _, od := range gridAll(t, outer.Spec(), size+1) {
			mid, err := outer.Decode(od)
			if err != nil {
				t.Fatalf("outer Decode(%s): %v", outer.Spec().Format(od), err)
			}
			inner, err := New(mid)
			if err != nil {
				t.Fatalf("New(outer program %v): %v", mid, err)
			}
			for _, p := range inner.Spec().All() {
				if p.HasHint("outer") && !insideUnselected(s, p) {
					t.Fatalf("inner space still has %v", p)
				}
			}
			is, _ := inner.Spec().Size()
			total.Add(total, is)
			prog, err := inner.Decode(inner.Spec().Random(rng))
			if err != nil {
				t.Fatalf("inner Decode: %v", err)
			}
			if _, err := s.Encode(prog); err != nil {
				t.Fatalf("a program of outer then inner is not in the whole space: %v\n%v", err, prog)
			}
		}
		if total.Cmp(big.NewInt(int64(size))) != 0 {
			t.Fatalf("inner sizes sum to %v over the outer grid, the whole space has %d", total, size)
		}
	})
}

// insideUnselected reports whether the point with p's hints sits, in s,
// inside a candidate of a point the filter did not select (so the outer
// search cannot decide it).
func insideUnselected(s *Space, p *DecisionPoint) bool {
	for _, q := range s.Spec().All() {
		if q.Hyper == p.Hyper {
			for par, _ := q.Parent(); par != nil; par, _ = par.Parent() {
				if !par.HasHint("outer") {
					return true
				}
			}
		}
	}
	return false
}

// TestPropertyNamesAndLookup: IDs are unique, Lookup finds every point,
// Parent finds the candidate holding a point, ByNames selects a named
// top-level point alone, and All is depth first.
func TestPropertyNamesAndLookup(t *testing.T) {
	for seed := range propSeeds() / 5 {
		s, _ := genSpace(t, seed, randomOpts)
		spec := s.Spec()
		ids := map[string]bool{}
		for i, p := range spec.All() {
			if ids[p.ID] {
				t.Fatalf("seed %d: two points with ID %q", seed, p.ID)
			}
			ids[p.ID] = true
			q, ok := spec.Lookup(p.ID)
			if !ok || q != p {
				t.Fatalf("seed %d: Lookup(%q) = %v, %v", seed, p.ID, q, ok)
			}
			if par, i := p.Parent(); par != nil {
				if !slices.Contains(par.Candidates[i].Points, p) && !containsDeep(par.Candidates[i].Points, p) {
					t.Fatalf("seed %d: %v is not in candidate %d of its parent %v", seed, p, i, par)
				}
			}
			if p.Name != "" {
				want := 1 // a nested point is inside a candidate of a point not selected
				if par, _ := p.Parent(); par != nil {
					want = 0
				}
				f := s.Filter(ByNames(p.Name))
				if got := len(f.Spec().All()); got != want || want == 1 && f.Spec().All()[0].ID != p.ID {
					t.Fatalf("seed %d: Filter(ByNames(%q)) has %d points, want %d", seed, p.Name, got, want)
				}
			}
			if p.index != i {
				t.Fatalf("seed %d: point %d has index %d", seed, i, p.index)
			}
		}
		var depthFirst []*DecisionPoint
		var walk func([]*DecisionPoint)
		walk = func(ps []*DecisionPoint) {
			for _, p := range ps {
				depthFirst = append(depthFirst, p)
				for _, c := range p.Candidates {
					walk(c.Points)
				}
			}
		}
		walk(spec.Points)
		if !slices.Equal(depthFirst, spec.All()) {
			t.Fatalf("seed %d: All is not depth first", seed)
		}
	}
}

func containsDeep(points []*DecisionPoint, p *DecisionPoint) bool {
	for _, q := range points {
		if q == p {
			return true
		}
		for _, c := range q.Candidates {
			if containsDeep(c.Points, p) {
				return true
			}
		}
	}
	return false
}

// TestConcurrentUse: a Space and its DNASpec are safe for concurrent use
// (run with -race).
func TestConcurrentUse(t *testing.T) {
	s, _ := genSpace(t, 42, randomOpts)
	outer := s.Filter(ByHints("outer"))
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for range 200 {
				d := s.Spec().Random(rng)
				p, err := s.Decode(d)
				if err != nil {
					errs <- err
					return
				}
				if _, err := s.Encode(p); err != nil {
					errs <- err
					return
				}
				if _, err := s.Spec().ParseNumbers(s.Spec().Format(d)); err != nil {
					errs <- err
					return
				}
				if _, err := outer.Decode(outer.Spec().Random(rng)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
