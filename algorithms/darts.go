package algorithms

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// Darts is a DARTS-like architecture search (Liu, Simonyan and Yang,
// 2019) over a Relaxation: it learns architecture logits α, one vector
// per relaxed decision, by gradient descent on the validation loss, then
// proposes the derived programs as ordinary trials: first the argmax DNA,
// then the next most probable ones, TopK in all, then ErrDone.
//
// The supernet phase runs on the first proposal: Epochs epochs of
// StepsPerEpoch steps. At each step the mixing weights are softmax(α/τ)
// (with Gumbel, softmax((α+g)/τ) for a fresh Gumbel noise g, GDAS/SNAS
// style), the relaxation takes a weight step on training data and
// returns the validation loss's gradient with respect to the weights,
// which is chained through the softmax into α; α is updated by Adam
// (β₁ = 0.5, β₂ = 0.999, as in the DARTS paper) with decoupled weight
// decay. The temperature τ anneals exponentially from Temperature at the
// first epoch to FinalTemperature at the last. The updates are
// first-order (the weights' dependence on α is ignored) unless
// SecondOrder, which asks the relaxation (a SecondOrder) for the
// gradient of the validation loss after a virtual weight step of size
// Xi, as the second-order DARTS.
//
// The probability of a DNA is the product over the relaxed decisions of
// softmax(α)'s probability of its choice; the TopK most probable DNA are
// enumerated exactly in that order (decisions are independent), those
// that differ only in decisions the DNA leaves inactive counted once.
//
// The state after each epoch (Snapshot) can be saved and given back to
// Restore, so that a killed search resumes at the next epoch. Feedback is
// ignored: the trials only retrain the derived programs.
//
// A Darts is not safe for concurrent use.
type Darts struct {
	// Epochs is the number of epochs of the supernet phase (default 20).
	Epochs int `min:"0" max:"100000" doc:"epochs of the supernet phase (default 20)"`
	// StepsPerEpoch is the number of steps per epoch (default 10).
	StepsPerEpoch int `min:"0" max:"10000000" doc:"weight and architecture steps per epoch (default 10)"`
	// LearningRate is Adam's learning rate on α (default 3e-3).
	LearningRate float64 `min:"0" max:"100" doc:"Adam's learning rate on the architecture logits (default 0.003)"`
	// WeightDecay is the decoupled weight decay of α (default 1e-3; a
	// negative value means none).
	WeightDecay float64 `min:"-1" max:"10" doc:"weight decay of the architecture logits (default 0.001, negative: none)"`
	// SecondOrder takes the second-order step (the relaxation must
	// implement SecondOrder).
	SecondOrder bool `sym:"second_order" doc:"second-order updates: the gradient after a virtual weight step, by a finite-difference Hessian-vector product"`
	// Xi is the virtual step's size ξ of the second-order update (0: the
	// weights' learning rate).
	Xi float64 `min:"0" max:"100" doc:"the virtual weight step of the second-order update (0: the weights' learning rate)"`
	// Gumbel samples the mixing weights by Gumbel-softmax.
	Gumbel bool `doc:"Gumbel-softmax mixing weights (GDAS/SNAS style)"`
	// Temperature is τ at the first epoch (default 1).
	Temperature float64 `min:"0" max:"1000" doc:"softmax temperature at the first epoch (default 1)"`
	// FinalTemperature is τ at the last epoch (default: Temperature, no
	// annealing).
	FinalTemperature float64 `min:"0" max:"1000" doc:"softmax temperature at the last epoch (default: temperature)"`
	// TopK is the number of derived DNA proposed (default 3).
	TopK int `min:"0" max:"100000" doc:"derived programs proposed, the argmax first (default 3)"`
	// Checkpoint names the file the supernet phase is saved to after each
	// epoch and resumed from (package experiments keeps it; empty: none).
	Checkpoint string `doc:"the file the supernet phase is checkpointed to each epoch and resumed from (empty: none)"`
	// Plot names a .png or .svg file the logits over the epochs are drawn
	// to after the supernet phase (package experiments draws it; empty:
	// none).
	Plot string `doc:"a .png or .svg file the architecture logits over the epochs are drawn to (empty: none)"`
	// Seed seeds the Gumbel noise.
	Seed uint64 `doc:"seeds the Gumbel noise (0 in a config: the config's seed)"`

	// Relaxation is the supernet; it must be set before the first
	// proposal (package experiments sets it from the study's objective).
	Relaxation Relaxation `sym:"-"`
	// OnEpoch, if not nil, is called after each epoch; an error stops the
	// search and is returned by the proposal.
	OnEpoch func(ctx context.Context, e DartsEpoch) error `sym:"-"`

	spec      *space.DNASpec
	decisions []RelaxedDecision
	state     DartsState
	proposals []space.DNA
	next      int
}

