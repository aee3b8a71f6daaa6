package algorithms

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// Reinforce is a learned controller (Williams's REINFORCE, as the
// controllers of NAS and ENAS): a policy with one vector of logits per
// OneOf decision of the space, nested ones included, and a Gaussian of
// learned mean and log standard deviation per Float or Int decision (on
// the decision's unit range: 0 its min, 1 its max, the logarithms' range
// on the log scale; a draw is reflected into the range at its ends and
// an Int's rounded). Each proposal is drawn from the policy top-down (a decision
// inside a candidate only when that candidate is drawn). Each result
// moves the parameters of the decisions its DNA took by the policy
// gradient
//
//	θ += LearningRate · ((R − b) ∇ log π(DNA) + Entropy ∇ H(π)),
//
// R the first reward and b a moving average of the rewards (b ← Decay·b
// + (1−Decay)·R, starting at the first R); a Gaussian's gradient is the
// natural one (preconditioned by the inverse Fisher information), so its
// mean moves by LearningRate·(R − b)·(u − mean), u the draw. ManyOf and
// Permutation decisions are drawn uniformly, as Random draws them, and
// not learned.
//
// With PPO set (or algorithm: {name: ppo}) the update is PPO's clipped
// surrogate instead: the results are gathered in batches of Batch, and
// each full batch takes Epochs gradient steps on the mean over the batch
// of min(ρ·A, clip(ρ, 1−Clip, 1+Clip)·A), ρ the ratio of the DNA's
// probability under the current policy to that under the policy before
// the batch's first step, A = R − b.
//
// It is a black-box algorithm for any space, selected by the algorithm
// section alone (algorithm: {name: reinforce}); the weight-sharing form
// (ENAS) is not part of it.
//
// Each trial draws from a stream of its own, so the same seed and the
// same feedback in the same order give the same proposals; replaying a
// study's history (Recover) rebuilds the policy, a PPO batch in progress
// included. A Reinforce is not safe for concurrent use.
type Reinforce struct {
	// LearningRate is the policy's step (default 0.1).
	LearningRate float64 `min:"0" max:"100" doc:"the policy-gradient step (default 0.1)"`
	// Decay is the moving-average baseline's decay (default 0.9).
	Decay float64 `min:"0" max:"0.999999" doc:"decay of the moving-average baseline (default 0.9)"`
	// Entropy is the weight of the entropy bonus (default 0.01; negative:
	// none).
	Entropy float64 `min:"-1" max:"100" doc:"weight of the entropy bonus (default 0.01, negative: none)"`
	// PPO selects the clipped-surrogate update over batches.
	PPO bool `doc:"PPO's clipped surrogate over batches of results instead of one REINFORCE step per result"`
	// Batch is PPO's number of results per update (default 8).
	Batch int `min:"0" max:"100000" doc:"PPO: results per update (default 8)"`
	// Epochs is PPO's number of gradient steps per batch (default 4).
	Epochs int `min:"0" max:"1000" doc:"PPO: gradient steps per batch (default 4)"`
	// Clip is PPO's ratio clipping ε (default 0.2).
	Clip float64 `min:"0" max:"10" doc:"PPO: the probability ratio is clipped to [1-clip, 1+clip] (default 0.2)"`
	// Seed seeds the trials' random streams.
	Seed uint64 `doc:"seeds the random streams of the trials (0 in a config: the config's seed)"`

	spec     *space.DNASpec
	logits   map[*space.DecisionPoint][]float64
	gauss    map[*space.DecisionPoint]*gaussian
	baseline float64
	seen     bool
	batch    []ppoSample
	streams  trialRand
	next     int
}

var _ TrialProposer = (*Reinforce)(nil)

const reinforceStream = 0x7265696e66 // "reinf"

