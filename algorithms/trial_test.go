package algorithms_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// What workers sharing a study rely on: an algorithm's proposal for trial
// n depends only on n, its seed and the results fed back, not on the
// proposals it made, replayed or discarded before; and proposals for
// different trials differ on a continuous space.

// proposeFor asks a for draw 0 of trial n, failing the test on an error
// other than ErrDone.
func proposeFor(t *testing.T, a algorithms.Algorithm, n int) (space.DNA, bool) {
	t.Helper()
	d, err := algorithms.ProposeTrial(context.Background(), a, n, 0)
	if errors.Is(err, algorithms.ErrDone) {
		return space.DNA{}, false
	}
	if err != nil {
		t.Fatalf("ProposeTrial(%d): %v", n, err)
	}
	return d, true
}

func TestProposalDependsOnTrialAndHistory(t *testing.T) {
	spaces := conformanceSpaces(t)
	const history = 45 // past the start-up phases of TPE, evolution-small and NSGA-II (population 10)
	for _, c := range conformanceCases() {
		t.Run(c.name, func(t *testing.T) {
			if _, ok := c.new(1).(algorithms.TrialProposer); !ok {
				t.Fatal("not a TrialProposer")
			}
			for _, s := range spaces {
				t.Run(s.name, func(t *testing.T) {
					_, finite := s.spec.Size()
					if c.supports != nil && !c.supports(s.spec) {
						t.Skip("space not supported")
					}
					if finite && strings.HasPrefix(c.name, "dedup-") && !c.finiteOnly {
						// On a small finite space a proposal made for another
						// trial, kept or not, is one Dedup avoids.
						t.Skip("Dedup of a random inner algorithm on a finite space")
					}
					newAlgo := func() algorithms.Algorithm {
						a := c.new(11)
						if err := a.Setup(s.spec); err != nil {
							t.Fatalf("Setup: %v", err)
						}
						return a
					}
					past, _ := confRun(t, newAlgo(), s.spec, 0, history, c.objectives)

					// quiet is only given the history; busy also proposes
					// for trials of every number (ones already in the history,
					// ones far ahead, second draws) and discards them, before
					// and between the results.
					quiet, busy := newAlgo(), newAlgo()
					rng := rand.New(rand.NewPCG(5, 5))
					discard := func() {
						for range rng.IntN(4) {
							n, draw := rng.IntN(3*history), rng.IntN(3)
							if _, err := algorithms.ProposeTrial(context.Background(), busy, n, draw); err != nil && !errors.Is(err, algorithms.ErrDone) {
								t.Fatalf("ProposeTrial(%d, %d): %v", n, draw, err)
							}
							if rng.IntN(4) == 0 {
								if _, err := busy.Propose(context.Background()); err != nil && !errors.Is(err, algorithms.ErrDone) {
									t.Fatalf("Propose: %v", err)
								}
							}
						}
					}
					ctx := context.Background()
					if err := algorithms.Recover(ctx, quiet, past); err != nil {
						t.Fatal(err)
					}
					for _, r := range past {
						discard()
						if err := algorithms.Recover(ctx, busy, []algorithms.Result{r}); err != nil {
							t.Fatal(err)
						}
					}
					discard()
					for _, n := range []int{history + 3, history, history + 1, history + 17} {
						q, okQ := proposeFor(t, quiet, n)
						b, okB := proposeFor(t, busy, n)
						if okQ != okB || okQ && !q.Equal(b) {
							t.Fatalf("trial %d: %s after the history alone, %s after other proposals too", n, s.spec.Format(q), s.spec.Format(b))
						}
					}
				})
			}
		})
	}
}

// On a continuous space, the proposals for trials 0 to 39 given the same
// history (as workers that run the trials proposed before them would
// make them) never repeat a DNA.
func TestProposalsForDifferentTrialsDiffer(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[4].yaml) // continuous
	for _, c := range conformanceCases() {
		if c.supports != nil && !c.supports(spec) {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			a := c.new(3)
			if err := a.Setup(spec); err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			// Four "workers": trials are proposed four at a time, and the
			// results of a round arrive after the next round is proposed.
			var running []algorithms.Result
			for round := range 30 {
				var next []algorithms.Result
				for k := range 4 {
					n := 4*round + k
					d, ok := proposeFor(t, a, n)
					if !ok {
						t.Fatalf("trial %d: ErrDone", n)
					}
					key := spec.Format(d)
					if m, dup := seen[key]; dup {
						t.Fatalf("trials %d and %d: the same DNA %s", m, n, key)
					}
					seen[key] = n
					next = append(next, algorithms.Result{Trial: n, DNA: d, Rewards: confObjective(spec, n, d, c.objectives)})
				}
				for _, r := range running {
					a.Feedback(r)
				}
				running = next
			}
		})
	}
}
