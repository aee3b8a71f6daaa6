package trainer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/merge"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// Merge is a stage that merges trained models of one architecture into
// one: it aligns the hidden units of every model with those of
// models[0] (Align), combines the aligned models (Combine) and evaluates
// the result on the test split of Data. Models are ModelPrograms — each
// trained now or taken from the cache (a Classifier), or read from a file
// (a Checkpoint) — so that a pipeline of training and merging is one
// program, and one search space:
//
//	_type: trainer.Merge
//	models:
//	  - {_type: trainer.Classifier, seed: 0, ...}
//	  - {_type: trainer.Classifier, seed: 1, ...}
//	align: {_type: trainer.WeightMatching, max_iter: 100}
//	combine: {_type: trainer.Average}
//
// Align left empty is trainer.NoAlignment, Combine left empty
// trainer.Average, Data left empty the first model's own data; Base is
// the models' shared base, which trainer.TaskArithmetic and trainer.TIES
// need, and with a base every model is aligned to the base rather than
// to models[0] (fine-tunes of one base rarely need aligning at all). With protocol merge_many (and weight matching) the models are
// aligned to each other by merge.MergeMany rather than each to
// models[0].
//
// Quantized models are merged by their fp32 shadow weights, as training
// hands them on (the trained-model cache keeps them too, so a model
// trained now and the same from the cache merge alike), and the merged
// layers quantize the result afresh: merging a model with itself gives
// the model back, codes and scales. A model read from a codes-only
// trainer.Checkpoint file has no shadow weights: its dequantized weights
// Ŵ stand for them (merge.FixCodes turns any model into that form).
// Requantizing Ŵ keeps the codes but not always the scale (a ternary
// β = mean|Ŵ| is below the β Ŵ was made with), so such a merge differs
// from one of the models the file was saved from.
//
// Merge is a ModelProgram: its trained model is the merged network, with
// models[0]'s program (its data and evaluation), so an Evaluation can
// take it as its model.
//
// Its metrics: test_accuracy and test_loss of the merged network;
// model_test_accuracy, the mean of the models' own on the same data;
// loss_barrier and accuracy_barrier, the barriers on the straight line
// from models[0] to models[1] aligned (Points values of λ from 0 to 1;
// the loss barrier is max over λ of loss(λ) − ((1−λ)·loss(0) +
// λ·loss(1)), the accuracy barrier the fall below the line likewise), and
// loss_barrier_naive, accuracy_barrier_naive without the alignment;
// l2_ratio, the mean over the models after the first of ‖θ_0 − π(θ_k)‖ /
// ‖θ_0 − θ_k‖; sv_alignment and sv_alignment_naive, the mean |cos|
// between the top left singular vectors of models[0]'s and models[1]'s
// weight matrices after and before the alignment; align_seconds; models;
// size_bits (and bits_per_weight) of the merged network, as a
// Classifier's;
// cached, 1 when every model came from the cache.
type Merge struct {
	Models   []ModelProgram `sym:",required" doc:"the models to merge, of one architecture: trainer.Classifier, trainer.Checkpoint or another trainer.Merge"`
	Base     ModelProgram   `doc:"the models' shared base (the model they were fine-tuned from), for trainer.TaskArithmetic and trainer.TIES"`
	Align    Alignment      `doc:"the alignment of each model's hidden units with models[0]'s: trainer.WeightMatching, trainer.ActivationMatching, trainer.STE or trainer.NoAlignment (the default)"`
	Combine  Combination    `doc:"the combination of the aligned models: trainer.Average (the default), trainer.Interpolation, trainer.TaskArithmetic, trainer.TIES"`
	Data     Dataset        `doc:"the data: its test split evaluates, its training split feeds activation matching and STE; empty: models[0]'s own"`
	Protocol string         `enum:"anchor,merge_many" default:"anchor" doc:"anchor aligns every model to models[0]; merge_many aligns the models to each other by weight matching (MergeMany)"`
	Points   int            `min:"0" max:"1001" default:"11" doc:"values of λ on the path from models[0] to models[1] whose barriers are measured; 0 measures none"`
}

// Metrics of a Merge.
const (
	MetricLossBarrier          = "loss_barrier"
	MetricAccuracyBarrier      = "accuracy_barrier"
	MetricLossBarrierNaive     = "loss_barrier_naive"
	MetricAccuracyBarrierNaive = "accuracy_barrier_naive"
	MetricL2Ratio              = "l2_ratio"
	MetricSVAlignment          = "sv_alignment"
	MetricSVAlignmentNaive     = "sv_alignment_naive"
	MetricAlignSeconds         = "align_seconds"
	MetricModels               = "models"
)

