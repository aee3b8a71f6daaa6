package algorithms

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/space"
)

// TPE is the Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio
// and Kégl, 2011), with Optuna's defaults.
//
// The first NStartupTrials proposals are random. After that, each decision
// is drawn independently (univariate TPE) from the results where it was
// active: those results are split into the Gamma(n) best ("good") and the
// others ("bad"); a density l is fitted to the good values and g to the
// bad ones; NCandidates values are sampled from l and the one with the
// largest l/g is proposed. A decision inside a OneOf candidate is fitted
// only on the results whose DNA chose that candidate, so conditional
// spaces are handled as trees.
//
// Float and Int decisions use Parzen estimators: a mixture of normals
// truncated to the bounds, one per observation with its σ from the gaps
// to its neighbours (clipped to [range/min(100, n+2), range]), plus a
// prior component centred in the range with σ = range and weight
// PriorWeight, all on the range mapped to [0, 1]. Log-scale floats are
// modelled on the logarithm; Int decisions on [min−½, max+½], rounded. The observation weights are 1,
// except that when a group holds more than 25 results the older ones
// weigh less (a ramp from 1/n to 1, the 25 newest weighing 1). OneOf
// decisions use smoothed categorical distributions: each observation
// puts its weight on its candidate, spread by PriorWeight/k over all k.
// ManyOf and Permutation decisions, and every decision inside them, are
// drawn at random.
//
// With Multivariate, the numeric decisions at the top level of the space
// (which every result has) are drawn jointly instead: l and g are
// mixtures of products of truncated normals, one per observation with a
// σ of 0.2 n^(−1/(d+4)) of the range in each of the d dimensions (Optuna's
// rule), and the NCandidates joint samples of l are scored by l/g; the
// other decisions are drawn one by one as above.
//
// A proposal costs O(n) per decision for n results: about 0.15 ms on ten
// Float decisions after 200 results.
//
// Results are used as follows: Rewards[0] is maximized; failed results,
// NaN rewards and DNA that is not valid for the space are ignored. Results
// may arrive in any order and for any proposal; proposals still running
// do not influence the next ones. Each trial draws from a stream of its
// own (see TrialProposer): the same seed and the same feedback, in the
// same order, give the same proposal for a trial, and proposals for
// other trials draw other numbers.
//
// A TPE is not safe for concurrent use; the search loop serializes its
// calls.
type TPE struct {
	// NStartupTrials is the number of successful results to gather with
	// random proposals before the estimators are used. If it is 0, a
	// default of 10 is used.
	NStartupTrials int `min:"0" max:"1000000" doc:"random trials before modelling (default 10)"`
	// NCandidates is the number of values sampled from l for each decision.
	// If it is 0, a default of 24 is used.
	NCandidates int `min:"0" max:"100000" doc:"candidates scored per proposal (default 24)"`
	// Gamma returns the number of good results among n. If it is nil,
	// DefaultGamma is used.
	Gamma func(n int) int `sym:"-"`
	// PriorWeight is the weight of the prior in each estimator, relative to
	// an observation's weight of 1. If it is 0, a default of 1 is used.
	PriorWeight float64 `min:"0" max:"1000000" doc:"weight of the prior (default 1)"`
	// Multivariate draws the numeric decisions at the top level of the
	// space jointly, from products of Parzen estimators (multivariate
	// TPE, as Optuna's multivariate=True), rather than one by one.
	Multivariate bool `doc:"model the numeric decisions jointly"`
	// Seed seeds the random source that Setup creates when Rand is nil.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`
	// Rand, if not nil, is the random source, used as is (Seed is then
	// ignored, and trials draw from it in turn rather than from streams
	// of their own).
	Rand *rand.Rand `sym:"-"`

	spec    *space.DNASpec
	streams trialRand
	rng     *rand.Rand // streams.rng
	next    int        // the trial Propose proposes for
	nStart  int
	nCand   int
	gamma   func(int) int
	prior   float64
	index   map[*space.DecisionPoint]int
	obs     []tpeObs  // per point, in spec.All() order
	nOK     int       // successful results
	handled []bool    // per point: decided by the caller (CMA-ES), not by TPE
	joint   *tpeJoint // multivariate: the joint estimator, or nil
	jointOf []int     // multivariate: per point, its index in joint, or −1
	scratch tpeScratch
}

