package experiments

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/merge"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// The linear-mode-connectivity experiment reproduces, on Fashion-MNIST,
// the results of Git Re-Basin (Ainsworth et al. 2023) and of Ito et al.
// (2024, "Analysis of Linear Mode Connectivity via Permutation-Based
// Weight Matching"): two networks trained from different seeds have a
// high loss barrier on the straight line between their weights; weight
// matching (WM) removes most of it although the L2 distance falls only a
// little; permutations keep every singular value and align the top
// singular vectors; WM beats the straight-through estimator (STE),
// especially when three models are merged.
//
// The protocol, so that an independent implementation can run the same:
// 784-W-W-W-10 perceptrons with ReLU, every dense layer initialized as
// PyTorch's nn.Linear by default (weights and biases uniform in ±1/√in);
// Adam (β 0.9, 0.999, ε 1e-8, no weight decay) at lr 1e-3, constant;
// batch 500; Epochs passes over all 60,000 training images (no
// validation set) scaled to [0, 1] and standardized with mean 0.2860 and
// deviation 0.3530; one network per seed. On the 10,000 test images,
// with 11 values of λ from 0 to 1: the loss barrier is max over λ of
// loss(λ) − ((1−λ)·loss(0) + λ·loss(1)), the accuracy barrier max over λ
// of ((1−λ)·acc(0) + λ·acc(1)) − acc(λ). Models 1 and 2 are the pair;
// models 2 and 3 are both aligned to model 1 for the three-model
// figures (the anchor protocol). STE trains LMCSTESteps batches of 500
// training images with Adam at lr 1e-3, warm-started from WM, seed 0.
// Activation matching (AM), an extra, correlates the activations after
// each hidden layer over the first LMCAMBatches batches of 500 training
// images.

const (
	// LMCWidth is the hidden width W of the protocol.
	LMCWidth = 256
	// LMCEpochs is the number of epochs of the protocol.
	LMCEpochs = 5
	// LMCBatch is the batch of training, and of STE.
	LMCBatch = 500
	// LMCLR is Adam's learning rate, in training and in STE.
	LMCLR = 1e-3
	// LMCPoints is the number of values of λ on a path.
	LMCPoints = 11
	// LMCSTESteps is the number of STE steps of the protocol.
	LMCSTESteps = 1000
	// LMCAMBatches is the number of batches of LMCBatch training images
	// (the first ones) whose activations activation matching correlates.
	LMCAMBatches = 20
	// LMCQuickWidth, LMCQuickEpochs and LMCQuickSTESteps are the quick
	// mode's, a smoke test of seconds.
	LMCQuickWidth    = 32
	LMCQuickEpochs   = 1
	LMCQuickSTESteps = 20
)

// LMCSeeds are the seeds of the protocol's three networks.
var LMCSeeds = []int64{0, 1, 2}

// LMCOptions are the settings of the experiment; empty fields take the
// protocol's values.
type LMCOptions struct {
	Width    int
	Epochs   int
	Seeds    []int64
	STESteps int
}

func (o LMCOptions) withDefaults() LMCOptions {
	if o.Width == 0 {
		o.Width = LMCWidth
	}
	if o.Epochs == 0 {
		o.Epochs = LMCEpochs
	}
	if len(o.Seeds) == 0 {
		o.Seeds = LMCSeeds
	}
	if o.STESteps == 0 {
		o.STESteps = LMCSTESteps
	}
	return o
}

// Check reports the first setting out of range, naming it.
func (o LMCOptions) Check() error {
	o = o.withDefaults()
	switch {
	case o.Width < 1 || o.Width > 65536:
		return fmt.Errorf("experiments: lmc: width: %d is out of range; want 1 to 65536", o.Width)
	case o.Epochs < 1 || o.Epochs > 100000:
		return fmt.Errorf("experiments: lmc: epochs: %d is out of range; want 1 to 100000", o.Epochs)
	case len(o.Seeds) != 3:
		return fmt.Errorf("experiments: lmc: seeds: %d seeds; want three (models 1, 2 and 3)", len(o.Seeds))
	case o.STESteps < 1:
		return fmt.Errorf("experiments: lmc: ste steps: %d is out of range; want at least 1", o.STESteps)
	}
	for i, s := range o.Seeds {
		if s < 0 {
			return fmt.Errorf("experiments: lmc: seeds: %d is out of range; want seeds ≥ 0", s)
		}
		if slices.Contains(o.Seeds[:i], s) {
			return fmt.Errorf("experiments: lmc: seeds: %d is given twice", s)
		}
	}
	return nil
}

