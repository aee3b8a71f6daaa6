package algorithms

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"

	"github.com/c2602f9e/goglove/space"
)

// TrialProposer is implemented by algorithms that propose for a numbered
// trial, so that many workers sharing a study agree on what each trial
// is: the proposal for trial n depends only on n, the seed and the
// results fed back (in their order), never on how many proposals were
// made, replayed or discarded before. Randomness comes from a stream of
// the trial's own, derived from the seed and n, so that two trials never
// draw the same numbers and every worker given the same results would
// propose the same DNA for trial n. Every algorithm of this package is a
// TrialProposer; with an injected Rand instead of a Seed, trials share
// that source in turn and the proposal for n depends on the draws made
// before.
//
// A worker catches up with the trials others proposed as with any
// algorithm, by replaying them (ProposeTrial for each, its DNA
// discarded, then Feedback with its result; see Recover): for a seeded
// TrialProposer the replayed proposals leave no trace, and only the
// results count, while an injected source is kept where the others'
// proposals left it. Plain Propose proposes for the trial after the last
// one proposed for (trial 0 first), as if trials were numbered in
// proposal order.
type TrialProposer interface {
	Algorithm
	// ProposeTrial returns the DNA to evaluate as trial number trial (from
	// 0), or ErrDone. draw counts the proposals for this trial that the
	// caller rejected before (0 first; Dedup asks again with 1, 2, … on a
	// duplicate): each draw has a stream of its own. Calling it again with
	// the same arguments and the same results fed back returns the same
	// DNA.
	ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error)
}

// ProposeTrial asks a for the DNA of draw draw of trial number trial:
// with its ProposeTrial method if it is a TrialProposer, else with
// Propose (whose proposals then depend on the calls before).
func ProposeTrial(ctx context.Context, a Algorithm, trial, draw int) (space.DNA, error) {
	if p, ok := a.(TrialProposer); ok {
		return p.ProposeTrial(ctx, trial, draw)
	}
	return a.Propose(ctx)
}

// checkTrial is ProposeTrial's check of its numbers.
func checkTrial(algo string, trial, draw int) error {
	if trial < 0 || draw < 0 {
		return errors.New("algorithms: " + algo + ": ProposeTrial(" + strconv.Itoa(trial) + ", " + strconv.Itoa(draw) + "): negative trial or draw")
	}
	return nil
}

// The purposes of the streams of a trialRand: a trial's proposal, the
// step a mirrored pair of CMA-ES samples shares, an unmirrored CMA-ES
// sample, an IPOP restart.
const (
	purposeTrial uint64 = iota + 1
	purposePair
	purposeSample
	purposeRestart
)

// trialRand is an algorithm's random source. Seeded, it points rng at a
// PCG stream of its own for each (purpose, i, j): rand.NewPCG(seed, h)
// with h a hash of the algorithm's stream constant, purpose, i and j
// (distinct algorithms given one seed draw distinct numbers). Injected,
// rng is that source, drawn in turn whatever the stream asked for.
type trialRand struct {
	rng    *rand.Rand
	src    *rand.PCG // nil when injected
	seed   uint64
	stream uint64
}

func newTrialRand(seed, stream uint64, injected *rand.Rand) trialRand {
	if injected != nil {
		return trialRand{rng: injected}
	}
	src := rand.NewPCG(seed, stream)
	return trialRand{rng: rand.New(src), src: src, seed: seed, stream: stream}
}

// injected reports whether the source was injected (trials share it).
func (t *trialRand) injected() bool { return t.src == nil }

// at points rng at the stream of (purpose, i, j) and returns it.
func (t *trialRand) at(purpose uint64, i, j int) *rand.Rand {
	if t.src != nil {
		h := mix64(t.stream ^ mix64(purpose))
		h = mix64(h ^ uint64(i))
		h = mix64(h ^ uint64(j))
		t.src.Seed(t.seed, h)
	}
	return t.rng
}

// trial points rng at the stream of a draw of a trial and returns it.
func (t *trialRand) trial(trial, draw int) *rand.Rand { return t.at(purposeTrial, trial, draw) }

// mix64 is SplitMix64's finalizer: a bijection of 64-bit words that
// scatters nearby inputs.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
