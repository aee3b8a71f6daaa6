package trainer

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// FineTune is a stage that fine-tunes a trained model on a new task: a
// ModelProgram whose trained network is its base's, adapted. Base is any
// ModelProgram (a Classifier, trained or taken from env's cache; a
// Checkpoint; another FineTune, for fine-tuning over a sequence of
// tasks); Task is the new data, with the base's number of features.
// Head "new" replaces the base's output layer by a fresh one
// (Glorot-uniform, zero bias) with the task's number of classes, "keep"
// keeps it (the task must have the base's classes). Method says how the
// target layers train (trainer.Full, trainer.LoRA); the head always
// trains, every other layer is frozen. Optimizer, Epochs, Batch and Seed
// are the training's, as in a Classifier (Seed draws the new head, the
// adapters and the order of the examples).
//
//	_type: trainer.FineTune
//	base: {_type: trainer.Classifier, …}
//	task: {_type: trainer.FashionMNIST, transform: [rot90], validation: 0, standardize: true}
//	method: {_type: trainer.LoRA, rank: 8, alpha: 16}
//	optimizer: {_type: trainer.AdamW, lr: 0.001}
//
// Its metrics (see the MetricTarget… constants) are the new task's test
// figures, the forgetting (the fine-tuned trunk under the base's own
// head, on the base's test set), the number of trainable parameters, and
// the spectral comparison of each target matrix with the base's: the
// intruder dimensions among its top K singular vectors at similarity
// threshold Eps, summed and per target, and the effective rank of the
// update; then, for each λ of Lambdas, the task and forgetting figures
// again with the intruders' singular values scaled by λ.
//
// A quantized base (issue 14's quantizers) is fine-tuned as it computes:
// its quantized layers (nn.QuantDense) belong to the frozen trunk and
// keep the base's quantizer, codes and scales, so the fine-tuned model
// stores as the base does; the targets, which Full and LoRA train, are
// the base's fp32 hidden dense layers (keep them in fp32 with the
// model's fp32_first, or a layer's own quant: {_type: trainer.FP32}), and
// the new head is fp32 (fp32_last keeps the base's so). A quantized layer
// is never a target: a base without an fp32 hidden dense layer is an
// ErrProgram error at method.targets.
//
// A FineTune is safe for concurrent use by several runs (it is a value).
type FineTune struct {
	Base      ModelProgram   `sym:",required" doc:"the trained model fine-tuned: a trainer.Classifier (trained or taken from the cache), a trainer.Checkpoint or a trainer.FineTune"`
	Task      Dataset        `sym:",required" doc:"the new task's data (trainer.FashionMNIST with a transform, …), with the base's number of features"`
	Head      string         `enum:"new,keep" default:"new" doc:"new: a fresh output layer for the task's classes; keep: the base's (same classes)"`
	Method    FineTuneMethod `sym:",required" doc:"how the target layers train: trainer.Full or trainer.LoRA"`
	Optimizer Optimizer      `sym:",required" doc:"the optimizer (trainer.AdamW, trainer.SGD)"`
	Epochs    int            `min:"1" max:"100000" default:"3" doc:"passes over the task's training set"`
	Batch     int            `min:"1" max:"65536" default:"256" doc:"examples per training step"`
	Seed      int64          `min:"0" doc:"seeds the new head, the adapters and the order of the examples"`
	K         int            `sym:"k" min:"1" max:"65536" default:"10" doc:"intruders are sought among this many top singular vectors of each fine-tuned matrix"`
	Eps       float64        `sym:"eps" min:"1e-9" max:"1" default:"0.5" doc:"a top singular vector is an intruder when its largest |cosine| with the base's singular vectors is below eps"`
	Lambdas   []float64      `min:"0" max:"10" default:"[0.75, 0.5]" doc:"after training, the intruders' singular values are scaled by each λ and the figures measured again"`
}

// Metric names of a FineTune's run.
const (
	MetricTargetAccuracy  = "target_accuracy"  // accuracy on the task's test set
	MetricTargetLoss      = "target_loss"      // mean cross-entropy on the task's test set
	MetricOrigAccuracy    = "orig_accuracy"    // the fine-tuned trunk with the base's head, on the base's test set
	MetricOrigLoss        = "orig_loss"        // its mean cross-entropy
	MetricBaseAccuracy    = "base_accuracy"    // the base itself on its test set, before fine-tuning
	MetricBaseCached      = "base_cached"      // 1 when the base came from the trained-model cache
	MetricTrainableParams = "trainable_params" // scalars that trained: adapters or target weights, and the head
	MetricIntruders       = "intruders"        // intruder dimensions summed over the targets; per target "intruders.layers[i]"
	MetricUpdateRank      = "update_effective_rank"
)

