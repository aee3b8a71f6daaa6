package space

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestRandomDistribution: Random draws each decision uniformly: Int
// values, ManyOf subsets (sorted) and tuples, Permutation orders, and
// Float values on linear and log scales.
func TestRandomDistribution(t *testing.T) {
	const n = 12000
	tests := []struct {
		name  string
		h     Hyper
		cells int // distinct outcomes expected
	}{
		{"int", Int(-2, 3), 6},
		{"manyof distinct sorted", ManyOf(2, "a", "b", "c", "d").Sorted(true), 6},
		{"manyof distinct", ManyOf(2, "a", "b", "c"), 6},
		{"manyof repeats", ManyOf(2, "a", "b", "c").Distinct(false), 9},
		{"permutation", Permutation("a", "b", "c"), 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := MustNew(symbolic.NewList(tc.h))
			rng := rand.New(rand.NewPCG(3, 4))
			counts := map[string]int{}
			for range n {
				counts[s.Spec().Format(s.Spec().Random(rng))]++
			}
			if len(counts) != tc.cells {
				t.Fatalf("%d outcomes, want %d: %v", len(counts), tc.cells, counts)
			}
			want := float64(n) / float64(tc.cells)
			for k, c := range counts {
				if math.Abs(float64(c)-want) > 5*math.Sqrt(want) {
					t.Errorf("%s drawn %d times, want about %.0f", k, c, want)
				}
			}
		})
	}
	// Repeats, sorted: multisets, each index tuple drawn as often as it is
	// the sorted form of the tuples: [0, 0] once, [0, 1] twice.
	s := MustNew(symbolic.NewList(ManyOf(2, "a", "b").Distinct(false).Sorted(true)))
	rng := rand.New(rand.NewPCG(5, 6))
	counts := map[string]int{}
	for range n {
		counts[s.Spec().Format(s.Spec().Random(rng))]++
	}
	if len(counts) != 3 || math.Abs(float64(counts["[0, 1]"])-n/2) > 5*math.Sqrt(n/2) {
		t.Errorf("repeats sorted: %v", counts)
	}
	for _, tc := range []struct {
		name        string
		h           *Numeric
		median, tol float64
	}{
		{name: "linear", h: Float(-1, 3), median: 1, tol: 0.1},
		{name: "log", h: Float(1e-4, 1).Log(), median: 1e-2, tol: 2e-3},
	} {
		s := MustNew(symbolic.NewList(tc.h))
		rng := rand.New(rand.NewPCG(7, 8))
		vals := make([]float64, 4001)
		for i := range vals {
			vals[i] = s.Spec().Random(rng).Children[0].Value
		}
		slices.Sort(vals)
		min, max := tc.h.Bounds()
		if vals[0] < min || vals[len(vals)-1] > max {
			t.Errorf("%s: values in [%g, %g], bounds [%g, %g]", tc.name, vals[0], vals[len(vals)-1], min, max)
		}
		if m := vals[len(vals)/2]; math.Abs(m-tc.median) > tc.tol {
			t.Errorf("%s: median %g, want about %g", tc.name, m, tc.median)
		}
	}
}

// TestRandomFloatHugeRange shows that a Float whose max−min overflows
// float64 always draws max: min + u·(max−min) is +Inf, clamped to max.
func TestRandomFloatHugeRange(t *testing.T) {
	s := MustNew(symbolic.NewList(Float(-1e308, 1e308)))
	rng := rand.New(rand.NewPCG(1, 2))
	below := 0
	for range 100 {
		d := s.Spec().Random(rng)
		if err := s.Spec().Validate(d); err != nil {
			t.Fatal(err)
		}
		if d.Children[0].Value < 0 {
			below++
		}
	}
	if below < 25 || below > 75 {
		t.Errorf("%d of 100 draws below 0, want about 50", below)
	}
}

// TestManyOfHugeK shows that a ManyOf with repeats and a huge k (k may be
// up to 2^53 in YAML) makes New panic computing the size (sorted), or
// allocate without bound (unsorted, and Random); a file can crash a
// program that loads it.
func TestManyOfHugeK(t *testing.T) {
	// (Unsorted is not tried: it would build a 2^53-bit number.)
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		_, err = New(symbolic.NewList(ManyOf(1<<53, "a", "b").Distinct(false).Sorted(true)))
		return err
	}()
	if err == nil || strings.HasPrefix(err.Error(), "panic:") {
		t.Errorf("New = %v, want an error", err)
	}
}