// Run merges the models and returns the metrics.
func (m *Merge) Run(ctx context.Context, env *Env) (map[string]float64, error) {
	r, err := m.run(ctx, env.orZero())
	if err != nil {
		return nil, err
	}
	return r.metrics, nil
}

// TrainedModel returns the merged network; its Metrics are Run's.
func (m *Merge) TrainedModel(ctx context.Context, env *Env) (*Trained, error) {
	r, err := m.run(ctx, env.orZero())
	if err != nil {
		return nil, err
	}
	first := r.models[0]
	return &Trained{Net: r.net, Program: first.Program, Metrics: r.metrics, Features: first.Features, Classes: first.Classes, evalBatch: first.evalBatch}, nil
}

type mergeRun struct {
	net     *nn.Sequential
	models  []*Trained
	metrics map[string]float64
}

// model gets a sub-program's trained model, errors naming field.
func subModel(ctx context.Context, env *Env, field string, p ModelProgram) (*Trained, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: %s: want a trained model (trainer.Classifier, trainer.Checkpoint)", ErrProgram, field)
	}
	t, err := p.TrainedModel(ctx, env.sub())
	if err != nil {
		if errors.Is(err, ErrProgram) {
			return nil, prefixProgramError(field, err)
		}
		return nil, err
	}
	if t.Net == nil {
		return nil, fmt.Errorf("trainer: %s: the run left no trained network", field)
	}
	return t, nil
}

func (m *Merge) run(ctx context.Context, env *Env) (*mergeRun, error) {
	if len(m.Models) < 2 {
		return nil, fmt.Errorf("%w: models: want at least two models, got %d", ErrProgram, len(m.Models))
	}
	if m.Protocol != "" && m.Protocol != "anchor" && m.Protocol != "merge_many" {
		return nil, fmt.Errorf("%w: protocol: want one of anchor, merge_many, got %q", ErrProgram, m.Protocol)
	}
	if m.Points < 0 || m.Points == 1 || m.Points > 1001 {
		return nil, fmt.Errorf("%w: points: want 0 or an int in [2, 1001], got %d", ErrProgram, m.Points)
	}
	r := &mergeRun{metrics: map[string]float64{}}
	nets := make([]*nn.Sequential, len(m.Models))
	cached := true
	for i, p := range m.Models {
		t, err := subModel(ctx, env, fmt.Sprintf("models[%d]", i), p)
		if err != nil {
			return nil, err
		}
		if env.Cache != nil {
			env.notice("trainer: merge: models[%d] %s", i, cacheWord(t.Cached))
		}
		r.models = append(r.models, t)
		nets[i] = t.Net
		cached = cached && t.Cached
	}
	var base *nn.Sequential
	if m.Base != nil {
		t, err := subModel(ctx, env, "base", m.Base)
		if err != nil {
			return nil, err
		}
		base = t.Net
	}
	spec, err := merge.SpecOf(nets[0])
	if err != nil {
		return nil, fmt.Errorf("%w: models[0]: %v", ErrProgram, err)
	}
	for i, n := range nets[1:] {
		if err := spec.Check(n); err != nil {
			return nil, fmt.Errorf("%w: models[%d]: not the architecture of models[0]: %v", ErrProgram, i+1, err)
		}
	}
	splits, err := m.splits(r.models[0])
	if err != nil {
		return nil, err
	}
	if splits.Test.Features != r.models[0].Features || splits.Test.Classes != r.models[0].Classes {
		return nil, fmt.Errorf("%w: data: %d features and %d classes, the models take %d features to %d classes", ErrProgram, splits.Test.Features, splits.Test.Classes, r.models[0].Features, r.models[0].Classes)
	}

	start := time.Now()
	perms, err := m.permutations(ctx, spec, nets, base, splits.Train)
	if err != nil {
		return nil, err
	}
	r.metrics[MetricAlignSeconds] = time.Since(start).Seconds()
	aligned, err := merge.AlignAll(spec, nets, perms)
	if err != nil {
		return nil, err
	}
	combine := m.Combine
	if combine == nil {
		combine = Average{}
	}
	if r.net, err = combine.combine(base, aligned); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.metrics[MetricTestLoss], r.metrics[MetricTestAccuracy] = merge.Evaluate(r.net, splits.Test)
	var accs float64
	for _, n := range nets {
		_, a := merge.Evaluate(n, splits.Test)
		accs += a / float64(len(nets))
	}
	r.metrics[MetricModelTestAccuracy] = accs
	r.metrics[MetricModels] = float64(len(nets))
	addSizeMetrics(r.metrics, r.net)
	r.metrics[MetricCached] = boolMetric(cached)
	if err := m.measure(r.metrics, nets, aligned, splits.Test); err != nil {
		return nil, err
	}
	return r, nil
}