// LMCProgram returns the protocol's child program for one seed, every
// field set, so that its canonical form (the key of the trained-model
// cache) does not depend on defaults.
func LMCProgram(width, epochs int, seed int64) *trainer.Classifier {
	relu, init := "relu", "torch_linear"
	var layers []trainer.Layer
	for range 3 {
		layers = append(layers, trainer.Dense{Units: width, Bias: true}, trainer.ReLU{})
	}
	layers = append(layers, trainer.Dense{Units: 10, Bias: true})
	return &trainer.Classifier{
		Data:      trainer.FashionMNIST{Validation: 0, Standardize: true},
		Model:     trainer.Sequential{Activation: &relu, Init: &init, Quant: trainer.FP32{}, Layers: layers},
		Optimizer: trainer.AdamW{LR: LMCLR, WeightDecay: 0, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    epochs,
		Batch:     LMCBatch,
		Seed:      seed,
		Schedule:  "constant",
	}
}

// LMCResult is the outcome of the experiment: the JSON object of goglove
// experiment lmc --json. Accuracies are fractions, losses mean
// cross-entropies in nats, on the test set. "Naive" is the straight line
// between the weights as trained, "wm" and "ste" after aligning the
// second model to the first by weight matching or STE.
type LMCResult struct {
	Width  int     `json:"width"`
	Epochs int     `json:"epochs"`
	Seeds  []int64 `json:"seeds"`
	// Acc and Loss are each model's test accuracy and loss.
	Acc  []float64 `json:"acc"`
	Loss []float64 `json:"loss"`
	// L2Ratio is ‖θ_1 − π(θ_2)‖ / ‖θ_1 − θ_2‖ with π weight matching's.
	L2Ratio          float64 `json:"l2_ratio"`
	LossBarrierNaive float64 `json:"loss_barrier_naive"`
	LossBarrierWM    float64 `json:"loss_barrier_wm"`
	LossBarrierSTE   float64 `json:"loss_barrier_ste"`
	AccBarrierNaive  float64 `json:"acc_barrier_naive"`
	AccBarrierWM     float64 `json:"acc_barrier_wm"`
	AccBarrierSTE    float64 `json:"acc_barrier_ste"`
	MidAccNaive      float64 `json:"mid_acc_naive"`
	MidAccWM         float64 `json:"mid_acc_wm"`
	MidAccSTE        float64 `json:"mid_acc_ste"`
	// The pair after activation matching (not in the list).
	LossBarrierAM float64 `json:"loss_barrier_am"`
	AccBarrierAM  float64 `json:"acc_barrier_am"`
	MidAccAM      float64 `json:"mid_acc_am"`
	// PermSingularValuesMaxDiff is the largest change of a singular value
	// of a weight matrix of model 2 under weight matching's permutation.
	PermSingularValuesMaxDiff float64 `json:"perm_singular_values_maxdiff"`
	// SVAlignmentNaive and SVAlignmentWM are the mean |cos| between the
	// top left and right singular vectors of models 1 and 2's weight
	// matrices, before and after weight matching (merge.TopAlignment).
	SVAlignmentNaive float64 `json:"sv_alignment_naive"`
	SVAlignmentWM    float64 `json:"sv_alignment_wm"`
	// The barriers between models 2 and 3: as trained, and both aligned
	// to model 1 by WM or by STE.
	BCLossBarrierNaive    float64 `json:"bc_loss_barrier_naive"`
	BCLossBarrierWMAnchor float64 `json:"bc_loss_barrier_wm_anchor"`
	BCLossBarrierSTE      float64 `json:"bc_loss_barrier_ste"`
	// The accuracy of the plain average of the three models: as trained,
	// aligned to model 1 by WM or by STE, and aligned to each other by
	// MergeMany.
	Avg3AccNaive     float64 `json:"avg3_acc_naive"`
	Avg3AccWM        float64 `json:"avg3_acc_wm"`
	Avg3AccSTE       float64 `json:"avg3_acc_ste"`
	Avg3AccMergeMany float64 `json:"avg3_acc_merge_many"`
	// WMSeconds and STESeconds are the wall times of aligning model 2 to
	// model 1.
	WMSeconds  float64 `json:"wm_seconds"`
	STESeconds float64 `json:"ste_seconds"`
	AMSeconds  float64 `json:"am_seconds"`
	// TrainSeconds are the models' training wall times, as recorded when
	// they were trained (for a cached model, then).
	TrainSeconds []float64 `json:"train_seconds"`
	// Cached tells models taken from the trained-model cache.
	Cached []bool `json:"cached"`
	// Paths are the loss and accuracy along λ between models 1 and 2 (not
	// in the JSON object; --out writes them).
	Paths LMCPaths `json:"-"`
}

// LMCPaths are the paths between models 1 and 2; AM's, after activation
// matching, is in the plots but not in path.csv.
type LMCPaths struct {
	Naive, WM, STE, AM []merge.PathPoint
}

// RunLMC runs the experiment: it trains the three networks (through
// trainer.Classifier.TrainedModel with env, so from the trained-model
// cache when they were trained before), aligns and merges them, and
// measures. progress, if not nil, is told each step in a line.
func RunLMC(ctx context.Context, o LMCOptions, env *trainer.Env, progress func(string)) (*LMCResult, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	r := &LMCResult{Width: o.Width, Epochs: o.Epochs, Seeds: o.Seeds}
	var nets []*nn.Sequential
	for i, seed := range o.Seeds {
		t, err := LMCProgram(o.Width, o.Epochs, seed).TrainedModel(ctx, env)
		if err != nil {
			return nil, fmt.Errorf("experiments: lmc: model %d (seed %d): %w", i+1, seed, err)
		}
		nets = append(nets, t.Net)
		r.Acc = append(r.Acc, t.Metrics[trainer.MetricTestAccuracy])
		r.Loss = append(r.Loss, t.Metrics[trainer.MetricTestLoss])
		r.Cached = append(r.Cached, t.Cached)
		r.TrainSeconds = append(r.TrainSeconds, t.Metrics[trainer.MetricTrainSeconds])
		from := ""
		if t.Cached {
			from = " (from the trained-model cache)"
		}
		say("lmc: model %d (seed %d): test accuracy %.2f%%%s", i+1, seed, 100*r.Acc[i], from)
	}
	splits, err := trainer.FashionMNIST{Validation: 0, Standardize: true}.Load()
	if err != nil {
		return nil, fmt.Errorf("experiments: lmc: %w", err)
	}
	if err := r.measure(ctx, o, nets, splits, say); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("experiments: lmc: %w", err)
	}
	return r, nil
}

