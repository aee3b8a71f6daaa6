package algorithms

import (
	"context"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// HillClimb is stochastic hill climbing: it keeps the best result so far
// and proposes mutations of it. The first proposal (and every proposal
// until a result succeeds) is random. A result at least as good as the
// best replaces it, so the search drifts across plateaus instead of
// stopping on them. It uses the primary reward, Rewards[0]; failed
// results are ignored. Each trial draws from a stream of its own (see
// TrialProposer).
//
// A HillClimb is not safe for concurrent use.
type HillClimb struct {
	// Mutator changes the best DNA. If it is nil, Uniform{} is used.
	Mutator Mutator `doc:"changes the best program so far (default algorithms.Uniform)"`
	// Seed seeds the random source that Setup creates when Rand is nil.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`
	// Rand, if not nil, is the random source, used as is (Seed is then
	// ignored, and trials draw from it in turn rather than from streams
	// of their own).
	Rand *rand.Rand `sym:"-"`

	spec    *space.DNASpec
	streams trialRand
	mutator Mutator
	best    Result
	hasBest bool
	next    int // the trial Propose proposes for
}

var _ TrialProposer = (*HillClimb)(nil)

const hillClimbStream = 0x68696c6c // "hill"

// Setup prepares h for spec and forgets the best result.
func (h *HillClimb) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("hill climb")
	}
	h.spec = spec
	h.streams = newTrialRand(h.Seed, hillClimbStream, h.Rand)
	h.next = 0
	h.mutator = h.Mutator
	if h.mutator == nil {
		h.mutator = Uniform{}
	}
	h.best, h.hasBest = Result{}, false
	return nil
}

// Propose returns the proposal for the next trial; see ProposeTrial.
func (h *HillClimb) Propose(ctx context.Context) (space.DNA, error) {
	return h.ProposeTrial(ctx, h.next, 0)
}

// ProposeTrial returns a mutation of the best DNA so far, or a random DNA
// before the first success, drawn from the stream of the given draw of
// trial.
func (h *HillClimb) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if h.spec == nil {
		return space.DNA{}, errNotSetUp("hill climb")
	}
	if err := checkTrial("hill climb", trial, draw); err != nil {
		return space.DNA{}, err
	}
	h.next = trial + 1
	rng := h.streams.trial(trial, draw)
	if !h.hasBest {
		return h.spec.Random(rng), nil
	}
	return h.mutator.Mutate(rng, h.spec, h.best.DNA), nil
}

// Feedback keeps r if it is at least as good as the best so far.
func (h *HillClimb) Feedback(r Result) {
	if h.spec == nil || !usable(r) {
		return
	}
	if !h.hasBest || primary(r) >= primary(h.best) {
		h.best, h.hasBest = r, true
	}
}