// DartsEpoch is the report of one epoch of Darts's supernet phase.
type DartsEpoch struct {
	// Epoch counts from 1.
	Epoch int
	// TrainLoss and ValLoss are the means over the epoch's steps;
	// ValAccuracy the last step's (NaN when not measured).
	TrainLoss, ValLoss, ValAccuracy float64
	// Temperature is the epoch's τ.
	Temperature float64
	// Probabilities are softmax(α) per relaxed decision after the epoch.
	Probabilities [][]float64
	// Argmax is the most probable DNA after the epoch.
	Argmax space.DNA
	// State is the state to save to resume after this epoch.
	State DartsState
}

// DartsState is the resumable state of Darts: the epochs done, the
// logits and Adam's moments.
type DartsState struct {
	Epoch int         `json:"epoch"`
	Step  int         `json:"step"`
	Alpha [][]float64 `json:"alpha"`
	M     [][]float64 `json:"m"`
	V     [][]float64 `json:"v"`
}

var _ TrialProposer = (*Darts)(nil)

// errNoRelaxation is the error of a Darts used without a relaxation.
var errNoRelaxation = errors.New("algorithms: darts: no relaxation: darts searches a supernet that the objective provides (a trainer model in a study)")

const (
	dartsBeta1  = 0.5
	dartsBeta2  = 0.999
	dartsEps    = 1e-8
	dartsStream = 0x6461727473 // "darts"
)

func (d *Darts) epochs() int          { return orInt(d.Epochs, 20) }
func (d *Darts) steps() int           { return orInt(d.StepsPerEpoch, 10) }
func (d *Darts) topK() int            { return orInt(d.TopK, 3) }
func (d *Darts) lr() float64          { return orFloat(d.LearningRate, 3e-3) }
func (d *Darts) temperature() float64 { return orFloat(d.Temperature, 1) }
func (d *Darts) weightDecay() float64 {
	switch {
	case d.WeightDecay < 0:
		return 0
	case d.WeightDecay == 0:
		return 1e-3
	}
	return d.WeightDecay
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Setup prepares d for spec: it checks the relaxation's decisions against
// the spec (when the relaxation is already set) and zeroes the logits.
// Setup again with the same spec keeps the logits learned or restored,
// so that a supernet phase run before the search loop (which calls
// Setup) is not lost.
func (d *Darts) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("darts")
	}
	if spec == d.spec && d.decisions != nil {
		d.next = 0
		return nil
	}
	d.spec = spec
	d.proposals = nil
	d.next = 0
	d.decisions = nil
	d.state = DartsState{}
	if d.Relaxation != nil {
		return d.bind()
	}
	return nil
}

// bind checks the relaxation's decisions against the spec and starts the
// logits at zero (uniform probabilities) unless a state was restored.
func (d *Darts) bind() error {
	decs := d.Relaxation.Decisions()
	for _, r := range decs {
		p, ok := d.spec.Lookup(r.ID)
		if !ok {
			return fmt.Errorf("algorithms: darts: relaxed decision %s: no such decision point in the space", r.ID)
		}
		if p.Kind != space.KindOneOf || len(p.Candidates) != r.Candidates {
			return fmt.Errorf("algorithms: darts: relaxed decision %s: want a oneof of %d, the space has %s", r.ID, r.Candidates, p)
		}
	}
	d.decisions = decs
	if d.state.Alpha == nil {
		d.state = DartsState{Alpha: zeros(decs), M: zeros(decs), V: zeros(decs)}
	}
	return nil
}

func zeros(decs []RelaxedDecision) [][]float64 {
	out := make([][]float64, len(decs))
	for i, r := range decs {
		out[i] = make([]float64, r.Candidates)
	}
	return out
}

