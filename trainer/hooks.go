package trainer

import (
	"context"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Hooks are the extension points of the training loop, in the manner of
// net/http/httptrace.ClientTrace: every field is optional, and
// TrainOptions.Hooks holds any number of Hooks values, which the loop
// calls in their order at each point. A feature that changes how a
// network trains (quantization-aware training, adapters, differentiable
// architecture search, model merging) is a Hooks value, not a branch in
// the loop.
//
// A hook's error ends the run: Train returns it wrapped with the point
// and the epoch and step it was at, and the metrics of the epochs
// completed so far (none for Start). Hooks run on Train's goroutine; with
// none set, the loop does no work per step for them and allocates
// nothing.
type Hooks struct {
	// Start is called once, after the data are loaded and the network
	// and its training wrapper built, before the first step. It decides
	// which parameters train: it may set Frozen on parameters of r.Net
	// (the base weights under an adapter) or narrow r.Model.Params to the
	// ones the run's optimizer updates (leaving architecture logits to an
	// optimizer of its own). Later points must not change r.Model.Params.
	Start func(r *Run) error
	// BeforeStep is called before each step's forward pass, with the
	// step's batch in s (s.Loss is 0).
	BeforeStep func(r *Run, s *Step) error
	// BeforeUpdate is called after the backward pass, with every
	// parameter's gradient set and s.Loss known, and before the
	// optimizer's update: the place to clip gradients, or to put master
	// weights back after a fake-quantized forward pass so that the
	// update applies the straight-through gradient to them.
	BeforeUpdate func(r *Run, s *Step) error
	// AfterStep is called after the optimizer's update of each step; an
	// alternating search takes its own step here, on batches of
	// r.Splits.Val.
	AfterStep func(r *Run, s *Step) error
	// EndEpoch is called after each epoch, once the validation set is
	// evaluated and before Progress and the Reporter are told: metrics a
	// hook adds to e.Metrics reach the Reporter and the metrics Train
	// returns. Its time counts in train_seconds.
	EndEpoch func(r *Run, e *EpochEnd) error
	// End is called once when training is over (all epochs done, or the
	// Reporter stopped the run) and the test set is evaluated; metrics
	// is the map Train returns, to which End may add (the test figures
	// of merged weights, say). It is not called when the run fails or
	// ctx is done.
	End func(r *Run, metrics map[string]float64) error
}

// Run is what hooks are given of a training run. Its exported fields are
// set before Start and stay the same throughout the run.
type Run struct {
	// Program is the program being trained; hooks must not modify it.
	Program *Classifier
	// Splits are the program's data: Train always, Val when the program
	// has a validation set (else nil or empty), Test always. They are
	// shared by the runs of the process and must not be modified.
	Splits *data.Splits
	// Net is the network being trained.
	Net *nn.Sequential
	// Model is Net's training wrapper: the loss, the optimizer, the
	// learning-rate schedule and the parameters the optimizer updates
	// (Model.Params), and the count of steps taken.
	Model *nn.Classifier
	// Batch is the number of examples of a training step (the last step
	// of an epoch may have fewer) and StepsPerEpoch the steps of an
	// epoch.
	Batch, StepsPerEpoch int

	ctx       context.Context
	evalBatch int
	hooks     hookLists
	opts      *TrainOptions
	metrics   map[string]float64
	cur       Step // the step being taken, reused so hooks cost no allocation
}

// Context returns the context Train was called with, for hooks that do
// long work (an evaluation of merged weights).
func (r *Run) Context() context.Context { return r.ctx }

// Evaluate returns the mean loss and the accuracy of the network on s in
// evaluation mode, computed as the loop computes the validation and test
// figures (the same batching), so that they compare bit for bit.
func (r *Run) Evaluate(s *data.Set) (loss, accuracy float64) {
	return r.Model.Evaluate(tensor.FromData(s.X[:s.N*s.Features], s.N, s.Features), s.Y[:s.N], r.evalBatch)
}

// Step is one training step, as hooks see it. The loop owns it and its
// batch: they are valid during the hook's call only, and hooks must not
// modify the batch.
type Step struct {
	// Epoch is the epoch of the step, from 1; Index the number of steps
	// taken before it in the run, from 0 (r.Model.Steps() until the
	// update); Batch the step's place in its epoch, from 0.
	Epoch, Index, Batch int
	// X is the batch (rows × features) and Y its labels.
	X *tensor.Tensor
	Y []int32
	// Loss is the batch's mean training loss, known from BeforeUpdate on
	// (0 in BeforeStep).
	Loss float64
}

// EpochEnd is what EndEpoch hooks are given after an epoch.
type EpochEnd struct {
	// Epoch is the epoch just finished, from 1; Steps the training steps
	// taken so far.
	Epoch, Steps int
	// Metrics are the epoch's report: train_loss, and val_loss and
	// val_accuracy with a validation set. A hook adds its own metrics
	// here, under names of its own; overwriting the loop's changes what
	// the Reporter and the returned metrics see, not Progress.
	Metrics map[string]float64
}

// hookLists are the hooks of a run by point, nil functions left out.
type hookLists struct {
	start                           []func(*Run) error
	beforeStep, beforeUpdate, after []func(*Run, *Step) error
	endEpoch                        []func(*Run, *EpochEnd) error
	end                             []func(*Run, map[string]float64) error
}

// listHooks sorts hs by point.
func listHooks(hs []Hooks) hookLists {
	var l hookLists
	for _, h := range hs {
		l.start = appendHook(l.start, h.Start, h.Start == nil)
		l.beforeStep = appendHook(l.beforeStep, h.BeforeStep, h.BeforeStep == nil)
		l.beforeUpdate = appendHook(l.beforeUpdate, h.BeforeUpdate, h.BeforeUpdate == nil)
		l.after = appendHook(l.after, h.AfterStep, h.AfterStep == nil)
		l.endEpoch = appendHook(l.endEpoch, h.EndEpoch, h.EndEpoch == nil)
		l.end = appendHook(l.end, h.End, h.End == nil)
	}
	return l
}

// appendHook appends f to list unless f is nil.
func appendHook[F any](list []F, f F, isNil bool) []F {
	if isNil {
		return list
	}
	return append(list, f)
}
