package algorithms_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// TestHillClimb: random until a success, then mutations of the best so
// far; an equal result replaces it, a worse or failed one does not.
func TestHillClimb(t *testing.T) {
	spec := intSpec(t)
	var parents []space.DNA
	h := &algorithms.HillClimb{Rand: rand.New(rand.NewPCG(1, 2)), Mutator: recordingMutator{&parents}}
	if err := h.Setup(spec); err != nil {
		t.Fatal(err)
	}
	want := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		if d, w := mustPropose(t, h), spec.Random(want); !d.Equal(w) {
			t.Fatalf("before a success: %s, want the random %s", spec.Format(d), spec.Format(w))
		}
		feed(h, 0, math.NaN())
	}
	steps := []struct {
		feed       int
		reward     float64
		wantParent int
	}{
		{1, 5, 1},
		{2, 4, 1},
		{3, math.NaN(), 1},
		{4, 6, 4},
		{5, 6, 5},
		{6, -1, 5},
	}
	for _, s := range steps {
		feed(h, s.feed, s.reward)
		mustPropose(t, h)
		if got := value(parents[len(parents)-1]); got != s.wantParent {
			t.Fatalf("after feeding %d: parent %d, want %d", s.feed, got, s.wantParent)
		}
	}
}