// Restore sets the state saved after an epoch (DartsEpoch.State), after
// Setup and with the relaxation set; the supernet phase continues at the
// next epoch.
func (d *Darts) Restore(s DartsState) error {
	if d.spec == nil {
		return errors.New("algorithms: darts: Restore before Setup")
	}
	if d.Relaxation == nil {
		return errors.New("algorithms: darts: Restore without a relaxation")
	}
	if d.decisions == nil {
		if err := d.bind(); err != nil {
			return err
		}
	}
	if len(s.Alpha) != len(d.decisions) || len(s.M) != len(d.decisions) || len(s.V) != len(d.decisions) {
		return fmt.Errorf("algorithms: darts: Restore: state of %d decisions, the relaxation has %d", len(s.Alpha), len(d.decisions))
	}
	for i, r := range d.decisions {
		if len(s.Alpha[i]) != r.Candidates || len(s.M[i]) != r.Candidates || len(s.V[i]) != r.Candidates {
			return fmt.Errorf("algorithms: darts: Restore: decision %s: want %d logits", r.ID, r.Candidates)
		}
	}
	d.state = cloneState(s)
	d.proposals = nil
	return nil
}

func cloneState(s DartsState) DartsState {
	return DartsState{Epoch: s.Epoch, Step: s.Step, Alpha: clone2(s.Alpha), M: clone2(s.M), V: clone2(s.V)}
}

func clone2(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i := range x {
		out[i] = append([]float64(nil), x[i]...)
	}
	return out
}

// Propose returns the next derived DNA (running the supernet phase
// first), or ErrDone after TopK.
func (d *Darts) Propose(ctx context.Context) (space.DNA, error) {
	return d.ProposeTrial(ctx, d.next, 0)
}

// ProposeTrial returns derived DNA number trial (0 is the argmax); draws
// after the first return the same DNA (a repeat is the program itself).
func (d *Darts) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if d.spec == nil {
		return space.DNA{}, errNotSetUp("darts")
	}
	if err := checkTrial("darts", trial, draw); err != nil {
		return space.DNA{}, err
	}
	if d.proposals == nil {
		if err := d.Search(ctx); err != nil {
			return space.DNA{}, err
		}
		top, err := d.MostProbable(d.topK())
		if err != nil {
			return space.DNA{}, err
		}
		d.proposals = top
	}
	if trial >= len(d.proposals) {
		return space.DNA{}, ErrDone
	}
	d.next = trial + 1
	return d.proposals[trial].Clone(), nil
}

// Feedback does nothing: the derived programs are fixed by the supernet
// phase.
func (d *Darts) Feedback(Result) {}

// Search runs the supernet phase's remaining epochs (all of them after
// Setup, those after the restored one after Restore).
func (d *Darts) Search(ctx context.Context) error {
	if d.spec == nil {
		return errNotSetUp("darts")
	}
	if d.Relaxation == nil {
		return errNoRelaxation
	}
	if d.decisions == nil {
		if err := d.bind(); err != nil {
			return err
		}
	}
	for d.state.Epoch < d.epochs() {
		if err := d.epoch(ctx); err != nil {
			return err
		}
	}
	return nil
}

// tau is the temperature of epoch e (from 0).
func (d *Darts) tau(e int) float64 {
	t0 := d.temperature()
	t1 := orFloat(d.FinalTemperature, t0)
	n := d.epochs()
	if n <= 1 || t1 == t0 {
		return t0
	}
	return t0 * math.Pow(t1/t0, float64(e)/float64(n-1))
}

func (d *Darts) epoch(ctx context.Context) error {
	e := d.state.Epoch
	tau := d.tau(e)
	var train, val float64
	acc := math.NaN()
	n := d.steps()
	for range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		var rng *rand.Rand
		if d.Gumbel {
			rng = rand.New(rand.NewPCG(d.Seed^dartsStream, uint64(d.state.Step)))
		}
		w := mixing(d.state.Alpha, tau, rng)
		var res StepResult
		var err error
		if d.SecondOrder {
			so, ok := d.Relaxation.(SecondOrder)
			if !ok {
				return fmt.Errorf("algorithms: darts: second_order: the relaxation (%T) has no second-order step", d.Relaxation)
			}
			res, err = so.StepSecondOrder(ctx, w, d.Xi)
		} else {
			res, err = d.Relaxation.Step(ctx, w)
		}
		if err != nil {
			return fmt.Errorf("algorithms: darts: epoch %d: %w", e+1, err)
		}
		if err := checkGrad(d.decisions, res.Grad); err != nil {
			return err
		}
		d.adam(softmaxBackward(w, res.Grad, tau))
		train += res.TrainLoss
		val += res.ValLoss
		acc = res.ValAccuracy
	}
	d.state.Epoch++
	if d.OnEpoch == nil {
		return nil
	}
	arg, err := d.Argmax()
	if err != nil {
		return err
	}
	return d.OnEpoch(ctx, DartsEpoch{
		Epoch: d.state.Epoch, TrainLoss: train / float64(n), ValLoss: val / float64(n), ValAccuracy: acc,
		Temperature: tau, Probabilities: d.Probabilities(), Argmax: arg, State: cloneState(d.state),
	})
}

