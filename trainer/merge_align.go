package trainer

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/merge"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// Alignment is how a Merge permutes the hidden units of each model to
// line it up with its first model before combining them:
// trainer.WeightMatching, trainer.ActivationMatching, trainer.STE, or
// trainer.NoAlignment. Implementations are registered program types.
type Alignment interface {
	// permutation returns the permutation of b's hidden units that
	// aligns b with a; train is the training split of the merge's data.
	permutation(ctx context.Context, s *merge.Spec, a, b *nn.Sequential, train *data.Set) (merge.Permutation, error)
}

// WeightMatching aligns by the models' weights alone (merge.WeightMatching):
// coordinate descent over the layers in a random order, one exact linear
// assignment per step, until no layer improves or MaxIter sweeps.
type WeightMatching struct {
	MaxIter int   `sym:"max_iter" min:"1" max:"100000" default:"100" doc:"sweeps over the layers at most"`
	Seed    int64 `min:"0" doc:"seeds the order of the layers"`
}

func (w WeightMatching) permutation(ctx context.Context, s *merge.Spec, a, b *nn.Sequential, _ *data.Set) (merge.Permutation, error) {
	res, err := merge.WeightMatching(ctx, s, a, b, merge.WMOptions{MaxIter: w.MaxIter, Seed: uint64(w.Seed)})
	return res.Perm, err
}

// ActivationMatching aligns by the correlations of the hidden units'
// activations over the first Batches batches of the training split
// (merge.ActivationMatching).
type ActivationMatching struct {
	Batches int `min:"1" max:"1000000" default:"20" doc:"batches of training data whose activations are correlated"`
	Batch   int `min:"1" max:"65536" default:"500" doc:"rows per batch"`
}

func (m ActivationMatching) permutation(ctx context.Context, s *merge.Spec, a, b *nn.Sequential, train *data.Set) (merge.Permutation, error) {
	return merge.ActivationMatching(ctx, s, a, b, train, merge.AMOptions{Batches: m.Batches, Batch: m.Batch})
}

// STE learns the permutation through the loss of the merged model at the
// midpoint with a straight-through estimator (merge.STE), warm-started
// from weight matching, for Steps batches of the training split with
// Adam at LR.
type STE struct {
	Steps int     `min:"1" max:"10000000" default:"500" doc:"gradient steps, one batch each"`
	LR    float64 `sym:"lr" min:"1e-12" max:"10" default:"0.001" doc:"Adam's learning rate"`
	Batch int     `min:"1" max:"65536" default:"500" doc:"rows per batch"`
	Seed  int64   `min:"0" doc:"seeds the batches and the weight matching"`
}

func (e STE) permutation(ctx context.Context, s *merge.Spec, a, b *nn.Sequential, train *data.Set) (merge.Permutation, error) {
	wm, err := merge.WeightMatching(ctx, s, a, b, merge.WMOptions{Seed: uint64(e.Seed)})
	if err != nil {
		return nil, err
	}
	res, err := merge.STE(ctx, s, a, b, train, merge.STEOptions{Steps: e.Steps, LR: e.LR, Batch: e.Batch, Seed: uint64(e.Seed), Init: wm.Perm})
	return res.Perm, err
}

// NoAlignment leaves the models' units as they are (naive merging).
type NoAlignment struct{}

func (NoAlignment) permutation(_ context.Context, s *merge.Spec, _, _ *nn.Sequential, _ *data.Set) (merge.Permutation, error) {
	return merge.Identity(s), nil
}

// Combination is how a Merge makes one network of the aligned models:
// trainer.Average, trainer.Interpolation, trainer.TaskArithmetic or
// trainer.TIES. Implementations are registered program types.
type Combination interface {
	// combine returns the merged network of nets; base is the models'
	// shared base (nil without one).
	combine(base *nn.Sequential, nets []*nn.Sequential) (*nn.Sequential, error)
}

// Average is the weighted mean of the models' parameters.
type Average struct {
	Weights []float64 `doc:"one weight per model (normalized by their sum); empty: the plain mean"`
}

func (a Average) combine(_ *nn.Sequential, nets []*nn.Sequential) (*nn.Sequential, error) {
	var w []float64
	if len(a.Weights) > 0 {
		w = a.Weights
	}
	m, err := merge.Average(nets, w)
	return m, prefixMergeErr("combine.weights", err)
}

// Interpolation is the point (1−λ)·θ_0 + λ·θ_1 on the straight line
// between two models.
type Interpolation struct {
	Lambda float64 `sym:"lambda" min:"0" max:"1" default:"0.5" doc:"λ: 0 is models[0], 1 is models[1]"`
}

func (i Interpolation) combine(_ *nn.Sequential, nets []*nn.Sequential) (*nn.Sequential, error) {
	if len(nets) != 2 {
		return nil, fmt.Errorf("%w: combine: trainer.Interpolation takes two models, got %d", ErrProgram, len(nets))
	}
	m, err := merge.Interpolate(nets[0], nets[1], i.Lambda)
	return m, prefixMergeErr("combine.lambda", err)
}

// TaskArithmetic adds the models' task vectors (their differences from
// the shared base) to the base, scaled: base + scale·Σ(θ_k − base).
type TaskArithmetic struct {
	Scale float64 `min:"-100" max:"100" default:"1" doc:"the factor of the summed task vectors"`
}

func (t TaskArithmetic) combine(base *nn.Sequential, nets []*nn.Sequential) (*nn.Sequential, error) {
	if base == nil {
		return nil, fmt.Errorf("%w: base: trainer.TaskArithmetic needs the models' shared base", ErrProgram)
	}
	m, err := merge.TaskArithmetic(base, nets, t.Scale)
	return m, prefixMergeErr("combine.scale", err)
}

// TIES merges the task vectors by trimming each to its Density largest
// entries, electing each entry's sign and averaging the agreeing entries
// (Yadav et al. 2023), then adds them to the base, scaled.
type TIES struct {
	Density float64 `min:"1e-6" max:"1" default:"0.2" doc:"the fraction of each task vector's entries kept (largest in magnitude)"`
	Scale   float64 `min:"-100" max:"100" default:"1" doc:"the factor of the merged task vector"`
}

func (t TIES) combine(base *nn.Sequential, nets []*nn.Sequential) (*nn.Sequential, error) {
	if base == nil {
		return nil, fmt.Errorf("%w: base: trainer.TIES needs the models' shared base", ErrProgram)
	}
	m, err := merge.TIES(base, nets, t.Density, t.Scale)
	return m, prefixMergeErr("combine", err)
}

// prefixMergeErr makes a merge options error a program error at path.
func prefixMergeErr(path string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s: %v", ErrProgram, path, err)
}
