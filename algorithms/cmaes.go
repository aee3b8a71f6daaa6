package algorithms

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// CMAES is the covariance matrix adaptation evolution strategy: Hansen's
// standard (μ/μ_w, λ)-CMA-ES with cumulative step-size adaptation and
// rank-one and rank-μ covariance updates, with IPOP restarts.
//
// CMA-ES searches the numeric decisions at the top level of the space
// (Float, on the logarithm for log-scale ones, and Int, modelled on
// [min−½, max+½] and rounded), each mapped to [0, 1]. The run starts at
// the centre of the box with step size Sigma0. Samples come in mirrored
// pairs m ± σy (Brockhoff et al. 2010): trials 2k and 2k+1 share a step
// y drawn from a stream of the pair's own, which makes CMA-ES markedly
// faster in the first few hundred trials on every benchmark problem
// (see BenchmarkCMAESDefaults); NoMirroring turns this off, every trial then
// drawing from a stream of its own (see TrialProposer). The covariance update is active (Hansen 2016): the worst λ−μ
// samples of a generation get negative weights. A sample outside the
// box is drawn again, up to 100 times, then clipped. Every other decision —
// OneOf, ManyOf and Permutation choices, and every decision inside a
// candidate (conditional ones) — is drawn by an embedded TPE with its
// defaults (or at random when RandomFallback is set), which learns from
// the same results.
//
// Proposals come in generations of λ samples of the current
// distribution; a generation is complete, and the distribution updated,
// when λ results of it have arrived, in any order. Proposals never wait:
// more than λ may be out at once, and every one is drawn from the
// distribution current when it is proposed. CMA-ES recognizes a result of
// a sample of the current generation by drawing that trial's sample
// again (Result.Trial must be the trial's number), whoever proposed it,
// so that what it learns depends on the results only. A result for a
// sample of an earlier generation, or for a DNA CMA-ES did not propose,
// is injected into the current generation (Hansen 2011): its step from
// the mean is
// shortened to a Mahalanobis length of at most √n + 2n/(n+2), so that
// it cannot derail the step-size adaptation. When a run converges or
// stalls (the standard TolX, TolFun, ConditionCov, NoEffectAxis and
// NoEffectCoord tests), CMA-ES restarts from a uniformly random mean with
// a population twice as large (IPOP-CMA-ES, Auger and Hansen 2005), at
// most MaxRestarts times.
//
// A proposal costs O(n²) for n numeric decisions, plus an O(n³)
// eigendecomposition (gonum's) once per generation: a few µs per trial
// on ten decisions.
//
// Results are used as follows: Rewards[0] is maximized; failed results,
// NaN rewards and DNA that is not valid for the space are ignored. The
// same seed and the same feedback, in the same order, give the same
// proposal for a trial. With an injected Rand, trials draw from it in
// turn, mirrored pairs are consecutive proposals, and results are
// matched to the samples this CMA-ES proposed by their DNA.
//
// A CMAES is not safe for concurrent use; the search loop serializes its
// calls.
type CMAES struct {
	// Sigma0 is the initial step size, relative to the range of each
	// numeric decision. If it is 0, a default of 0.2 is used.
	Sigma0 float64 `sym:"sigma0" min:"0" max:"10" doc:"initial step size in the unit cube (default 0.2)"`
	// PopSize is the number of samples λ in a generation of the first
	// run. If it is 0, a default of 4 + ⌊3 ln n⌋ is used, n being the
	// number of numeric decisions.
	PopSize int `min:"0" max:"100000" doc:"population λ (default 4+⌊3 ln n⌋)"`
	// MaxRestarts is the number of IPOP restarts allowed. If it is 0, a
	// default of 9 is used; a negative value disables restarts.
	MaxRestarts int `min:"0" max:"1000" doc:"IPOP restarts (default 9)"`
	// NoMirroring draws every sample independently instead of in mirrored
	// pairs.
	NoMirroring bool `doc:"draw samples independently rather than in mirrored pairs"`
	// RandomFallback makes the decisions CMA-ES does not search be drawn
	// at random rather than by TPE.
	RandomFallback bool `doc:"draw categorical decisions at random rather than with TPE"`
	// Seed seeds the random source that Setup creates when Rand is nil.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`
	// Rand, if not nil, is the random source, used as is (Seed is then
	// ignored, and trials draw from it in turn rather than from streams
	// of their own).
	Rand *rand.Rand `sym:"-"`

	spec      *space.DNASpec
	streams   trialRand
	rng       *rand.Rand // streams.rng
	next      int        // the trial Propose proposes for
	sigma0    float64
	restarts  int
	maxRest   int
	dims      []cmaDim // the numeric decisions CMA-ES searches
	dimOf     []int    // per point in spec.All(): its dimension, or −1
	tpe       TPE      // the fallback for the other decisions
	state     *cmaState
	pending   map[uint64][][]float64 // injected Rand: samples of the current generation, by key
	gotX      [][]float64            // results of the current generation
	gotF      []float64
	nInjected int // results injected, not recognized as samples of their generation
}