func checkGrad(decs []RelaxedDecision, g [][]float64) error {
	if len(g) != len(decs) {
		return fmt.Errorf("algorithms: darts: the relaxation's gradient has %d decisions, want %d", len(g), len(decs))
	}
	for i, r := range decs {
		if len(g[i]) != r.Candidates {
			return fmt.Errorf("algorithms: darts: the relaxation's gradient of %s has %d entries, want %d", r.ID, len(g[i]), r.Candidates)
		}
		for _, x := range g[i] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("algorithms: darts: the relaxation's gradient of %s is not finite", r.ID)
			}
		}
	}
	return nil
}

// mixing returns softmax((α+g)/τ) per decision, g Gumbel noise drawn
// from rng (zero when rng is nil).
func mixing(alpha [][]float64, tau float64, rng *rand.Rand) [][]float64 {
	w := make([][]float64, len(alpha))
	for i, a := range alpha {
		z := make([]float64, len(a))
		for j := range a {
			var g float64
			if rng != nil {
				u := rng.Float64()
				for u == 0 {
					u = rng.Float64()
				}
				g = -math.Log(-math.Log(u))
			}
			z[j] = (a[j] + g) / tau
		}
		w[i] = softmax(z)
	}
	return w
}

func softmax(z []float64) []float64 {
	m := math.Inf(-1)
	for _, x := range z {
		m = math.Max(m, x)
	}
	out := make([]float64, len(z))
	var s float64
	for j, x := range z {
		out[j] = math.Exp(x - m)
		s += out[j]
	}
	for j := range out {
		out[j] /= s
	}
	return out
}

// softmaxBackward chains dL/dw through w = softmax(z/τ): dL/dz_j =
// w_j (g_j − Σ_i w_i g_i) / τ.
func softmaxBackward(w, g [][]float64, tau float64) [][]float64 {
	out := make([][]float64, len(w))
	for i := range w {
		var dot float64
		for j := range w[i] {
			dot += w[i][j] * g[i][j]
		}
		out[i] = make([]float64, len(w[i]))
		for j := range w[i] {
			out[i][j] = w[i][j] * (g[i][j] - dot) / tau
		}
	}
	return out
}

// adam takes one Adam step of α down the gradient g, with decoupled
// weight decay.
func (d *Darts) adam(g [][]float64) {
	d.state.Step++
	t := float64(d.state.Step)
	lr, wd := d.lr(), d.weightDecay()
	c1 := 1 - math.Pow(dartsBeta1, t)
	c2 := 1 - math.Pow(dartsBeta2, t)
	for i := range g {
		a, m, v := d.state.Alpha[i], d.state.M[i], d.state.V[i]
		for j := range g[i] {
			m[j] = dartsBeta1*m[j] + (1-dartsBeta1)*g[i][j]
			v[j] = dartsBeta2*v[j] + (1-dartsBeta2)*g[i][j]*g[i][j]
			a[j] -= lr * ((m[j]/c1)/(math.Sqrt(v[j]/c2)+dartsEps) + wd*a[j])
		}
	}
}

// Probabilities returns softmax(α) per relaxed decision, in the order of
// the relaxation's Decisions.
func (d *Darts) Probabilities() [][]float64 {
	out := make([][]float64, len(d.state.Alpha))
	for i, a := range d.state.Alpha {
		out[i] = softmax(a)
	}
	return out
}

// Logits returns a copy of α per relaxed decision.
func (d *Darts) Logits() [][]float64 { return clone2(d.state.Alpha) }

// Decisions returns the relaxed decisions, in the order of Probabilities.
func (d *Darts) Decisions() []RelaxedDecision { return d.decisions }

// Argmax returns the DNA that takes each relaxed decision's most probable
// candidate.
func (d *Darts) Argmax() (space.DNA, error) {
	top, err := d.MostProbable(1)
	if err != nil {
		return space.DNA{}, err
	}
	return top[0], nil
}
