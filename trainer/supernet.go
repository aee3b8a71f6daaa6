package trainer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Supernet is the weight-sharing relaxation of a Sequential model whose
// categorical decisions are Mixed layers: it trains the network weights
// on the training split with the mixing weights it is given, and returns
// the validation loss's gradient with respect to them (the first-order
// DARTS step). Package algorithms' Darts drives it through package
// experiments, which turns a space's decisions into Mixed layers.
// NewFineTuneSupernet builds one over a LoRA fine-tune instead, its
// decision the adapters' rank (masked rank components).
//
// A Supernet is not safe for concurrent use.
type Supernet struct {
	net   *nn.Sequential
	mixes []*nn.Mix
	clf   *nn.Classifier
	train *data.Set
	val   *data.Set
	batch int
	lr    float64 // the weights' learning rate
	rng   *rand.Rand
	perm  []int // the training order of the current epoch
	pos   int   // the next position in perm
	vpos  int   // the next validation row
	x, vx []float32
	y, vy []int32
}

// SupernetOptions are the weight optimisation's settings; the zero value
// is the default.
type SupernetOptions struct {
	// Batch is the batch size of both splits (default 64).
	Batch int
	// LR is AdamW's learning rate on the weights (default 1e-3).
	LR float64
	// WeightDecay is AdamW's decoupled weight decay (default 0).
	WeightDecay float64
	// Seed seeds the initialization and the order of the batches.
	Seed uint64
}

// SupernetStep is what one Step measured.
type SupernetStep struct {
	// TrainLoss is the weight step's training loss, ValLoss and
	// ValAccuracy the validation batch's after it.
	TrainLoss, ValLoss, ValAccuracy float64
	// Grad is dValLoss/dweights, one vector per decision.
	Grad [][]float64
}

// NewSupernet builds the supernet of model, whose Mixed layers name
// decisions 0 to len(candidates)−1, decision i having candidates[i]
// candidates, over the training and validation splits of splits (which
// must have a validation split).
func NewSupernet(model Sequential, candidates []int, splits *data.Splits, o SupernetOptions) (*Supernet, error) {
	if splits == nil || splits.Train == nil || splits.Val == nil || splits.Val.N == 0 || splits.Train.N == 0 {
		return nil, errors.New("trainer: supernet: want training and validation data (the architecture is fitted on the validation split)")
	}
	mixes := make([]*nn.Mix, len(candidates))
	for i, n := range candidates {
		if n < 1 {
			return nil, fmt.Errorf("trainer: supernet: decision %d: want at least one candidate, got %d", i, n)
		}
		mixes[i] = nn.NewMix(n)
	}
	defaults, err := model.Defaults()
	if err != nil {
		return nil, err
	}
	b := newBuilder(o.Seed, defaults)
	b.mixes = mixes
	net, out, err := buildLayers(b, "layers", model.keptFP32(), Width{N: splits.Train.Features})
	if err != nil {
		return nil, err
	}
	if out.N != splits.Train.Classes {
		return nil, fmt.Errorf("%w: %s: the last layer's width is %d, want %d (the number of classes)", ErrProgram, out.Path, out.N, splits.Train.Classes)
	}
	return newSupernetOf(net, mixes, splits, o)
}

// newSupernetOf returns the supernet of the built network net, whose
// relaxed decisions mix by mixes.
func newSupernetOf(net *nn.Sequential, mixes []*nn.Mix, splits *data.Splits, o SupernetOptions) (*Supernet, error) {
	lr := o.LR
	if lr == 0 {
		lr = 1e-3
	}
	clf, err := nn.NewClassifier(net, nn.NewAdamW(o.WeightDecay), nn.Constant(lr))
	if err != nil {
		return nil, err
	}
	batch := o.Batch
	if batch <= 0 {
		batch = 64
	}
	return &Supernet{
		net: net, mixes: mixes, clf: clf, train: splits.Train, val: splits.Val, batch: batch, lr: lr,
		rng: nn.NewRand(o.Seed, 3),
	}, nil
}

// Network returns the supernet's network (its parameters are the shared
// weights).
func (s *Supernet) Network() *nn.Sequential { return s.net }

// Mixes returns the mixing weights of the decisions.
func (s *Supernet) Mixes() []*nn.Mix { return s.mixes }