// Defaults of the spectral fields when a Go literal leaves them zero.
const (
	DefaultIntruderK   = 10
	DefaultIntruderEps = 0.5
)

// DefaultLambdas are the factors of the intruder mitigation when a Go
// literal leaves Lambdas nil.
var DefaultLambdas = []float64{0.75, 0.5}

// withDefaults returns f with the zero values of a Go literal at the
// declared defaults (decoded programs have them already), and so its
// base when that is a FineTune.
func (f FineTune) withDefaults() FineTune {
	if f.Head == "" {
		f.Head = "new"
	}
	if f.K == 0 {
		f.K = DefaultIntruderK
	}
	if f.Eps == 0 {
		f.Eps = DefaultIntruderEps
	}
	if f.Lambdas == nil {
		f.Lambdas = DefaultLambdas
	}
	if b, ok := f.Base.(FineTune); ok { // a sequence's earlier stage
		f.Base = b.withDefaults()
	}
	return f
}

// check repeats the schema's checks, for programs built in Go.
func (f FineTune) check() error {
	switch {
	case f.Base == nil:
		return fmt.Errorf("%w: base: want a trained model (trainer.Classifier, trainer.Checkpoint, trainer.FineTune)", ErrProgram)
	case f.Task == nil:
		return fmt.Errorf("%w: task: want a dataset (trainer.FashionMNIST, trainer.Synthetic)", ErrProgram)
	case f.Method == nil:
		return fmt.Errorf("%w: method: want trainer.Full or trainer.LoRA", ErrProgram)
	case f.Optimizer == nil:
		return fmt.Errorf("%w: optimizer: want trainer.AdamW or trainer.SGD", ErrProgram)
	case f.Head != "new" && f.Head != "keep":
		return fmt.Errorf("%w: head: want one of new, keep, got %q", ErrProgram, f.Head)
	case f.Epochs < 1:
		return fmt.Errorf("%w: epochs: want int ≥ 1, got %d", ErrProgram, f.Epochs)
	case f.Batch < 1:
		return fmt.Errorf("%w: batch: want int ≥ 1, got %d", ErrProgram, f.Batch)
	case f.Seed < 0:
		return fmt.Errorf("%w: seed: want int ≥ 0, got %d", ErrProgram, f.Seed)
	case f.K < 1:
		return fmt.Errorf("%w: k: want int ≥ 1, got %d", ErrProgram, f.K)
	case !(f.Eps > 0 && f.Eps <= 1):
		return fmt.Errorf("%w: eps: want float in (0, 1], got %v", ErrProgram, f.Eps)
	case !(f.Optimizer.LearningRate() > 0):
		return fmt.Errorf("%w: optimizer.lr: want float > 0, got %v", ErrProgram, f.Optimizer.LearningRate())
	}
	for i, l := range f.Lambdas {
		if !(l >= 0 && l <= 10) {
			return fmt.Errorf("%w: lambdas[%d]: want float in [0, 10], got %v", ErrProgram, i, l)
		}
	}
	return nil
}

// Run fine-tunes (getting the base from env's cache when it is there)
// and returns the metrics.
func (f FineTune) Run(ctx context.Context, env *Env) (map[string]float64, error) {
	r, err := f.Tune(ctx, env)
	if err != nil {
		return nil, err
	}
	return r.Metrics, nil
}

// TrainedModel fine-tunes and returns the fine-tuned network, adapters
// merged, as a Trained whose Program is a Classifier of the network's
// architecture on the task's data (with the fine-tune's optimizer,
// epochs, batch and seed), so that an Evaluation, a Checkpoint written
// from it, or a further FineTune treat it as any trained model.
func (f FineTune) TrainedModel(ctx context.Context, env *Env) (*Trained, error) {
	r, err := f.Tune(ctx, env)
	if err != nil {
		return nil, err
	}
	return r.Trained, nil
}

// Tune gets the base model (env's cache applies to it, env's Reporter
// does not) and fine-tunes it (TuneFrom). With a cache, env.Notice is
// told whether the base came from it or was trained now, so that a
// search's output shows the base trained once; and the fine-tune itself
// is looked up there first, by its canonical form, as a Classifier is: a
// hit returns the recorded result (cached = 1; no Base, no reports) and
// trains nothing, a miss stores its result.
func (f FineTune) Tune(ctx context.Context, env *Env) (*FineTuned, error) {
	env = env.orZero()
	f = f.withDefaults()
	if err := f.check(); err != nil {
		return nil, err
	}
	if env.Cache != nil {
		return f.cachedTune(ctx, env)
	}
	return f.tuneNow(ctx, env)
}

