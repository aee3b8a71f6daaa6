package algorithms_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestGridOrder: on random finite spaces, Grid proposes exactly what
// DNASpec.Grid yields, in the same order, then ErrDone.
func TestGridOrder(t *testing.T) {
	seeds := uint64(400)
	if testing.Short() {
		seeds = 100
	}
	ctx := context.Background()
	for seed := range seeds {
		spec := genSpec(t, seed, false)
		size, _ := spec.Size()
		if !size.IsInt64() || size.Int64() > 5000 {
			continue
		}
		seq, err := spec.Grid()
		if err != nil {
			t.Fatal(err)
		}
		g := &algorithms.Grid{}
		if err := g.Setup(spec); err != nil {
			t.Fatal(err)
		}
		n := 0
		for want := range seq {
			got, err := g.Propose(ctx)
			if err != nil {
				t.Fatalf("seed %d: proposal %d: %v", seed, n, err)
			}
			if !got.Equal(want) {
				t.Fatalf("seed %d: proposal %d: got %s, want %s", seed, n, spec.Format(got), spec.Format(want))
			}
			n++
		}
		if _, err := g.Propose(ctx); !errors.Is(err, algorithms.ErrDone) {
			t.Fatalf("seed %d: after %d proposals: %v, want ErrDone", seed, n, err)
		}
	}
}

func TestGridContinuous(t *testing.T) {
	spec := yamlSpec(t, "a: !oneof [x, y]\nlr: !float {min: 0.001, max: 0.1}\n")
	err := (&algorithms.Grid{}).Setup(spec)
	if !errors.Is(err, space.ErrNotFinite) {
		t.Fatalf("Setup: %v, want an error wrapping space.ErrNotFinite", err)
	}
	if !strings.HasPrefix(err.Error(), "algorithms: grid:") || !strings.Contains(err.Error(), "lr") {
		t.Errorf("Setup: %q, want the package prefix and the float decision's ID", err)
	}
}

// TestGridHuge: a space of 10^40 programs is not listed: Setup and the
// first proposals are instant, and the odometer turns as documented.
func TestGridHuge(t *testing.T) {
	tree := symbolic.NewDict(40)
	for i := range 40 {
		tree.Set("d"+strconv.Itoa(i), space.OneOf(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))
	}
	s, err := space.New(tree)
	if err != nil {
		t.Fatal(err)
	}
	spec := s.Spec()
	g := &algorithms.Grid{}
	if err := g.Setup(spec); err != nil {
		t.Fatal(err)
	}
	var last space.DNA
	for range 12 {
		if last, err = g.Propose(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	want := "[" + strings.Repeat("0, ", 38) + "1, 1]"
	if got := spec.Format(last); got != want {
		t.Errorf("12th proposal %s, want %s", got, want)
	}
}

// TestGridSetupRewinds: Setup starts the grid over.
func TestGridSetupRewinds(t *testing.T) {
	spec := yamlSpec(t, "a: !oneof [x, y, z]\n")
	g := &algorithms.Grid{}
	ctx := context.Background()
	for round := range 2 {
		if err := g.Setup(spec); err != nil {
			t.Fatal(err)
		}
		var got []string
		for {
			d, err := g.Propose(ctx)
			if err != nil {
				break
			}
			got = append(got, spec.Format(d))
		}
		if s := strings.Join(got, " "); s != "[0] [1] [2]" {
			t.Errorf("round %d: %s", round, s)
		}
	}
}

func BenchmarkGrid(b *testing.B) {
	g := &algorithms.Grid{}
	if err := g.Setup(yamlSpec(b, conformanceYAML[1].yaml+"w: !oneof [16, 32, 64, 128, 256, 512, 1024, 2048]\nd: !int {min: 1, max: 1000000}\n")); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Propose(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGridByNumber: trial n is the n-th DNA in grid order and draw k of
// it the (n+k)-th, in whatever order trials are asked for (forward, back,
// again); past the last DNA it is ErrDone, and negative numbers are an
// error.
func TestGridByNumber(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[0].yaml) // 3 × 4 × 3 = 36 programs
	ctx := context.Background()
	seq, err := spec.Grid()
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for d := range seq {
		order = append(order, spec.Format(d))
	}
	g := &algorithms.Grid{}
	if err := g.Setup(spec); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ trial, draw int }{{5, 0}, {35, 0}, {2, 0}, {2, 0}, {3, 4}, {0, 0}, {30, 5}, {20, 1}}
	for _, tt := range tests {
		d, err := g.ProposeTrial(ctx, tt.trial, tt.draw)
		if err != nil {
			t.Fatalf("ProposeTrial(%d, %d): %v", tt.trial, tt.draw, err)
		}
		if got, want := spec.Format(d), order[tt.trial+tt.draw]; got != want {
			t.Errorf("ProposeTrial(%d, %d) = %s, want %s", tt.trial, tt.draw, got, want)
		}
	}
	for _, tt := range []struct{ trial, draw int }{{36, 0}, {30, 6}, {1000, 0}} {
		if _, err := g.ProposeTrial(ctx, tt.trial, tt.draw); !errors.Is(err, algorithms.ErrDone) {
			t.Errorf("ProposeTrial(%d, %d): %v, want ErrDone", tt.trial, tt.draw, err)
		}
	}
	// After ErrDone, earlier trials are still there.
	if d, err := g.ProposeTrial(ctx, 7, 0); err != nil || spec.Format(d) != order[7] {
		t.Errorf("ProposeTrial(7, 0) after ErrDone = %s, %v; want %s", spec.Format(d), err, order[7])
	}
	for _, tt := range []struct{ trial, draw int }{{-1, 0}, {0, -1}} {
		if _, err := g.ProposeTrial(ctx, tt.trial, tt.draw); err == nil || errors.Is(err, algorithms.ErrDone) {
			t.Errorf("ProposeTrial(%d, %d): %v, want an error", tt.trial, tt.draw, err)
		}
	}
}
