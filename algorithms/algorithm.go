package algorithms

import (
	"context"
	"errors"

	"github.com/c2602f9e/goglove/space"
)

// ErrDone is returned by Propose when an algorithm has nothing more to
// propose (for example, grid search has exhausted a finite space).
var ErrDone = errors.New("algorithms: no more proposals")

// Result is what an algorithm learns about one finished trial.
type Result struct {
	// Trial is the trial's number, in proposal order, from 0: the number
	// it was proposed for (see TrialProposer; CMA-ES recognizes its
	// samples by it).
	Trial int
	// DNA is the DNA that was proposed.
	DNA space.DNA
	// Rewards holds one value per objective, oriented so that larger is
	// better (the search loop negates minimized metrics). It is nil when
	// the trial failed, was skipped or was stopped early without a value.
	Rewards []float64
	// Pending marks, in a history given to Recover, a trial that has not
	// finished (another worker runs it, or it waits to be started): its
	// DNA is taken, but there is no result to learn from yet; it comes
	// later through Feedback. Feedback is never given a pending result.
	Pending bool
}

// Failed reports whether the trial produced no rewards.
func (r Result) Failed() bool { return r.Rewards == nil }

// Algorithm proposes DNA for a space and learns from the rewards fed back.
// It sees only the space's DNASpec, never the programs.
//
// The search loop calls Setup once, then Propose and Feedback in any
// interleaving (several trials may be running), from one goroutine at a
// time: implementations need not be safe for concurrent use. Randomness
// comes from a seed or an injected source, so the same seed and the same
// feedback give the same proposals. An algorithm that also implements
// TrialProposer is asked for each trial by number, which keeps workers
// sharing a study from proposing the same DNA.
type Algorithm interface {
	// Setup prepares the algorithm for a space.
	Setup(spec *space.DNASpec) error
	// Propose returns the next DNA to evaluate, or ErrDone.
	Propose(ctx context.Context) (space.DNA, error)
	// Feedback reports the result of a DNA that Propose returned.
	Feedback(r Result)
}

// Recoverer is implemented by algorithms that rebuild their state from a
// study's history faster or more faithfully than by replaying it; see
// Recover.
type Recoverer interface {
	Recover(history []Result) error
}

// MultiObjective is implemented by algorithms that use every reward of a
// Result (NSGA-II); the others use only the first, the primary objective.
type MultiObjective interface {
	MultiObjective() bool
}

// Recover rebuilds an algorithm's state from a study's history, given in
// proposal order, after Setup: with its Recover method if it has one,
// otherwise by replaying it (ProposeTrial for the trial's number, see
// the function ProposeTrial, then Feedback with the recorded result
// unless it is Pending, for each trial). Replaying a history that the same algorithm produced with
// the same seed leaves it exactly where it stopped.
func Recover(ctx context.Context, a Algorithm, history []Result) error {
	if r, ok := a.(Recoverer); ok {
		return r.Recover(history)
	}
	for _, h := range history {
		if _, err := ProposeTrial(ctx, a, h.Trial, 0); err != nil && !errors.Is(err, ErrDone) {
			return err
		}
		if !h.Pending {
			a.Feedback(h)
		}
	}
	return nil
}
