package algorithms

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
)

// NSGA2 is the elitist multi-objective genetic algorithm NSGA-II (Deb,
// Pratap, Agarwal and Meyarivan, 2002). It maximizes every reward of a
// Result at once; the answer of a search with it is a Pareto front (see
// ParetoFront).
//
// Until Population results have arrived, proposals are random. After
// that each proposal is a child of the current population: two parents are picked by binary
// tournaments on (non-domination rank, then crowding distance), crossed
// over uniformly with probability CrossoverProb (otherwise the child is a
// copy of the first), then mutated. Each time Population results have
// arrived since the last generation, they join the population and the
// best Population of the union survive (elitist μ+λ replacement): whole
// non-dominated fronts in order, the front that does not fit cut by
// decreasing crowding distance. Proposals never wait for results, so any
// number of trials may run at once.
//
// Crossover is uniform over the DNA tree: each decision comes whole from
// either parent, and the crossover descends into a choice only where both
// parents chose the same candidates. Mutation changes each decision with
// probability MutationProb: a OneOf to another candidate (the decisions
// inside it drawn afresh), a ManyOf by replacing one choice, a
// Permutation by swapping two positions, a Float or an Int by Deb's
// bounded polynomial mutation with distribution index 20 (on the
// logarithm for log-scale floats); a child that came out a copy of a
// parent is mutated again (as pymoo eliminates duplicates), unless
// mutation is disabled. Children are always valid DNA.
//
// Results are used as follows: failed results, and results with no
// rewards, are ignored; the first other result fixes the number of
// objectives, and later results with fewer or more rewards, or with a
// NaN reward, are ignored, as are results whose DNA is not valid for the
// space (ParetoFront applies the same rules but the last). Each trial
// draws from a stream of its own (see TrialProposer): the same seed and
// the same feedback give the same proposal for a trial.
//
// An NSGA2 is not safe for concurrent use; the search loop serializes its
// calls.
type NSGA2 struct {
	// Population is the number of parents kept and the number of results
	// that make a generation. If Population is 0, a default of 50 is used.
	Population int `min:"0" max:"100000" doc:"population size (default 50)"`
	// CrossoverProb is the probability that a child is the crossover of
	// two parents rather than a copy of one. If CrossoverProb is 0, a
	// default of 0.9 is used; a negative value disables crossover.
	CrossoverProb float64 `min:"-1" max:"1" doc:"crossover probability (default 0.9; negative disables)"`
	// MutationProb is the probability with which each decision of a child
	// is mutated. If MutationProb is 0, a default of 1/n is used, n being
	// the number of decisions of the child (one decision mutated on
	// average); a negative value disables mutation.
	MutationProb float64 `min:"-1" max:"1" doc:"per-decision mutation probability (default 1/n; negative disables)"`
	// Seed seeds the random streams of the trials, unless Rand is set.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`
	// Rand, if not nil, is the random source, used instead of Seed:
	// trials draw from it in turn rather than from streams of their own
	// (and a second Setup goes on drawing from it rather than starting
	// over).
	Rand *rand.Rand `sym:"-"`

	spec    *space.DNASpec
	streams trialRand
	rng     *rand.Rand // streams.rng
	next    int        // the trial Propose proposes for
	pop     int
	pc, pm  float64
	nobj    int          // number of objectives; 0 until the first result
	parents []nsgaMember // the current population, sorted by survival order
	fresh   []nsgaMember // results arrived since the last generation
	gen     int          // generations formed
	// evaluated holds the DNA (as Format prints it) of every trial fed
	// back, so that a child that recombines into an earlier trial is
	// mutated again rather than evaluated twice.
	evaluated map[string]struct{}
}

// nsgaMember is one evaluated DNA with its rank (0 for the first front)
// and crowding distance in the generation it survived.
type nsgaMember struct {
	r     Result
	rank  int
	crowd float64
}

var (
	_ TrialProposer  = (*NSGA2)(nil)
	_ MultiObjective = (*NSGA2)(nil)
)

// nsgaStream is the PCG stream of NSGA2's source.
const nsgaStream = 0x6e73676132 // "nsga2"

// Setup implements Algorithm. It checks the configuration and starts the
// search afresh.
func (a *NSGA2) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errors.New("algorithms: NSGA2.Setup: nil DNASpec")
	}
	switch {
	case a.Population < 0:
		return fmt.Errorf("algorithms: NSGA2.Population is %d, want 0 (default 50) or more", a.Population)
	case math.IsNaN(a.CrossoverProb) || a.CrossoverProb > 1:
		return fmt.Errorf("algorithms: NSGA2.CrossoverProb is %v, want at most 1", a.CrossoverProb)
	case math.IsNaN(a.MutationProb) || a.MutationProb > 1:
		return fmt.Errorf("algorithms: NSGA2.MutationProb is %v, want at most 1", a.MutationProb)
	}
	a.spec = spec
	a.streams = newTrialRand(a.Seed, nsgaStream, a.Rand)
	a.rng = a.streams.rng
	a.next = 0
	a.pop = cmp.Or(a.Population, 50)
	a.pc = cmp.Or(a.CrossoverProb, 0.9)
	a.pm = a.MutationProb
	a.nobj = 0
	a.parents, a.fresh, a.gen = nil, nil, 0
	return nil
}

