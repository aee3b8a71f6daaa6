package merge

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// STEOptions are the settings of the straight-through estimator.
type STEOptions struct {
	// Steps is the number of gradient steps (batches); 0 is 500.
	Steps int
	// LR is Adam's learning rate; 0 is 1e-3.
	LR float64
	// Batch is the number of rows of a batch; 0 is 500.
	Batch int
	// Seed seeds the batches drawn and the projections' orders.
	Seed uint64
	// Init is the permutation to start from, weight matching's result
	// as a rule; nil is the identity.
	Init Permutation
	// MaxIter bounds the sweeps of each projection; 0 is DefaultMaxIter.
	MaxIter int
}

// STEResult is the outcome of the straight-through estimator.
type STEResult struct {
	// Perm is the permutation of b's hidden units found: the projection
	// of the learned weights at the end.
	Perm Permutation
	// Loss is the midpoint's mean training loss over the last tenth of
	// the steps.
	Loss float64
}

// STE learns a permutation π of b's hidden units through the loss of the
// merged network at the midpoint, ½(θ_a + π(θ_b)), with a
// straight-through estimator (Ainsworth et al. 2023): it trains free
// weights θ̃ (starting at Init applied to b), and at each step projects
// them to the nearest permutation of b (weight matching of b to θ̃,
// warm-started from the last projection), evaluates the midpoint loss on
// a batch of set with π(θ_b) in the forward pass and takes the gradient
// as if it had been θ̃ (the straight-through step: ∂L/∂θ̃ = ½·∂L/∂θ_mid),
// then updates θ̃ with Adam.
func STE(ctx context.Context, s *Spec, a, b *nn.Sequential, set *data.Set, o STEOptions) (STEResult, error) {
	if err := s.Check(a); err != nil {
		return STEResult{}, fmt.Errorf("merge: ste: model a: %w", err)
	}
	if err := s.Check(b); err != nil {
		return STEResult{}, fmt.Errorf("merge: ste: model b: %w", err)
	}
	switch {
	case o.Steps < 0:
		return STEResult{}, fmt.Errorf("%w: steps: want ≥ 0, got %d", ErrOptions, o.Steps)
	case !(o.LR >= 0) || math.IsInf(o.LR, 0):
		return STEResult{}, fmt.Errorf("%w: lr: want a number > 0, got %v", ErrOptions, o.LR)
	case o.Batch < 0:
		return STEResult{}, fmt.Errorf("%w: batch: want ≥ 0, got %d", ErrOptions, o.Batch)
	}
	steps, lr, batch := o.Steps, o.LR, o.Batch
	if steps == 0 {
		steps = 500
	}
	if lr == 0 {
		lr = 1e-3
	}
	if batch == 0 {
		batch = 500
	}
	in := a.Params()[0].Value.Shape[0]
	if set == nil || set.N == 0 || set.Features != in {
		return STEResult{}, fmt.Errorf("%w: data: want a non-empty set of %d features", ErrOptions, in)
	}
	batch = min(batch, set.N)
	perm := o.Init
	if perm == nil {
		perm = Identity(s)
	} else if err := perm.Check(s); err != nil {
		return STEResult{}, fmt.Errorf("merge: ste: init: %w", err)
	}
	perm = perm.Clone()

	// θ̃, trained by Adam, as parameters with gradients.
	bv, av := values(b), values(a)
	free := make([]*nn.Param, len(bv))
	for i, p := range b.Params() {
		free[i] = &nn.Param{Name: p.Name, Value: tensor.FromData(permuted(s, perm, p.Name, p.Value.Shape, p.Value.Data), p.Value.Shape...), Grad: tensor.New(p.Value.Shape...), Role: p.Role}
	}
	mid, err := Clone(a)
	if err != nil {
		return STEResult{}, err
	}
	releaseCodes(mid) // its weights change every step
	midParams := mid.Params()
	target := make([][]float32, len(free))
	for i, p := range free {
		target[i] = p.Value.Data
	}
	opt := &nn.AdamW{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	var loss nn.SoftmaxCrossEntropy
	rng := rand.New(rand.NewPCG(o.Seed, 0x57e))
	m := newMatcher(s)
	x := tensor.New(batch, in)
	y := make([]int32, batch)
	var tail float64
	tailN := 0
	project := func(step int) error {
		res, err := m.match(ctx, target, bv, WMOptions{MaxIter: o.MaxIter, Seed: o.Seed + uint64(step), Init: perm})
		if err != nil {
			return err
		}
		perm = res.Perm
		return nil
	}
	for step := range steps {
		if err := ctx.Err(); err != nil {
			return STEResult{}, err
		}
		if err := project(step); err != nil {
			return STEResult{}, err
		}
		// The midpoint with π(θ_b).
		for i, p := range b.Params() {
			pb := permuted(s, perm, p.Name, p.Value.Shape, p.Value.Data)
			dst := midParams[i].Value.Data
			for j := range dst {
				dst[j] = 0.5 * (av[i][j] + pb[j])
			}
		}
		for r := range batch {
			k := rng.IntN(set.N)
			copy(x.Data[r*in:(r+1)*in], set.Row(k))
			y[r] = set.Y[k]
		}
		l, _ := loss.Forward(mid.Forward(x, false), y)
		mid.Backward(loss.Grad(), false)
		for i, p := range free {
			g := midParams[i].Grad.Data
			for j := range p.Grad.Data {
				p.Grad.Data[j] = 0.5 * g[j]
			}
		}
		opt.Step(free, lr)
		if step >= steps-max(steps/10, 1) {
			tail += l
			tailN++
		}
	}
	if err := project(steps); err != nil {
		return STEResult{}, err
	}
	return STEResult{Perm: perm, Loss: tail / float64(max(tailN, 1))}, nil
}