// SetWeights sets the mixing weights, one vector per decision.
func (s *Supernet) SetWeights(weights [][]float64) error {
	if len(weights) != len(s.mixes) {
		return fmt.Errorf("trainer: supernet: %d weight vectors for %d decisions", len(weights), len(s.mixes))
	}
	for i, w := range weights {
		if len(w) != len(s.mixes[i].W) {
			return fmt.Errorf("trainer: supernet: decision %d: %d weights for %d candidates", i, len(w), len(s.mixes[i].W))
		}
		copy(s.mixes[i].W, w)
	}
	return nil
}

// Step sets the mixing weights, takes one AdamW step of the network
// weights on the next training batch, then measures the next validation
// batch and returns its loss's gradient with respect to the mixing
// weights.
func (s *Supernet) Step(ctx context.Context, weights [][]float64) (SupernetStep, error) {
	if err := ctx.Err(); err != nil {
		return SupernetStep{}, err
	}
	if err := s.SetWeights(weights); err != nil {
		return SupernetStep{}, err
	}
	x, y := s.nextTrain()
	trainLoss := s.clf.TrainStep(x, y)
	vx, vy := s.nextVal()
	for _, m := range s.mixes {
		m.ZeroGrad()
	}
	valLoss, correct := s.clf.Loss.Forward(s.net.Forward(vx, false), vy)
	s.net.Backward(s.clf.Loss.Grad(), false)
	grad := make([][]float64, len(s.mixes))
	for i, m := range s.mixes {
		grad[i] = append([]float64(nil), m.Grad...)
	}
	return SupernetStep{TrainLoss: trainLoss, ValLoss: valLoss, ValAccuracy: float64(correct) / float64(len(vy)), Grad: grad}, nil
}

// Evaluate returns the loss and accuracy on the whole validation split
// with the current mixing weights.
func (s *Supernet) Evaluate() (loss, accuracy float64) {
	return s.clf.Evaluate(tensor.FromData(s.val.X, s.val.N, s.val.Features), s.val.Y, evalBatchSize(s.batch))
}

func (s *Supernet) nextTrain() (*tensor.Tensor, []int32) {
	if s.pos+s.batch > len(s.perm) {
		s.perm = s.rng.Perm(s.train.N)
		s.pos = 0
	}
	idx := s.perm[s.pos:min(s.pos+s.batch, len(s.perm))]
	s.pos += len(idx)
	s.x = grow(s.x, len(idx)*s.train.Features)
	s.y = growInt(s.y, len(idx))
	s.train.Gather(s.x, s.y, idx)
	return tensor.FromData(s.x[:len(idx)*s.train.Features], len(idx), s.train.Features), s.y[:len(idx)]
}

func (s *Supernet) nextVal() (*tensor.Tensor, []int32) {
	n := min(s.batch, s.val.N)
	if s.vpos+n > s.val.N {
		s.vpos = 0
	}
	lo := s.vpos
	s.vpos += n
	f := s.val.Features
	return tensor.FromData(s.val.X[lo*f:(lo+n)*f], n, f), s.val.Y[lo : lo+n]
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

func growInt(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}

// Weights returns a copy of the supernet's shared weights by parameter
// name, to checkpoint them.
func (s *Supernet) Weights() map[string][]float32 {
	out := make(map[string][]float32, len(s.net.Params()))
	for _, p := range s.net.Params() {
		out[p.Name] = append([]float32(nil), p.Value.Data...)
	}
	return out
}

// SetNetworkWeights restores weights that Weights returned (of a supernet
// of the same model); the weight optimizer's moments start afresh.
func (s *Supernet) SetNetworkWeights(w map[string][]float32) error {
	if len(w) != len(s.net.Params()) {
		return fmt.Errorf("trainer: supernet: %d saved weights for %d parameters", len(w), len(s.net.Params()))
	}
	for _, p := range s.net.Params() {
		v, ok := w[p.Name]
		if !ok || len(v) != len(p.Value.Data) {
			return fmt.Errorf("trainer: supernet: parameter %s: want %d saved values, got %d", p.Name, len(p.Value.Data), len(v))
		}
	}
	for _, p := range s.net.Params() {
		copy(p.Value.Data, w[p.Name])
	}
	return nil
}
