package algorithms_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// recordingMutator returns a copy of the parent and records it.
type recordingMutator struct{ parents *[]space.DNA }

func (m recordingMutator) Mutate(_ *rand.Rand, _ *space.DNASpec, parent space.DNA) space.DNA {
	*m.parents = append(*m.parents, parent)
	return parent.Clone()
}

// recordingRecombinator returns the first parent with the second's
// value added, and records the pairs.
type recordingRecombinator struct{ pairs *[][2]space.DNA }

func (r recordingRecombinator) Recombine(_ *rand.Rand, _ *space.DNASpec, a, b space.DNA) space.DNA {
	*r.pairs = append(*r.pairs, [2]space.DNA{a, b})
	return space.DNA{Children: []space.DNA{{Value: a.Children[0].Value + b.Children[0].Value}}}
}

// intSpec is one Int decision in [0, 1000]: DNA i stands for member i.
func intSpec(t *testing.T) *space.DNASpec { return yamlSpec(t, "x: !int {min: 0, max: 1000}") }

func member(i int) space.DNA { return space.DNA{Children: []space.DNA{{Value: float64(i)}}} }

func value(d space.DNA) int { return int(d.Children[0].Value) }

// feed reports DNA i with the given reward (NaN: failed).
func feed(a algorithms.Algorithm, i int, reward float64) {
	r := algorithms.Result{Trial: i, DNA: member(i)}
	if !math.IsNaN(reward) {
		r.Rewards = []float64{reward}
	}
	a.Feedback(r)
}

func mustPropose(t *testing.T, a algorithms.Algorithm) space.DNA {
	t.Helper()
	d, err := a.Propose(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEvolutionStartsRandom: the first Population proposals are
// DNASpec.Random's draws.
func TestEvolutionStartsRandom(t *testing.T) {
	spec := benchSpec(t)
	e := &algorithms.RegularizedEvolution{Rand: rand.New(rand.NewPCG(1, 2))}
	if err := e.Setup(spec); err != nil {
		t.Fatal(err)
	}
	want := rand.New(rand.NewPCG(1, 2))
	for i := range 100 {
		d := mustPropose(t, e)
		if w := spec.Random(want); !d.Equal(w) {
			t.Fatalf("proposal %d: %s, want %s", i, spec.Format(d), spec.Format(w))
		}
		e.Feedback(algorithms.Result{Trial: i, DNA: d, Rewards: []float64{1}})
	}
	if d := mustPropose(t, e); d.Equal(spec.Random(want)) {
		t.Error("proposal 100 is still random")
	}
}

// TestEvolutionAging: the oldest member dies, whatever its reward; failed
// results never join.
func TestEvolutionAging(t *testing.T) {
	var parents []space.DNA
	e := &algorithms.RegularizedEvolution{Population: 3, Tournament: 200, Seed: 1,
		Mutator: recordingMutator{&parents}}
	if err := e.Setup(intSpec(t)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		mustPropose(t, e) // random
	}
	steps := []struct {
		feed       int
		reward     float64
		wantParent int // the best of the population, with tournaments of 200 of 3
	}{
		{1, 10, 1},
		{2, 1, 1},
		{3, 2, 1},
		{4, 3, 4}, // 1 (reward 10) is the oldest: it dies
		{5, math.NaN(), 4},
		{6, math.NaN(), 4}, // failures do not age the population
		{7, 0.5, 4},
		{8, 0, 4},
		{9, -1, 7}, // 4 died
	}
	for _, s := range steps {
		feed(e, s.feed, s.reward)
		mustPropose(t, e)
		if got := value(parents[len(parents)-1]); got != s.wantParent {
			t.Fatalf("after feeding %d: parent %d, want %d", s.feed, got, s.wantParent)
		}
	}
}

// TestEvolutionRecombinator: after the random start, each proposal is the
// mutated child of two tournament winners.
func TestEvolutionRecombinator(t *testing.T) {
	var parents []space.DNA
	var pairs [][2]space.DNA
	e := &algorithms.RegularizedEvolution{Population: 2, Tournament: 100, Seed: 1,
		Mutator: recordingMutator{&parents}, Recombinator: recordingRecombinator{&pairs}}
	if err := e.Setup(intSpec(t)); err != nil {
		t.Fatal(err)
	}
	mustPropose(t, e)
	mustPropose(t, e)
	feed(e, 5, 1)
	feed(e, 7, 2)
	d := mustPropose(t, e)
	if len(pairs) != 1 || value(pairs[0][0]) != 7 || value(pairs[0][1]) != 7 {
		t.Fatalf("recombined %v, want 7 with 7", pairs)
	}
	if len(parents) != 1 || value(parents[0]) != 14 || value(d) != 14 {
		t.Fatalf("mutated %v and proposed %d, want the child 14", parents, value(d))
	}
}

// TestEvolutionAllFailed: with no member, proposals stay random.
func TestEvolutionAllFailed(t *testing.T) {
	spec := benchSpec(t)
	e := &algorithms.RegularizedEvolution{Population: 2, Seed: 3}
	if err := e.Setup(spec); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		d := mustPropose(t, e)
		if err := spec.Validate(d); err != nil {
			t.Fatal(err)
		}
		e.Feedback(algorithms.Result{Trial: i, DNA: d})
	}
}

func TestEvolutionBadConfig(t *testing.T) {
	spec := intSpec(t)
	for _, e := range []*algorithms.RegularizedEvolution{{Population: -1}, {Tournament: -2}} {
		if err := e.Setup(spec); err == nil {
			t.Errorf("%+v: Setup: no error", *e)
		}
	}
}

func BenchmarkRegularizedEvolution(b *testing.B) {
	benchTrials(b, &algorithms.RegularizedEvolution{Seed: 1})
}

func BenchmarkRegularizedEvolutionCrossover(b *testing.B) {
	benchTrials(b, &algorithms.RegularizedEvolution{Seed: 1, Recombinator: algorithms.UniformCrossover{}})
}

func BenchmarkHillClimb(b *testing.B) { benchTrials(b, &algorithms.HillClimb{Seed: 1}) }

// TestEvolutionSelector: a Selector replaces the tournaments.
func TestEvolutionSelector(t *testing.T) {
	var parents []space.DNA
	e := &algorithms.RegularizedEvolution{Population: 3, Seed: 1, Selector: algorithms.Bottom{},
		Mutator: recordingMutator{&parents}}
	if err := e.Setup(intSpec(t)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		mustPropose(t, e)
	}
	feed(e, 1, 3)
	feed(e, 2, 1)
	feed(e, 3, 2)
	mustPropose(t, e)
	if got := value(parents[0]); got != 2 {
		t.Errorf("parent %d, want the worst, 2", got)
	}
}
