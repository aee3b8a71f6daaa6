package space

import (
	"errors"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestGridOrder pins the grid order of a fixed space: the last decision
// turns fastest, candidates in index order, ManyOf and Permutation
// choices in lexicographic order of their indices. Algorithms that sweep
// a space rely on this order staying the same.
func TestGridOrder(t *testing.T) {
	s := yamlSpace(t, `
opt: !oneof [{name: sgd, m: !oneof [0.0, 0.9]}, adam]
depth: !int {min: 1, max: 2}
layers: !manyof {k: 2, candidates: [a, b, c], sorted: true}
order: !permutation [x, y]
`)
	want := []string{
		"[0, 0, 1, 0, 1, 0, 1]",
		"[0, 0, 1, 0, 1, 1, 0]",
		"[0, 0, 1, 0, 2, 0, 1]",
		"[0, 0, 1, 0, 2, 1, 0]",
		"[0, 0, 1, 1, 2, 0, 1]",
		"[0, 0, 1, 1, 2, 1, 0]",
		"[0, 0, 2, 0, 1, 0, 1]",
		"[0, 0, 2, 0, 1, 1, 0]",
	}
	all := gridAll(t, s.Spec(), 36)
	if len(all) != 36 {
		t.Fatalf("grid has %d DNA, want 36", len(all))
	}
	for i, w := range want {
		if got := s.Spec().Format(all[i]); got != w {
			t.Errorf("grid[%d] = %s, want %s", i, got, w)
		}
	}
	for i, w := range map[int]string{12: "[0, 1, 1, 0, 1, 0, 1]", 24: "[1, 1, 0, 1, 0, 1]", 35: "[1, 2, 1, 2, 1, 0]"} {
		if got := s.Spec().Format(all[i]); got != w {
			t.Errorf("grid[%d] = %s, want %s", i, got, w)
		}
	}
	p, err := s.Decode(all[35])
	if err != nil || p.String() != "{opt: adam, depth: 2, layers: [b, c], order: [y, x]}" {
		t.Errorf("Decode(last) = %v, %v", p, err)
	}
	// The grid's DNA are independent copies.
	all[0].Children[0].Value = 1
	if again := gridAll(t, s.Spec(), 36); s.Spec().Format(again[0]) != want[0] {
		t.Error("changing a grid DNA changed the grid")
	}
}

func TestGridStopsEarly(t *testing.T) {
	s := MustNew(symbolic.NewList(Int(0, 1000000), Int(0, 1000000)))
	g, err := s.Spec().Grid()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range g {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("got %d DNA", n)
	}
}

func TestGridContinuous(t *testing.T) {
	s := yamlSpace(t, "a: !oneof [x, !float {min: 0, max: 1}]")
	_, err := s.Spec().Grid()
	if want := "space: cannot enumerate a continuous space (it has a Float decision)"; err == nil || err.Error() != want {
		t.Fatalf("Grid error %v, want %s", err, want)
	}
	if !errors.Is(err, ErrNotFinite) {
		t.Error("error does not wrap ErrNotFinite")
	}
}

func TestGridEmptySpace(t *testing.T) {
	s := MustNew(symbolic.NewDict(0))
	all := gridAll(t, s.Spec(), 2)
	if len(all) != 1 || len(all[0].Children) != 0 {
		t.Fatalf("grid of a space without decisions: %v", all)
	}
	if p, err := s.Decode(all[0]); err != nil || p.String() != "{}" {
		t.Fatalf("Decode = %v, %v", p, err)
	}
}

// TestGridIntAtPrecisionLimit shows that the grid of an Int whose max is
// 2^53 never ends: the float64 counter stops at 2^53 (2^53+1 rounds back
// to 2^53), although such bounds are accepted and the size is right.
func TestGridIntAtPrecisionLimit(t *testing.T) {
	s := MustNew(symbolic.NewList(Int(1<<53-1, 1<<53)))
	if got := s.Spec().SizeString(); got != "2" {
		t.Fatalf("size %s", got)
	}
	if n := len(gridAll(t, s.Spec(), 2)); n != 2 {
		t.Fatalf("grid has %d DNA, want 2", n)
	}
}