// cmaDim is a numeric decision searched by CMA-ES: a top-level point,
// modelled on the unit axis of toUnit.
type cmaDim struct {
	p   *space.DecisionPoint
	top int // index in spec.Points
}

var _ TrialProposer = (*CMAES)(nil)

// cmaesStream is the PCG stream of CMAES's source.
const cmaesStream = 0x636d616573 // "cmaes"

// Setup prepares c for spec, checks its configuration and starts afresh.
func (c *CMAES) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("cmaes")
	}
	switch {
	case c.Sigma0 < 0 || math.IsNaN(c.Sigma0) || math.IsInf(c.Sigma0, 0):
		return fmt.Errorf("algorithms: cmaes: Sigma0 is %v, want 0 (default 0.2) or a positive number", c.Sigma0)
	case c.PopSize < 0 || c.PopSize == 1:
		return fmt.Errorf("algorithms: cmaes: PopSize is %d, want 0 (default) or at least 2", c.PopSize)
	}
	c.spec = spec
	c.streams = newTrialRand(c.Seed, cmaesStream, c.Rand)
	c.rng = c.streams.rng
	c.next = 0
	c.sigma0 = c.Sigma0
	if c.sigma0 == 0 {
		c.sigma0 = 0.2
	}
	c.maxRest = c.MaxRestarts
	if c.maxRest == 0 {
		c.maxRest = 9
	}
	c.restarts = 0

	all := spec.All()
	c.dimOf = make([]int, len(all))
	for i := range c.dimOf {
		c.dimOf[i] = -1
	}
	c.dims = c.dims[:0]
	c.tpe = TPE{Rand: c.rng}
	if err := c.tpe.Setup(spec); err != nil {
		return err
	}
	c.tpe.handled = make([]bool, len(all))
	for top, p := range spec.Points {
		if (p.Kind != space.KindFloat && p.Kind != space.KindInt) || p.Min == p.Max {
			continue
		}
		k := c.tpe.index[p]
		c.dimOf[k] = len(c.dims)
		c.tpe.handled[k] = true
		c.dims = append(c.dims, cmaDim{p: p, top: top})
	}
	c.state = nil
	c.pending = make(map[uint64][][]float64)
	c.gotX, c.gotF, c.nInjected = nil, nil, 0
	if n := len(c.dims); n > 0 {
		mean := make([]float64, n)
		for i := range mean {
			mean[i] = 0.5
		}
		c.state = newCMAState(n, c.PopSize, mean, c.sigma0)
	}
	return nil
}

// Propose returns the proposal for the next trial; see ProposeTrial.
func (c *CMAES) Propose(ctx context.Context) (space.DNA, error) {
	return c.ProposeTrial(ctx, c.next, 0)
}

// ProposeTrial returns a sample of the current distribution for the
// given draw of trial, with the other decisions drawn by the fallback
// from the trial's stream.
func (c *CMAES) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if c.spec == nil {
		return space.DNA{}, errNotSetUp("cmaes")
	}
	if err := checkTrial("cmaes", trial, draw); err != nil {
		return space.DNA{}, err
	}
	if err := ctx.Err(); err != nil {
		return space.DNA{}, err
	}
	c.next = trial + 1
	if c.state == nil {
		c.streams.trial(trial, draw)
		return c.fallback(nil), nil
	}
	x := make([]float64, len(c.dims))
	c.sample(trial, draw, x)
	c.streams.trial(trial, draw)
	dna := c.fallback(x)
	if c.streams.injected() {
		key := c.key(dna)
		c.pending[key] = append(c.pending[key], x)
	}
	return dna, nil
}

// sample draws the point of a draw of a trial into x. Seeded, draw 0 of
// trials 2k and 2k+1 is the mirrored pair m ± σy of the step y drawn
// from the pair's stream (trial 2k+1 takes a step further along that
// stream when m − σy is outside the box); other draws, and every draw
// without mirroring, come from a stream of the draw's own.
func (c *CMAES) sample(trial, draw int, x []float64) {
	switch {
	case c.streams.injected():
		c.state.sample(c.rng, x, !c.NoMirroring)
	case c.NoMirroring || draw > 0:
		c.state.sample(c.streams.at(purposeSample, trial, draw), x, false)
	default:
		rng := c.streams.at(purposePair, trial/2, 0)
		c.state.sample(rng, x, false)
		if trial%2 == 1 && !c.state.place(x, -1) {
			c.state.sample(rng, x, false)
		}
	}
}