// splits returns the merge's data, or the first model's.
func (m *Merge) splits(first *Trained) (*data.Splits, error) {
	ds := m.Data
	if ds == nil && first.Program != nil {
		ds = first.Program.Data
	}
	if ds == nil {
		return nil, fmt.Errorf("%w: data: models[0] names no data; give the merge's", ErrProgram)
	}
	s, err := ds.Load()
	if err != nil {
		return nil, fmt.Errorf("trainer: data: %w", err)
	}
	return s, nil
}

// permutations aligns the models as Protocol and Align say.
// With a base, every model is aligned to the base (whose units the task
// vectors are differences in); without, models[0] stays as it is and the
// others are aligned to it.
func (m *Merge) permutations(ctx context.Context, s *merge.Spec, nets []*nn.Sequential, base *nn.Sequential, train *data.Set) ([]merge.Permutation, error) {
	align := m.Align
	if align == nil {
		align = NoAlignment{}
	}
	if m.Protocol == "merge_many" {
		wm, ok := align.(WeightMatching)
		if !ok {
			return nil, fmt.Errorf("%w: protocol: merge_many aligns by trainer.WeightMatching, got align %T", ErrProgram, align)
		}
		return merge.MergeMany(ctx, s, nets, merge.MergeManyOptions{MaxIter: wm.MaxIter, Seed: uint64(wm.Seed)})
	}
	anchor, first := base, 0
	if base == nil {
		anchor, first = nets[0], 1
	} else if err := s.Check(base); err != nil {
		return nil, fmt.Errorf("%w: base: not the architecture of models[0]: %v", ErrProgram, err)
	}
	perms := make([]merge.Permutation, len(nets))
	perms[0] = merge.Identity(s)
	for i := first; i < len(nets); i++ {
		p, err := align.permutation(ctx, s, anchor, nets[i], train)
		if err != nil {
			if errors.Is(err, merge.ErrOptions) {
				return nil, fmt.Errorf("%w: align: %v", ErrProgram, err)
			}
			return nil, fmt.Errorf("trainer: align models[%d]: %w", i, err)
		}
		perms[i] = p
	}
	return perms, nil
}

// measure adds the path, distance and spectral metrics.
func (m *Merge) measure(out map[string]float64, nets, aligned []*nn.Sequential, test *data.Set) error {
	var ratio float64
	for k := 1; k < len(nets); k++ {
		before, err := merge.Distance(nets[0], nets[k])
		if err != nil {
			return err
		}
		after, err := merge.Distance(aligned[0], aligned[k])
		if err != nil {
			return err
		}
		if before > 0 {
			ratio += after / before / float64(len(nets)-1)
		}
	}
	out[MetricL2Ratio] = ratio
	var err error
	if out[MetricSVAlignment], err = merge.TopAlignment(aligned[0], aligned[1], 1); err != nil {
		return err
	}
	if out[MetricSVAlignmentNaive], err = merge.TopAlignment(nets[0], nets[1], 1); err != nil {
		return err
	}
	if m.Points == 0 {
		return nil
	}
	lams := merge.Lambdas(m.Points)
	naive, err := merge.Path(nets[0], nets[1], test, lams)
	if err != nil {
		return err
	}
	path, err := merge.Path(aligned[0], aligned[1], test, lams)
	if err != nil {
		return err
	}
	out[MetricLossBarrier], out[MetricAccuracyBarrier] = merge.LossBarrier(path), merge.AccuracyBarrier(path)
	out[MetricLossBarrierNaive], out[MetricAccuracyBarrierNaive] = merge.LossBarrier(naive), merge.AccuracyBarrier(naive)
	return nil
}

// cacheWord says where a sub-program's trained model came from, for the
// notices a search prints per trial.
func cacheWord(cached bool) string {
	if cached {
		return "was taken from the trained-model cache"
	}
	return "was trained now (and cached)"
}
