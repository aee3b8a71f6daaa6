package algorithms

import (
	"context"
	"errors"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// RegularizedEvolution is regularized (aging) evolution, Real et al.
// 2019, "Regularized Evolution for Image Classifier Architecture Search":
// the first Population trials (numbers 0 to Population−1) are random;
// after that each proposal is
// a mutation of the winner of a tournament among the current population
// (or, with a Recombinator, a mutation of the child of two tournament
// winners), drawn from the trial's own stream (see TrialProposer). Every
// successful result joins the population, and once it
// holds Population members the oldest is removed: age, not fitness,
// decides who dies, which keeps the search exploring. Failed results
// (and results whose primary reward is NaN) are dropped. It uses the
// primary reward, Rewards[0]. While the population is empty (every
// result so far failed or none has arrived) proposals stay random.
//
// The zero value is the algorithm of the paper with PyGlove's defaults
// (population 100, tournament 10, Uniform mutation). Recover by replay
// (the package's Recover) restores it exactly.
//
// A RegularizedEvolution is not safe for concurrent use.
type RegularizedEvolution struct {
	// Population is the size of the population, and the number of random
	// proposals that start the search. If it is 0, a default of 100 is
	// used.
	Population int `min:"0" max:"100000" doc:"population size (default 100)"`
	// Tournament is the size of the tournaments that select parents (see
	// Tournament). If it is 0, a default of 10 is used.
	Tournament int `min:"0" max:"100000" doc:"tournament size (default 10)"`
	// Selector, if not nil, selects the parents instead of tournaments
	// (Tournament is then ignored).
	Selector Selector `doc:"selects the parents (default tournaments of the tournament size: algorithms.Tournament)"`
	// Mutator changes the selected parent. If it is nil, Uniform{} is
	// used.
	Mutator Mutator `doc:"changes the selected parent (default algorithms.Uniform)"`
	// Recombinator, if not nil, makes a child of two selected parents
	// before the mutation.
	Recombinator Recombinator `doc:"makes a child of two parents before the mutation (default none)"`
	// Seed seeds the random source that Setup creates when Rand is nil.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`
	// Rand, if not nil, is the random source, used as is (Seed is then
	// ignored, and trials draw from it in turn rather than from streams
	// of their own).
	Rand *rand.Rand `sym:"-"`

	spec    *space.DNASpec
	streams trialRand
	rng     *rand.Rand // streams.rng
	size    int
	tsize   int
	mutator Mutator
	pop     []Result // the population; pop[oldest] is the oldest once full
	oldest  int
	next    int // the trial Propose proposes for
}

var _ TrialProposer = (*RegularizedEvolution)(nil)

const (
	evolutionStream   = 0x65766f6c7665 // "evolve"
	defaultPopulation = 100
)

// Setup prepares e for spec, with an empty population.
func (e *RegularizedEvolution) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("evolution")
	}
	if e.Population < 0 {
		return errors.New("algorithms: evolution: Population is negative")
	}
	if e.Tournament < 0 {
		return errors.New("algorithms: evolution: Tournament is negative")
	}
	e.spec = spec
	e.streams = newTrialRand(e.Seed, evolutionStream, e.Rand)
	e.rng = e.streams.rng
	e.size = e.Population
	if e.size == 0 {
		e.size = defaultPopulation
	}
	e.tsize = e.Tournament
	if e.tsize == 0 {
		e.tsize = defaultTournament
	}
	e.mutator = e.Mutator
	if e.mutator == nil {
		e.mutator = Uniform{}
	}
	e.pop = make([]Result, 0, e.size)
	e.oldest, e.next = 0, 0
	return nil
}

// Propose returns the proposal for the next trial; see ProposeTrial.
func (e *RegularizedEvolution) Propose(ctx context.Context) (space.DNA, error) {
	return e.ProposeTrial(ctx, e.next, 0)
}

// ProposeTrial returns a random DNA for the first Population trials (and
// while the population is empty), then a mutated tournament winner (or
// child of two winners), drawn from the stream of the given draw of trial.
func (e *RegularizedEvolution) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if e.spec == nil {
		return space.DNA{}, errNotSetUp("evolution")
	}
	if err := checkTrial("evolution", trial, draw); err != nil {
		return space.DNA{}, err
	}
	e.next = trial + 1
	e.streams.trial(trial, draw)
	if trial < e.size || len(e.pop) == 0 {
		return e.spec.Random(e.rng), nil
	}
	parent := e.pop[e.selectOne()].DNA
	if e.Recombinator != nil {
		other := e.pop[e.selectOne()].DNA
		parent = e.Recombinator.Recombine(e.rng, e.spec, parent, other)
	}
	return e.mutator.Mutate(e.rng, e.spec, parent), nil
}

// selectOne returns the index of a parent in the population.
func (e *RegularizedEvolution) selectOne() int {
	if e.Selector == nil {
		return tournament(e.rng, e.pop, e.tsize)
	}
	if idx := e.Selector.Select(e.rng, e.pop, 1); len(idx) > 0 {
		return idx[0]
	}
	return e.rng.IntN(len(e.pop))
}

// Feedback adds a successful result to the population, removing the
// oldest member when it is full.
func (e *RegularizedEvolution) Feedback(r Result) {
	if e.spec == nil || !usable(r) {
		return
	}
	if len(e.pop) < e.size {
		e.pop = append(e.pop, r)
		return
	}
	e.pop[e.oldest] = r
	e.oldest = (e.oldest + 1) % e.size
}
