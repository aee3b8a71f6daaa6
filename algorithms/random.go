package algorithms

import (
	"context"
	"errors"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// Random is random search: every proposal is drawn independently by
// DNASpec.Random, uniformly at each decision, from its trial's own
// stream, so that the proposal for trial n depends only on the seed and
// n (see TrialProposer). It ignores feedback and never runs out of
// proposals (a finite space's programs come back; wrap it in a Dedup to
// avoid that).
//
// A Random is not safe for concurrent use.
type Random struct {
	// Seed seeds the random source that Setup creates when Rand is nil.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`
	// Rand, if not nil, is the random source, used as is (Seed is then
	// ignored, and trials draw from it in turn rather than from streams
	// of their own).
	Rand *rand.Rand `sym:"-"`

	spec    *space.DNASpec
	streams trialRand
	next    int // the trial Propose proposes for
}

var _ TrialProposer = (*Random)(nil)

// randomStream is the PCG stream of Random's source.
const randomStream = 0x72616e646f6d // "random"

// Setup prepares r for spec and (re)starts its random source.
func (r *Random) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("random")
	}
	r.spec = spec
	r.streams = newTrialRand(r.Seed, randomStream, r.Rand)
	r.next = 0
	return nil
}

// Propose returns a random DNA of the space for the next trial.
func (r *Random) Propose(ctx context.Context) (space.DNA, error) {
	return r.ProposeTrial(ctx, r.next, 0)
}

// ProposeTrial returns a random DNA of the space drawn from the stream of
// the given draw of trial.
func (r *Random) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if r.spec == nil {
		return space.DNA{}, errNotSetUp("random")
	}
	if err := checkTrial("random", trial, draw); err != nil {
		return space.DNA{}, err
	}
	r.next = trial + 1
	return r.spec.Random(r.streams.trial(trial, draw)), nil
}

// Feedback does nothing: random search does not learn.
func (r *Random) Feedback(Result) {}

// errNilSpec is Setup's error for a nil spec.
func errNilSpec(algo string) error {
	return errors.New("algorithms: " + algo + ": Setup with a nil DNASpec")
}

// errNotSetUp is Propose's error before Setup.
func errNotSetUp(algo string) error {
	return errors.New("algorithms: " + algo + ": Propose before Setup")
}

// The helpers below draw decisions exactly as DNASpec.Random does, for
// the parts of a DNA that operators redraw (the decisions inside a
// candidate that a mutation or a crossover newly chose).

// randomPoints draws one DNA per point.
func randomPoints(rng *rand.Rand, points []*space.DecisionPoint) []space.DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]space.DNA, len(points))
	for i, p := range points {
		out[i] = p.Random(rng)
	}
	return out
}

// randomSlot returns candidate i of the choice p with the decisions
// inside it drawn at random.
func randomSlot(rng *rand.Rand, p *space.DecisionPoint, i int) space.DNA {
	return p.RandomCandidate(rng, i)
}

// randomPoint draws the decision of one point.
func randomPoint(rng *rand.Rand, p *space.DecisionPoint) space.DNA { return p.Random(rng) }

// randomFloat draws a Float decision uniformly (its logarithm on the log
// scale), exactly as DNASpec.Random does.
func randomFloat(rng *rand.Rand, p *space.DecisionPoint) float64 { return p.RandomFloat(rng) }