// tuneNow is Tune without looking the fine-tune up in the cache.
func (f FineTune) tuneNow(ctx context.Context, env *Env) (*FineTuned, error) {
	base, err := f.Base.TrainedModel(ctx, env.sub())
	if err != nil {
		if errors.Is(err, ErrProgram) {
			return nil, prefixProgramError("base", err)
		}
		return nil, err
	}
	if base.Net == nil {
		return nil, fmt.Errorf("trainer: base: the run left no trained network")
	}
	if env.Cache != nil {
		if base.Cached {
			env.notice("trainer: fine-tune: the base model was taken from the trained-model cache")
		} else {
			env.notice("trainer: fine-tune: the base model was trained now (and cached for the next fine-tunes)")
		}
	}
	return f.TuneFrom(ctx, env, base)
}

// TuneFrom fine-tunes base, a trained model f.Base stands for, without
// getting it again: a sequence of stages passes each result on to the
// next this way. base is not modified.
func (f FineTune) TuneFrom(ctx context.Context, env *Env, base *Trained) (*FineTuned, error) {
	env = env.orZero()
	f = f.withDefaults()
	if err := f.check(); err != nil {
		return nil, err
	}
	if base == nil || base.Net == nil || base.Program == nil {
		return nil, fmt.Errorf("%w: base: want a trained network with its program", ErrProgram)
	}
	baseSplits, err := base.Program.Data.Load()
	if err != nil {
		return nil, fmt.Errorf("trainer: base.data: %w", err)
	}
	splits, err := f.Task.Load()
	if err != nil {
		return nil, fmt.Errorf("trainer: task: %w", err)
	}
	train := splits.Train
	switch {
	case train.N == 0:
		return nil, fmt.Errorf("%w: task: the training set is empty", ErrProgram)
	case train.Features != base.Features:
		return nil, fmt.Errorf("%w: task: %d features, the base takes %d", ErrProgram, train.Features, base.Features)
	case f.Head == "keep" && train.Classes != base.Classes:
		return nil, fmt.Errorf("%w: head: keep needs the base's %d classes, the task has %d; want head: new", ErrProgram, base.Classes, train.Classes)
	}
	s, err := f.setUp(base, train.Classes)
	if err != nil {
		return nil, err
	}
	desc := f.described(base.Program, train.Classes)
	batch := min(f.Batch, train.N)
	steps := (train.N + batch - 1) / batch
	model, err := nn.NewClassifier(s.net, f.Optimizer.New(), desc.schedule(f.Epochs*steps))
	if err != nil {
		return nil, fmt.Errorf("trainer: fine-tune: %w", err)
	}
	run := &Run{
		Program: desc, Splits: splits, Net: s.net, Model: model, Batch: batch, StepsPerEpoch: steps,
		ctx: ctx, evalBatch: evalBatchSize(batch), opts: &TrainOptions{Reporter: env.Reporter, Progress: env.Progress},
		metrics: map[string]float64{MetricStoppedEarly: 0},
	}
	m, net, err := run.train()
	if err != nil {
		return nil, err
	}
	if net == nil {
		return nil, fmt.Errorf("trainer: fine-tune: the run left no trained network")
	}
	return f.finish(ctx, s, base, baseSplits, splits, desc, m)
}

// setup is a base network made ready to fine-tune.
type setup struct {
	net      *nn.Sequential // the network that trains: adapters in place of the targets
	targets  []int          // the target layers' indices
	w0       [][]float32    // the targets' weights before training (In×Out)
	baseHead nn.Layer       // the base's own output layer, untouched
}