var _ TrialProposer = (*TPE)(nil)

// tpeStream is the PCG stream of TPE's source.
const tpeStream = 0x747065 // "tpe"

// DefaultGamma is Optuna's default split: the min(⌈n/10⌉, 25) best of n
// results are the good ones.
func DefaultGamma(n int) int { return min((n+9)/10, 25) }

// tpeObs holds the observations of one decision point: values (on the
// unit axis of toUnit for numbers, the index for a OneOf) and rewards in arrival order, the arrival positions sorted by
// decreasing reward, and (for numbers) sorted by increasing value.
type tpeObs struct {
	x, reward []float64
	ranked    []int32
	byX       []int32
}

func (o *tpeObs) add(x, reward float64, numeric bool) {
	i := int32(len(o.x))
	o.x = append(o.x, x)
	o.reward = append(o.reward, reward)
	// Insert after every equal or larger reward: ties keep arrival order.
	at, _ := slices.BinarySearchFunc(o.ranked, reward, func(j int32, r float64) int {
		if o.reward[j] >= r {
			return -1
		}
		return 1
	})
	o.ranked = slices.Insert(o.ranked, at, i)
	if numeric {
		at, _ = slices.BinarySearchFunc(o.byX, x, func(j int32, x float64) int {
			if o.x[j] <= x {
				return -1
			}
			return 1
		})
		o.byX = slices.Insert(o.byX, at, i)
	}
}

// tpeScratch holds the buffers reused by every proposal.
type tpeScratch struct {
	good       []bool
	w          []float64 // weight of each observation in its group
	gx, bx     []float64
	gw, bw     []float64
	gc, bc     []int
	l, g       parzen
	lcat, gcat categorical
	goodRows   []int32 // multivariate: arrival indices of each group
	badRows    []int32
	terms      []float64
}

// Setup prepares t for spec, checks its configuration and forgets every
// result.
func (t *TPE) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("tpe")
	}
	switch {
	case t.NStartupTrials < 0:
		return fmt.Errorf("algorithms: tpe: NStartupTrials is %d, want 0 (default 10) or more", t.NStartupTrials)
	case t.NCandidates < 0:
		return fmt.Errorf("algorithms: tpe: NCandidates is %d, want 0 (default 24) or more", t.NCandidates)
	case t.PriorWeight < 0 || math.IsNaN(t.PriorWeight) || math.IsInf(t.PriorWeight, 0):
		return fmt.Errorf("algorithms: tpe: PriorWeight is %v, want 0 (default 1) or a positive number", t.PriorWeight)
	}
	t.spec = spec
	t.streams = newTrialRand(t.Seed, tpeStream, t.Rand)
	t.rng = t.streams.rng
	t.next = 0
	t.nStart = t.NStartupTrials
	if t.nStart == 0 {
		t.nStart = 10
	}
	t.nCand = t.NCandidates
	if t.nCand == 0 {
		t.nCand = 24
	}
	t.gamma = t.Gamma
	if t.gamma == nil {
		t.gamma = DefaultGamma
	}
	t.prior = t.PriorWeight
	if t.prior == 0 {
		t.prior = 1
	}
	all := spec.All()
	t.index = make(map[*space.DecisionPoint]int, len(all))
	for i, p := range all {
		t.index[p] = i
	}
	t.obs = make([]tpeObs, len(all))
	t.handled = nil
	t.joint, t.jointOf = nil, nil
	if t.Multivariate {
		t.setupJoint()
	}
	t.nOK = 0
	return nil
}

// Propose returns the proposal for the next trial; see ProposeTrial.
func (t *TPE) Propose(ctx context.Context) (space.DNA, error) {
	return t.ProposeTrial(ctx, t.next, 0)
}

// ProposeTrial returns a random DNA during the startup trials, then a DNA
// drawn decision by decision from the estimators, from the stream of the
// given draw of trial.
func (t *TPE) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if t.spec == nil {
		return space.DNA{}, errNotSetUp("tpe")
	}
	if err := checkTrial("tpe", trial, draw); err != nil {
		return space.DNA{}, err
	}
	if err := ctx.Err(); err != nil {
		return space.DNA{}, err
	}
	t.next = trial + 1
	t.streams.trial(trial, draw)
	return space.DNA{Children: t.propose(nil)}, nil
}

