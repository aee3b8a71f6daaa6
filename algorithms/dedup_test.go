package algorithms_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// stubAlgorithm proposes the DNA of propose in turn (the last one
// forever) and records what it is told.
type stubAlgorithm struct {
	propose   []space.DNA
	err       error
	multi     bool
	proposals int
	feedback  []algorithms.Result
	recovered []algorithms.Result
}

func (s *stubAlgorithm) Setup(*space.DNASpec) error { return nil }

func (s *stubAlgorithm) Propose(context.Context) (space.DNA, error) {
	if s.err != nil {
		return space.DNA{}, s.err
	}
	d := s.propose[min(s.proposals, len(s.propose)-1)]
	s.proposals++
	return d, nil
}

func (s *stubAlgorithm) Feedback(r algorithms.Result) { s.feedback = append(s.feedback, r) }

func (s *stubAlgorithm) MultiObjective() bool { return s.multi }

// stubRecoverer is a stubAlgorithm with a Recover method.
type stubRecoverer struct{ stubAlgorithm }

func (s *stubRecoverer) Recover(h []algorithms.Result) error { s.recovered = h; return nil }

// TestDedupExhausts: over a finite space, Dedup of random search proposes
// every program once, then ErrDone at once.
func TestDedupExhausts(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[1].yaml) // 7 × 4 = 28 programs
	d := &algorithms.Dedup{Inner: &algorithms.Random{Seed: 1}, MaxRetries: 10000}
	if err := d.Setup(spec); err != nil {
		t.Fatal(err)
	}
	checkExhaustive(t, spec, d)
}

// TestDedupMaxRetries: after MaxRetries duplicates in a row Dedup falls
// back to an unseen DNA instead of giving up.
func TestDedupMaxRetries(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
	}{
		{"continuous", "x: !float {min: 0, max: 1}"},
		{"finite", "x: !int {min: 0, max: 1000}"},
	} {
		for _, retries := range []int{0, 1, 5} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, retries), func(t *testing.T) {
				spec := yamlSpec(t, tc.yaml)
				inner := &stubAlgorithm{propose: []space.DNA{member(0)}}
				d := &algorithms.Dedup{Inner: inner, MaxRetries: retries}
				if err := d.Setup(spec); err != nil {
					t.Fatal(err)
				}
				first := spec.Format(mustPropose(t, d))
				second := mustPropose(t, d)
				if err := spec.Validate(second); err != nil {
					t.Fatal(err)
				}
				if spec.Format(second) == first {
					t.Errorf("second proposal %s repeats the first", first)
				}
				want := retries
				if want == 0 {
					want = 20
				}
				if got := inner.proposals - 1; got != want {
					t.Errorf("%d duplicates before the fallback, want %d", got, want)
				}
			})
		}
	}
}

// repeatSpace is a space of 72 programs.
const repeatSpace = `
act: !oneof [relu, gelu, tanh]
width: !oneof [16, 32, 64, 128]
depth: !int {min: 1, max: 3}
drop: !oneof [0.0, 0.5]
`