// setUp copies base's network, puts the new head on it if asked, puts the
// method's layers in place of the targets and freezes every parameter
// but theirs and the head's.
func (f FineTune) setUp(base *Trained, classes int) (*setup, error) {
	net, err := cloneNetwork(base)
	if err != nil {
		return nil, err
	}
	baseHead, err := cloneNetwork(base)
	if err != nil {
		return nil, err
	}
	last := len(net.Layers) - 1
	s := &setup{baseHead: baseHead.Layers[last]}
	if s.targets, err = resolveTargets(net, f.Method.TargetPatterns()); err != nil {
		return nil, err
	}
	layers := slices.Clone(net.Layers)
	if f.Head == "new" {
		old, ok := layers[last].(*nn.Dense)
		if !ok {
			return nil, fmt.Errorf("%w: head: new needs a dense output layer, the base's %s is %T", ErrProgram, layerPath(last), layers[last])
		}
		layers[last] = nn.NewDense(old.In, classes, nn.GlorotUniform, nn.NewRand(uint64(f.Seed), 4))
	}
	rng := nn.NewRand(uint64(f.Seed), 5)
	for _, i := range s.targets {
		d := layers[i].(*nn.Dense)
		s.w0 = append(s.w0, slices.Clone(d.W.Value.Data))
		if layers[i], err = f.Method.Adapt(d, layerPath(i), rng); err != nil {
			return nil, err
		}
	}
	s.net = nn.NewSequential(layers...)
	trains := make(map[*nn.Param]bool)
	for _, i := range append(slices.Clone(s.targets), last) {
		for _, p := range layers[i].Params() {
			trains[p] = true
		}
	}
	// The network's own Params are renamed copies of the layers': match
	// them by tensor.
	byValue := make(map[*tensor.Tensor]bool)
	for p := range trains {
		byValue[p.Value] = true
	}
	nn.Freeze(s.net.Params(), func(p *nn.Param) bool { return !byValue[p.Value] })
	return s, nil
}

// described returns the Classifier that describes the fine-tuned
// network: base's model with the task's classes, on the task's data,
// with the fine-tune's optimizer and budget.
func (f FineTune) described(base *Classifier, classes int) *Classifier {
	return &Classifier{
		Data: f.Task, Model: modelFor(base.Model, classes), Optimizer: f.Optimizer,
		Epochs: f.Epochs, Batch: f.Batch, Seed: f.Seed, Schedule: "constant",
	}
}

// modelFor returns m for a network of classes outputs: an MLP is; a
// Sequential gets classes units in its last Dense.
func modelFor(m Model, classes int) Model {
	s, ok := m.(Sequential)
	if !ok || len(s.Layers) == 0 {
		return m
	}
	if d, ok := s.Layers[len(s.Layers)-1].(Dense); ok && d.Units != classes {
		s.Layers = slices.Clone(s.Layers)
		d.Units = classes
		s.Layers[len(s.Layers)-1] = d
	}
	return s
}

// cloneNetwork returns a copy of t's network: built again from its
// program and given its parameters' values.
func cloneNetwork(t *Trained) (*nn.Sequential, error) {
	c := t.Program
	net, err := c.Model.Network(t.Features, t.Classes, uint64(c.Seed))
	if err != nil {
		return nil, fmt.Errorf("trainer: base: rebuilding the network: %w", err)
	}
	src := t.Net.Params()
	dst := net.Params()
	if len(src) != len(dst) {
		return nil, fmt.Errorf("%w: base: the network has %d parameters, its program's %d", ErrCheckpoint, len(src), len(dst))
	}
	for i, p := range dst {
		if src[i].Name != p.Name || !slices.Equal(src[i].Value.Shape, p.Value.Shape) {
			return nil, fmt.Errorf("%w: base: parameter %s %v, its program's %s %v", ErrCheckpoint, src[i].Name, src[i].Value.Shape, p.Name, p.Value.Shape)
		}
		copy(p.Value.Data, src[i].Value.Data)
	}
	// A quantized layer loaded from a codes-only checkpoint computes with
	// its fixed codes and scales, which its W (their dequantized values)
	// would not quantize back to: the copy is given them too.
	sq, dq := nn.QuantLayers(t.Net), nn.QuantLayers(net)
	if len(sq) != len(dq) {
		return nil, fmt.Errorf("%w: base: the network has %d quantized layers, its program's %d", ErrCheckpoint, len(sq), len(dq))
	}
	for i, q := range sq {
		if !q.Fixed() {
			continue
		}
		if err := dq[i].SetCodes(slices.Clone(q.Codes()), slices.Clone(q.Scales())); err != nil {
			return nil, fmt.Errorf("%w: base: quantized layer %d: %v", ErrCheckpoint, i, err)
		}
	}
	return net, nil
}

// withHead returns net's layers but the last, followed by head.
func withHead(net *nn.Sequential, head nn.Layer) *nn.Sequential {
	layers := slices.Clone(net.Layers[:len(net.Layers)-1])
	return nn.NewSequential(append(layers, head)...)
}

// evaluateNet returns net's mean loss and accuracy on s, batch rows at a
// time.
func evaluateNet(net *nn.Sequential, s *data.Set, batch int) (loss, acc float64) {
	return evaluateTrained(&Trained{Net: net, evalBatch: batch}, s)
}