// propose draws the decisions of the whole space; see points.
func (t *TPE) propose(fixed func(int) float64) []space.DNA {
	drawn := t.joint != nil && !t.startup()
	if drawn {
		t.sampleJoint()
	}
	return t.points(t.spec.Points, fixed, drawn)
}

// points draws the decisions of points. fixed, if not nil, gives the
// values of the handled points (CMA-ES's numeric decisions); joint tells
// that the joint decisions were drawn, into t.joint.vals.
func (t *TPE) points(points []*space.DecisionPoint, fixed func(int) float64, joint bool) []space.DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]space.DNA, len(points))
	for i, p := range points {
		k := t.index[p]
		if t.handled != nil && t.handled[k] {
			out[i].Value = fixed(k)
			continue
		}
		if joint && t.jointOf[k] >= 0 {
			out[i].Value = t.joint.vals[t.jointOf[k]]
			continue
		}
		switch p.Kind {
		case space.KindOneOf:
			c := t.sampleChoice(p, k)
			out[i] = space.DNA{Value: float64(c), Children: t.points(p.Candidates[c].Points, fixed, joint)}
		case space.KindFloat, space.KindInt:
			out[i].Value = t.sampleNumber(p, k)
		default:
			out[i] = randomPoint(t.rng, p)
		}
	}
	return out
}

// startup reports whether proposals are still random.
func (t *TPE) startup() bool { return t.nOK < t.nStart }

// split marks the good observations of point k and gives each
// observation its weight in its group (good or bad), by arrival order.
// It returns the number of observations.
func (t *TPE) split(k int) int {
	o := &t.obs[k]
	n := len(o.x)
	s := &t.scratch
	if cap(s.good) < n {
		s.good = make([]bool, n, 2*n)
	}
	s.good = s.good[:n]
	clear(s.good)
	nGood := min(max(t.gamma(n), 0), n)
	for _, j := range o.ranked[:nGood] {
		s.good[j] = true
	}
	s.w = grow(s.w, n)
	var gi, bi int
	for j := range n {
		if s.good[j] {
			s.w[j] = tpeWeight(gi, nGood)
			gi++
		} else {
			s.w[j] = tpeWeight(bi, n-nGood)
			bi++
		}
	}
	return n
}

// tpeWeight returns Optuna's default weight of the i-th oldest of n
// observations: 1 for n ≤ 25, else a ramp from 1/n to 1 over the n−25
// oldest, and 1 for the 25 newest.
func tpeWeight(i, n int) float64 {
	ramp := n - 25
	switch {
	case i >= ramp:
		return 1
	case ramp == 1:
		return 1 / float64(n)
	}
	return 1/float64(n) + (1-1/float64(n))*float64(i)/float64(ramp-1)
}