// TestDedupExhaustsRepeating: however much the inner algorithm repeats
// itself (a stub that proposes one DNA forever, TPE and evolution that
// learn to favour the best program), Dedup proposes every program of a
// finite space exactly once, then ErrDone.
func TestDedupExhaustsRepeating(t *testing.T) {
	spec := yamlSpec(t, repeatSpace)
	if n, _ := spec.Size(); n.Int64() != 72 {
		t.Fatalf("space of %v programs, want 72", n)
	}
	inners := []struct {
		name  string
		inner algorithms.Algorithm
	}{
		{"stub", &stubAlgorithm{propose: []space.DNA{space.DNA{Children: []space.DNA{{Value: 0}, {Value: 0}, {Value: 1}, {Value: 0}}}}}},
		{"tpe", &algorithms.TPE{Seed: 3, NStartupTrials: 5}},
		{"evolution", &algorithms.RegularizedEvolution{Population: 8, Tournament: 3, Seed: 3}},
	}
	for _, tc := range inners {
		t.Run(tc.name, func(t *testing.T) {
			d := &algorithms.Dedup{Inner: tc.inner}
			if err := d.Setup(spec); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			seen := map[string]bool{}
			for n := 0; ; n++ {
				dna, err := d.Propose(ctx)
				if errors.Is(err, algorithms.ErrDone) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				k := spec.Format(dna)
				if seen[k] {
					t.Fatalf("trial %d: %s proposed twice", n, k)
				}
				seen[k] = true
				// The reward favours one program, so that a learning
				// algorithm keeps coming back to it.
				d.Feedback(algorithms.Result{Trial: n, DNA: dna, Rewards: []float64{-spec.Numbers(dna)[0] - spec.Numbers(dna)[1]}})
			}
			if len(seen) != 72 {
				t.Fatalf("%d proposals then ErrDone, want 72", len(seen))
			}
		})
	}
}