// Setup prepares r for spec with uniform logits.
func (r *Reinforce) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("reinforce")
	}
	r.spec = spec
	r.logits = map[*space.DecisionPoint][]float64{}
	for _, p := range spec.All() {
		if p.Kind == space.KindOneOf {
			r.logits[p] = make([]float64, len(p.Candidates))
		}
	}
	r.gauss = map[*space.DecisionPoint]*gaussian{}
	for _, p := range spec.All() {
		if p.Kind == space.KindFloat || p.Kind == space.KindInt {
			r.gauss[p] = newGaussian()
		}
	}
	r.baseline, r.seen, r.next, r.batch = 0, false, 0, nil
	r.streams = newTrialRand(r.Seed, reinforceStream, nil)
	return nil
}

// Propose draws the next trial's DNA from the policy.
func (r *Reinforce) Propose(ctx context.Context) (space.DNA, error) {
	return r.ProposeTrial(ctx, r.next, 0)
}

// ProposeTrial draws a DNA from the policy with the stream of the given
// draw of trial.
func (r *Reinforce) ProposeTrial(_ context.Context, trial, draw int) (space.DNA, error) {
	if r.spec == nil {
		return space.DNA{}, errNotSetUp("reinforce")
	}
	if err := checkTrial("reinforce", trial, draw); err != nil {
		return space.DNA{}, err
	}
	r.next = trial + 1
	rng := r.streams.trial(trial, draw)
	return space.DNA{Children: r.draw(rng, r.spec.Points)}, nil
}

func (r *Reinforce) draw(rng *rand.Rand, points []*space.DecisionPoint) []space.DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]space.DNA, len(points))
	for i, p := range points {
		if g, ok := r.gauss[p]; ok {
			out[i] = space.DNA{Value: g.draw(rng, p)}
			continue
		}
		if p.Kind != space.KindOneOf {
			out[i] = randomPoint(rng, p)
			continue
		}
		probs := softmax(r.logits[p])
		u, c := rng.Float64(), len(probs)-1
		for j, q := range probs {
			if u < q {
				c = j
				break
			}
			u -= q
		}
		out[i] = space.DNA{Value: float64(c), Children: r.draw(rng, p.Candidates[c].Points)}
	}
	return out
}

// Feedback takes one policy-gradient step from the result; failed
// results, NaN rewards and DNA not of the space are ignored.
func (r *Reinforce) Feedback(res Result) {
	if r.spec == nil || res.Failed() || len(res.Rewards) == 0 || math.IsNaN(res.Rewards[0]) || math.IsInf(res.Rewards[0], 0) {
		return
	}
	if r.spec.Validate(res.DNA) != nil {
		return
	}
	reward := res.Rewards[0]
	if !r.seen {
		r.baseline, r.seen = reward, true
	}
	adv := reward - r.baseline
	decay := r.Decay
	if decay == 0 {
		decay = 0.9
	}
	r.baseline = decay*r.baseline + (1-decay)*reward
	lr := orFloat(r.LearningRate, 0.1)
	ent := r.Entropy
	switch {
	case ent == 0:
		ent = 0.01
	case ent < 0:
		ent = 0
	}
	if r.PPO {
		r.ppoFeedback(res.DNA, adv, lr, ent)
		return
	}
	g := newPolicyGrad()
	r.accumulate(g, r.spec.Points, res.DNA.Children, adv, ent)
	r.apply(g, lr)
}

// Probabilities returns the policy's distribution over the candidates of
// the OneOf decision p (nil for another point).
func (r *Reinforce) Probabilities(p *space.DecisionPoint) []float64 {
	if theta, ok := r.logits[p]; ok {
		return softmax(theta)
	}
	return nil
}

// Gaussian returns the policy's distribution of the Float or Int
// decision p on its unit range: the mean (the value it maps to is
// Mean) and the standard deviation; ok is false for another point.
func (r *Reinforce) Gaussian(p *space.DecisionPoint) (mean, std float64, ok bool) {
	g, ok := r.gauss[p]
	if !ok {
		return 0, 0, false
	}
	return g.mu, math.Exp(g.logStd), true
}

// Mean returns the value of the Float or Int decision p at its policy's
// mean (NaN for another point).
func (r *Reinforce) Mean(p *space.DecisionPoint) float64 {
	g, ok := r.gauss[p]
	if !ok {
		return math.NaN()
	}
	return fromUnit(p, clampUnit(g.mu))
}