// sampleChoice draws the candidate of a OneOf.
func (t *TPE) sampleChoice(p *space.DecisionPoint, k int) int {
	nc := len(p.Candidates)
	if t.startup() || nc == 1 {
		return t.rng.IntN(nc)
	}
	o := &t.obs[k]
	n := t.split(k)
	s := &t.scratch
	s.gc, s.bc = s.gc[:0], s.bc[:0]
	s.gw, s.bw = s.gw[:0], s.bw[:0]
	for j := range n {
		if s.good[j] {
			s.gc = append(s.gc, int(o.x[j]))
			s.gw = append(s.gw, s.w[j])
		} else {
			s.bc = append(s.bc, int(o.x[j]))
			s.bw = append(s.bw, s.w[j])
		}
	}
	s.lcat.fit(nc, s.gc, s.gw, t.prior)
	s.gcat.fit(nc, s.bc, s.bw, t.prior)
	best, bestScore := 0, math.Inf(-1)
	for range t.nCand {
		c := s.lcat.sample(t.rng)
		if score := s.lcat.p[c] / s.gcat.p[c]; score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

// toUnit maps a value of a numeric decision with Min < Max to [0, 1],
// linearly: on the logarithm for a log-scale Float, and on [min−½, max+½]
// for an Int, so that every integer owns an equal share. Both TPE and
// CMA-ES model numbers on this axis; huge ranges do not overflow.
func toUnit(p *space.DecisionPoint, v float64) float64 {
	lo, hi := unitBounds(p)
	if p.Kind == space.KindFloat && p.Scale == space.Log {
		v = math.Log(v)
	}
	var u float64
	if w := hi - lo; !math.IsInf(w, 0) {
		u = (v - lo) / w
	} else { // a range wider than MaxFloat64
		u = (v/2 - lo/2) / (hi/2 - lo/2)
	}
	if math.IsNaN(u) {
		return 0.5
	}
	return min(max(u, 0), 1)
}

// fromUnit maps a point of [0, 1] back to a valid value: the inverse of
// toUnit, rounded for an Int and kept within the bounds.
func fromUnit(p *space.DecisionPoint, u float64) float64 {
	lo, hi := unitBounds(p)
	x := lo*(1-u) + hi*u
	switch {
	case p.Kind == space.KindInt:
		x = math.Round(x)
	case p.Scale == space.Log:
		x = math.Exp(x)
	}
	switch {
	case math.IsNaN(x) || x < p.Min:
		return p.Min
	case x > p.Max:
		return p.Max
	}
	return x
}

// unitBounds returns the interval of the modelled axis that toUnit maps
// to [0, 1].
func unitBounds(p *space.DecisionPoint) (lo, hi float64) {
	switch {
	case p.Kind == space.KindInt:
		return p.Min - 0.5, p.Max + 0.5
	case p.Scale == space.Log:
		return math.Log(p.Min), math.Log(p.Max)
	}
	return p.Min, p.Max
}

// sampleNumber draws a Float or an Int.
func (t *TPE) sampleNumber(p *space.DecisionPoint, k int) float64 {
	if p.Min == p.Max {
		return p.Min
	}
	if t.startup() {
		return randomPoint(t.rng, p).Value
	}
	o := &t.obs[k]
	t.split(k)
	s := &t.scratch
	s.gx, s.bx = s.gx[:0], s.bx[:0]
	s.gw, s.bw = s.gw[:0], s.bw[:0]
	for _, j := range o.byX {
		if s.good[j] {
			s.gx = append(s.gx, o.x[j])
			s.gw = append(s.gw, s.w[j])
		} else {
			s.bx = append(s.bx, o.x[j])
			s.bw = append(s.bw, s.w[j])
		}
	}
	s.l.fit(s.gx, s.gw, 0, 1, t.prior)
	s.g.fit(s.bx, s.bw, 0, 1, t.prior)
	best, bestScore := p.Min, math.Inf(-1)
	for range t.nCand {
		u := s.l.sample(t.rng)
		v := fromUnit(p, u)
		if p.Kind == space.KindInt {
			u = toUnit(p, v) // score the value proposed
		}
		if score := s.l.pdf(u) / s.g.pdf(u); score > bestScore {
			best, bestScore = v, score
		}
	}
	return best
}

// Feedback records the values of the decisions that were active in r's
// DNA with its first reward. Results TPE cannot use are ignored.
func (t *TPE) Feedback(r Result) {
	reward, ok := firstReward(r)
	if t.spec == nil || !ok || t.spec.Validate(r.DNA) != nil {
		return
	}
	t.observe(t.spec.Points, r.DNA.Children, reward)
	t.nOK++
}

// observe records the active decisions of a valid DNA.
func (t *TPE) observe(points []*space.DecisionPoint, ds []space.DNA, reward float64) {
	for i, p := range points {
		k := t.index[p]
		if t.handled != nil && t.handled[k] {
			continue
		}
		d := ds[i]
		switch p.Kind {
		case space.KindOneOf:
			t.obs[k].add(d.Value, reward, false)
			t.observe(p.Candidates[int(d.Value)].Points, d.Children, reward)
		case space.KindFloat, space.KindInt:
			if p.Min < p.Max {
				t.obs[k].add(toUnit(p, d.Value), reward, true)
			}
		}
	}
}

// firstReward returns r's first reward, and false when r failed or that
// reward is NaN.
func firstReward(r Result) (float64, bool) {
	if len(r.Rewards) == 0 || math.IsNaN(r.Rewards[0]) {
		return 0, false
	}
	return r.Rewards[0], true
}