// sampleOf returns the point CMA-ES sampled for the DNA of r in the
// current generation, or nil if it did not: seeded, the sample of
// r.Trial drawn again (draw 0) when its values are those of r.DNA;
// injected, a pending sample of that DNA, which it removes.
func (c *CMAES) sampleOf(r Result) []float64 {
	if c.streams.injected() {
		key := c.key(r.DNA)
		ps := c.pending[key]
		if len(ps) == 0 {
			return nil
		}
		if len(ps) == 1 {
			delete(c.pending, key)
		} else {
			c.pending[key] = ps[1:]
		}
		return ps[0]
	}
	if r.Trial < 0 {
		return nil
	}
	x := make([]float64, len(c.dims))
	c.sample(r.Trial, 0, x)
	for i, d := range c.dims {
		if fromUnit(d.p, x[i]) != r.DNA.Children[d.top].Value {
			return nil
		}
	}
	return x
}

// fallback builds a DNA whose CMA-ES decisions come from x and whose
// other decisions come from the fallback.
func (c *CMAES) fallback(x []float64) space.DNA {
	fixed := func(k int) float64 {
		i := c.dimOf[k]
		return fromUnit(c.dims[i].p, x[i])
	}
	if c.RandomFallback {
		dna := space.DNA{Children: randomPoints(c.rng, c.spec.Points)}
		for _, d := range c.dims {
			dna.Children[d.top] = space.DNA{Value: fixed(c.tpe.index[d.p])}
		}
		return dna
	}
	return space.DNA{Children: c.tpe.propose(fixed)}
}

// key hashes the values of the CMA-ES decisions of a valid DNA.
func (c *CMAES) key(dna space.DNA) uint64 {
	h := uint64(14695981039346656037)
	for _, d := range c.dims {
		h ^= math.Float64bits(dna.Children[d.top].Value)
		h *= 1099511628211
		h ^= h >> 29
	}
	return h
}

// Feedback adds r to the current generation (injected if it is not one
// of its samples), updates the distribution when the generation is
// complete, and teaches the fallback. Results CMA-ES cannot use are
// ignored.
func (c *CMAES) Feedback(r Result) {
	reward, ok := firstReward(r)
	if c.spec == nil || c.spec.Validate(r.DNA) != nil {
		return
	}
	var x []float64
	if c.state != nil && c.streams.injected() {
		x = c.sampleOf(r) // drop it from the pending ones, even if r failed
	}
	if !ok {
		return // a failed sample is dropped; Propose draws more
	}
	c.tpe.observe(c.spec.Points, r.DNA.Children, reward)
	c.tpe.nOK++
	if c.state == nil {
		return
	}
	if x == nil && !c.streams.injected() {
		x = c.sampleOf(r)
	}
	if x == nil {
		x = c.inject(r.DNA)
		c.nInjected++
	}
	c.gotX = append(c.gotX, x)
	c.gotF = append(c.gotF, -reward)
	if len(c.gotX) < c.state.lambda {
		return
	}
	c.state.tell(c.gotX, c.gotF)
	c.gotX, c.gotF = c.gotX[:0:0], c.gotF[:0:0]
	clear(c.pending)
	if c.state.stop() && c.restarts < c.maxRest {
		c.restart()
	}
}

// inject returns the point of a DNA CMA-ES did not sample in this
// generation, its step from the mean shortened to a Mahalanobis length
// of at most √n + 2n/(n+2).
func (c *CMAES) inject(dna space.DNA) []float64 {
	s := c.state
	n := s.n
	x := make([]float64, n)
	for i, d := range c.dims {
		x[i] = toUnit(d.p, dna.Children[d.top].Value)
	}
	// ‖C^{-1/2} (x − m)/σ‖ = ‖D⁻¹ Bᵀ (x − m)‖/σ.
	var norm float64
	for j := range n {
		var v float64
		for i := range n {
			v += s.b[i*n+j] * (x[i] - s.mean[i])
		}
		v /= s.d[j] * s.sigma
		norm += v * v
	}
	norm = math.Sqrt(norm)
	fn := float64(n)
	if limit := math.Sqrt(fn) + 2*fn/(fn+2); norm > limit {
		f := limit / norm
		for i := range x {
			x[i] = s.mean[i] + f*(x[i]-s.mean[i])
		}
	}
	return x
}

// restart starts a new run with twice the population from a uniformly
// random mean (IPOP).
func (c *CMAES) restart() {
	c.restarts++
	n := len(c.dims)
	mean := make([]float64, n)
	rng := c.streams.at(purposeRestart, c.restarts, 0)
	for i := range mean {
		mean[i] = rng.Float64()
	}
	c.state = newCMAState(n, 2*c.state.lambda, mean, c.sigma0)
	clear(c.pending)
}