// MultiObjective implements MultiObjective: NSGA2 uses every reward.
func (a *NSGA2) MultiObjective() bool { return true }

// Propose implements Algorithm: the proposal for the next trial; see
// ProposeTrial.
func (a *NSGA2) Propose(ctx context.Context) (space.DNA, error) {
	return a.ProposeTrial(ctx, a.next, 0)
}

// ProposeTrial implements TrialProposer: a random DNA until the first
// generation is formed, then a child of the current population, drawn
// from the stream of the given draw of trial.
func (a *NSGA2) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if a.spec == nil {
		return space.DNA{}, errors.New("algorithms: NSGA2.Propose called before Setup")
	}
	if err := checkTrial("nsga2", trial, draw); err != nil {
		return space.DNA{}, err
	}
	if err := ctx.Err(); err != nil {
		return space.DNA{}, err
	}
	a.next = trial + 1
	a.streams.trial(trial, draw)
	if len(a.parents) == 0 {
		return space.DNA{Children: nsgaRandomPoints(a.rng, a.spec.Points)}, nil
	}
	p1 := a.tournament()
	p2 := p1
	var child []space.DNA
	if a.pc > 0 && a.rng.Float64() < a.pc {
		p2 = a.tournament()
		child = nsgaCrossover(a.rng, a.spec.Points, p1.Children, p2.Children)
	} else {
		child = p1.Clone().Children
	}
	if a.pm >= 0 {
		prob := a.pm
		if prob == 0 {
			prob = 1 / float64(max(1, nsgaCount(a.spec.Points, child)))
		}
		m := nsgaMutator{rng: a.rng, prob: prob}
		m.points(a.spec.Points, child)
		// A copy of a parent, or of any trial evaluated before (crossover
		// can put an earlier trial's genes back together), would evaluate
		// it again: mutate it further.
		for try := 0; try < maxCloneMutations && a.seenBefore(p1, p2, child); try++ {
			m.points(a.spec.Points, child)
		}
	}
	return space.DNA{Children: child}, nil
}

// seenBefore reports whether child is a copy of parent p1 or p2 or of a
// trial fed back.
func (a *NSGA2) seenBefore(p1, p2 space.DNA, child []space.DNA) bool {
	d := space.DNA{Children: child}
	if p1.Equal(d) || p2.Equal(d) {
		return true
	}
	_, ok := a.evaluated[a.spec.Format(d)]
	return ok
}

// maxCloneMutations bounds the further mutations of a child that is a
// copy of a parent (a space whose decisions cannot change keeps it).
const maxCloneMutations = 32

// tournament returns the DNA of the better of two distinct parents drawn
// at random: the lower rank, then the larger crowding distance, then the
// first drawn.
func (a *NSGA2) tournament() space.DNA {
	n := len(a.parents)
	i := a.rng.IntN(n)
	if n == 1 {
		return a.parents[0].r.DNA
	}
	j := a.rng.IntN(n - 1)
	if j >= i {
		j++
	}
	x, y := &a.parents[i], &a.parents[j]
	if y.rank < x.rank || (y.rank == x.rank && y.crowd > x.crowd) {
		return y.r.DNA
	}
	return x.r.DNA
}

// Feedback implements Algorithm. Results it cannot use (see NSGA2) are
// ignored. The DNA is kept, not copied, and must not be changed.
func (a *NSGA2) Feedback(r Result) {
	if a.spec == nil || a.spec.Validate(r.DNA) != nil {
		return
	}
	if a.evaluated == nil {
		a.evaluated = map[string]struct{}{}
	}
	a.evaluated[a.spec.Format(r.DNA)] = struct{}{} // failed ones too
	if len(r.Rewards) == 0 {
		return
	}
	nobj := a.nobj
	if nobj == 0 {
		nobj = len(r.Rewards)
	}
	if !paretoUsable(r.Rewards, nobj) {
		return
	}
	a.nobj = nobj
	r.Rewards = slices.Clone(r.Rewards)
	a.fresh = append(a.fresh, nsgaMember{r: r})
	if len(a.fresh) >= a.pop {
		a.nextGeneration()
	}
}

// nextGeneration merges the fresh results into the population and keeps
// the best Population of the union.
func (a *NSGA2) nextGeneration() {
	all := make([]nsgaMember, 0, len(a.parents)+len(a.fresh))
	all = append(append(all, a.parents...), a.fresh...)
	points := make([][]float64, len(all))
	for i := range all {
		points[i] = all[i].r.Rewards
	}
	next := make([]nsgaMember, 0, a.pop)
	for rank, front := range NonDominatedSort(points) {
		crowd := CrowdingDistance(points, front)
		for k, i := range front {
			all[i].rank, all[i].crowd = rank, crowd[k]
		}
		room := a.pop - len(next)
		if len(front) > room {
			// Keep the least crowded; ties by arrival order.
			order := make([]int, len(front))
			for k := range order {
				order[k] = k
			}
			slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(crowd[y], crowd[x]) })
			kept := make([]int, room)
			for k, o := range order[:room] {
				kept[k] = front[o]
			}
			front = kept
		}
		for _, i := range front {
			next = append(next, all[i])
		}
		if len(next) == a.pop {
			break
		}
	}
	a.parents = next
	a.fresh = nil
	a.gen++
}