// measure aligns, merges and measures the three trained networks.
func (r *LMCResult) measure(ctx context.Context, o LMCOptions, nets []*nn.Sequential, splits *data.Splits, say func(string, ...any)) error {
	a, b, c := nets[0], nets[1], nets[2]
	test := splits.Test
	spec, err := merge.SpecOf(a)
	if err != nil {
		return err
	}
	lams := merge.Lambdas(LMCPoints)
	path := func(x, y *nn.Sequential) []merge.PathPoint {
		if err != nil {
			return nil
		}
		var p []merge.PathPoint
		p, err = merge.Path(x, y, test, lams)
		return p
	}
	apply := func(n *nn.Sequential, p merge.Permutation) *nn.Sequential {
		if err != nil {
			return nil
		}
		var al []*nn.Sequential
		al, err = merge.AlignAll(spec, []*nn.Sequential{n}, []merge.Permutation{p})
		if err != nil {
			return nil
		}
		return al[0]
	}
	// Weight matching, models 2 and 3 to model 1.
	start := time.Now()
	wmB, err := merge.WeightMatching(ctx, spec, a, b, merge.WMOptions{})
	if err != nil {
		return err
	}
	r.WMSeconds = time.Since(start).Seconds()
	say("lmc: weight matching of model 2 to model 1: %d sweeps, %.2fs", wmB.Sweeps, r.WMSeconds)
	wmC, err := merge.WeightMatching(ctx, spec, a, c, merge.WMOptions{})
	if err != nil {
		return err
	}
	bW, cW := apply(b, wmB.Perm), apply(c, wmC.Perm)
	// STE, from weight matching.
	ste := func(n *nn.Sequential, init merge.Permutation) (merge.Permutation, error) {
		res, err := merge.STE(ctx, spec, a, n, splits.Train, merge.STEOptions{Steps: o.STESteps, LR: LMCLR, Batch: LMCBatch, Init: init})
		return res.Perm, err
	}
	start = time.Now()
	steB, err := ste(b, wmB.Perm)
	if err != nil {
		return err
	}
	r.STESeconds = time.Since(start).Seconds()
	say("lmc: STE of model 2 to model 1: %d steps, %.2fs", o.STESteps, r.STESeconds)
	steC, err := ste(c, wmC.Perm)
	if err != nil {
		return err
	}
	bS, cS := apply(b, steB), apply(c, steC)
	if err != nil {
		return err
	}
	// Activation matching, model 2 to model 1.
	start = time.Now()
	amB, err := merge.ActivationMatching(ctx, spec, a, b, splits.Train, merge.AMOptions{Batches: LMCAMBatches, Batch: LMCBatch})
	if err != nil {
		return err
	}
	r.AMSeconds = time.Since(start).Seconds()
	amPath := path(a, apply(b, amB))
	if err != nil {
		return err
	}
	r.LossBarrierAM, r.AccBarrierAM, r.MidAccAM = merge.LossBarrier(amPath), merge.AccuracyBarrier(amPath), merge.At(amPath, 0.5).Accuracy
	// Paths.
	r.Paths = LMCPaths{Naive: path(a, b), WM: path(a, bW), STE: path(a, bS), AM: amPath}
	bcNaive, bcWM, bcSTE := path(b, c), path(bW, cW), path(bS, cS)
	if err != nil {
		return err
	}
	r.LossBarrierNaive, r.AccBarrierNaive, r.MidAccNaive = merge.LossBarrier(r.Paths.Naive), merge.AccuracyBarrier(r.Paths.Naive), merge.At(r.Paths.Naive, 0.5).Accuracy
	r.LossBarrierWM, r.AccBarrierWM, r.MidAccWM = merge.LossBarrier(r.Paths.WM), merge.AccuracyBarrier(r.Paths.WM), merge.At(r.Paths.WM, 0.5).Accuracy
	r.LossBarrierSTE, r.AccBarrierSTE, r.MidAccSTE = merge.LossBarrier(r.Paths.STE), merge.AccuracyBarrier(r.Paths.STE), merge.At(r.Paths.STE, 0.5).Accuracy
	r.BCLossBarrierNaive, r.BCLossBarrierWMAnchor, r.BCLossBarrierSTE = merge.LossBarrier(bcNaive), merge.LossBarrier(bcWM), merge.LossBarrier(bcSTE)
	say("lmc: loss barrier naive %.4f, WM %.4f, STE %.4f, AM %.4f", r.LossBarrierNaive, r.LossBarrierWM, r.LossBarrierSTE, r.LossBarrierAM)
	// Distances and spectra.
	before, err := merge.Distance(a, b)
	if err != nil {
		return err
	}
	after, err := merge.Distance(a, bW)
	if err != nil {
		return err
	}
	r.L2Ratio = after / before
	if r.PermSingularValuesMaxDiff, err = merge.SingularValuesMaxDiff(b, bW); err != nil {
		return err
	}
	if r.SVAlignmentNaive, err = merge.TopAlignment(a, b, 1); err != nil {
		return err
	}
	if r.SVAlignmentWM, err = merge.TopAlignment(a, bW, 1); err != nil {
		return err
	}
	// Three models.
	avg := func(ns ...*nn.Sequential) float64 {
		if err != nil {
			return 0
		}
		var m *nn.Sequential
		if m, err = merge.Average(ns, nil); err != nil {
			return 0
		}
		_, acc := merge.Evaluate(m, test)
		return acc
	}
	r.Avg3AccNaive, r.Avg3AccWM, r.Avg3AccSTE = avg(a, b, c), avg(a, bW, cW), avg(a, bS, cS)
	if err != nil {
		return err
	}
	perms, err := merge.MergeMany(ctx, spec, nets, merge.MergeManyOptions{})
	if err != nil {
		return err
	}
	al, err := merge.AlignAll(spec, nets, perms)
	if err != nil {
		return err
	}
	r.Avg3AccMergeMany = avg(al...)
	say("lmc: average of three: naive %.2f%%, WM %.2f%%, STE %.2f%%, MergeMany %.2f%%", 100*r.Avg3AccNaive, 100*r.Avg3AccWM, 100*r.Avg3AccSTE, 100*r.Avg3AccMergeMany)
	return err
}