// TestDedupFallbackDeterministic: two Dedups given the same history
// propose the same fallback DNA for a trial, whatever they proposed
// before; different trials fall back to different DNA.
func TestDedupFallbackDeterministic(t *testing.T) {
	spec := yamlSpec(t, repeatSpace)
	ctx := context.Background()
	stuck := space.DNA{Children: []space.DNA{{Value: 0}, {Value: 0}, {Value: 1}, {Value: 0}}}
	newDedup := func() *algorithms.Dedup {
		d := &algorithms.Dedup{Inner: &stubAlgorithm{propose: []space.DNA{stuck}}, MaxRetries: 2}
		if err := d.Setup(spec); err != nil {
			t.Fatal(err)
		}
		if err := d.Recover([]algorithms.Result{{Trial: 0, DNA: stuck, Rewards: []float64{1}}}); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := newDedup(), newDedup()
	// b proposes (and forgets) for trials 1 and 2 first.
	for _, n := range []int{1, 2} {
		if _, err := b.ProposeTrial(ctx, n, 0); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]bool{}
	for n := 1; n <= 3; n++ {
		da, err := a.ProposeTrial(ctx, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		db, err := b.ProposeTrial(ctx, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		if spec.Format(da) != spec.Format(db) {
			t.Errorf("trial %d: %s and %s for one history", n, spec.Format(da), spec.Format(db))
		}
		got[spec.Format(da)] = true
		if err := a.Recover([]algorithms.Result{{Trial: n, DNA: da}}); err != nil {
			t.Fatal(err)
		}
		if err := b.Recover([]algorithms.Result{{Trial: n, DNA: db}}); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 3 || got[spec.Format(stuck)] {
		t.Errorf("fallbacks %v: want three DNA other than the stuck one", got)
	}
}

// TestDedupPassesThrough: feedback, errors and multi-objectiveness are
// the inner algorithm's; duplicates are skipped, not fed back.
func TestDedupPassesThrough(t *testing.T) {
	spec := intSpec(t)
	inner := &stubAlgorithm{propose: []space.DNA{member(1), member(1), member(2)}, multi: true}
	d := &algorithms.Dedup{Inner: inner}
	if err := d.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if !d.MultiObjective() {
		t.Error("MultiObjective false, the inner algorithm's is true")
	}
	if got := value(mustPropose(t, d)); got != 1 {
		t.Errorf("first proposal %d, want 1", got)
	}
	if got := value(mustPropose(t, d)); got != 2 {
		t.Errorf("second proposal %d, want 2 (1 is a duplicate)", got)
	}
	feed(d, 2, 0.5)
	if len(inner.feedback) != 1 || value(inner.feedback[0].DNA) != 2 || inner.feedback[0].Rewards[0] != 0.5 {
		t.Errorf("inner feedback %v, want the one result", inner.feedback)
	}
	inner.err = errors.New("boom")
	if _, err := d.Propose(context.Background()); err != inner.err {
		t.Errorf("Propose: %v, want the inner error", err)
	}
	if (&algorithms.Dedup{Inner: &algorithms.Random{}}).MultiObjective() {
		t.Error("Dedup of random search is multi-objective")
	}
	if err := (&algorithms.Dedup{}).Setup(spec); err == nil {
		t.Error("Setup without Inner: no error")
	}
}

// TestDedupCancel: a cancelled context ends the retries.
func TestDedupCancel(t *testing.T) {
	inner := &stubAlgorithm{propose: []space.DNA{member(0)}}
	d := &algorithms.Dedup{Inner: inner, MaxRetries: 1 << 30}
	if err := d.Setup(intSpec(t)); err != nil {
		t.Fatal(err)
	}
	mustPropose(t, d)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Propose(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Propose: %v, want context.Canceled", err)
	}
}

// TestDedupRecover: with an inner Recoverer, Recover hands it the history
// and remembers its DNA as proposed.
func TestDedupRecover(t *testing.T) {
	inner := &stubRecoverer{stubAlgorithm{propose: []space.DNA{member(3), member(3), member(4)}}}
	d := &algorithms.Dedup{Inner: inner}
	if err := d.Setup(intSpec(t)); err != nil {
		t.Fatal(err)
	}
	history := []algorithms.Result{{Trial: 0, DNA: member(3), Rewards: []float64{1}}}
	if err := algorithms.Recover(context.Background(), d, history); err != nil {
		t.Fatal(err)
	}
	if len(inner.recovered) != 1 || inner.proposals != 0 {
		t.Errorf("inner recovered %v after %d proposals, want the history and none", inner.recovered, inner.proposals)
	}
	if got := value(mustPropose(t, d)); got != 4 {
		t.Errorf("proposal %d, want 4 (3 is in the history)", got)
	}
}

// TestDedupByTrial: a duplicate is a DNA proposed or recorded for
// another trial: Dedup then asks its inner algorithm for the trial's
// next draw. Asking again for a trial gives its DNA again; what Recover
// records for a trial stays taken, and replaces what was only proposed
// for it.
func TestDedupByTrial(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[0].yaml) // 36 programs
	ctx := context.Background()
	d := &algorithms.Dedup{Inner: &algorithms.Grid{}}
	if err := d.Setup(spec); err != nil {
		t.Fatal(err)
	}
	grid := &algorithms.Grid{}
	if err := grid.Setup(spec); err != nil {
		t.Fatal(err)
	}
	point := func(n int) space.DNA {
		dna, err := grid.ProposeTrial(ctx, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		return dna
	}
	steps := []struct {
		name     string
		trial    int
		recorded int // Recover records this grid point for trial; -1: propose
		want     int // the grid point proposed
	}{
		{"another worker's trial 3 drew again", 3, 4, 0},
		{"point 4 is taken", 4, -1, 5},
		{"again", 4, -1, 5},
		{"point 5 is proposed for trial 4", 5, -1, 6},
		{"trial 4 is recorded as point 9", 4, 9, 0},
		{"point 5 is free again", 5, -1, 5},
		{"trial 3 asked again: its draw 0 is free", 3, -1, 3},
		{"point 4 stays recorded for trial 3", 6, -1, 6},
		{"points 4 (recorded), 5 and 6 (proposed) are taken", 4, -1, 7},
	}
	for _, st := range steps {
		if st.recorded >= 0 {
			if err := d.Recover([]algorithms.Result{{Trial: st.trial, DNA: point(st.recorded)}}); err != nil {
				t.Fatal(err)
			}
			continue
		}
		dna, err := d.ProposeTrial(ctx, st.trial, 0)
		if err != nil {
			t.Fatalf("%s: ProposeTrial(%d): %v", st.name, st.trial, err)
		}
		if got, want := spec.Format(dna), spec.Format(point(st.want)); got != want {
			t.Errorf("%s: trial %d: %s, want grid point %d, %s", st.name, st.trial, got, st.want, want)
		}
	}
}
