package nn

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
)

// Optimizer updates parameters from their gradients. An optimizer keeps
// per-parameter state (momenta), created on the first Step: later calls
// must pass the same parameters in the same order. Optimizers skip frozen
// parameters (Param.Frozen) entirely: neither their values nor their
// state change while they are frozen.
type Optimizer interface {
	// Step applies one update with learning rate lr.
	Step(params []*Param, lr float64)
}

// SGD is stochastic gradient descent with momentum and L2 weight decay
// (PyTorch's form): g = grad + WeightDecay·w; v = Momentum·v + g;
// w −= lr·v. Weight decay applies only to the parameters Decayed selects
// (weights and adapters).
// The zero value is plain SGD.
type SGD struct {
	Momentum    float64
	WeightDecay float64

	vel [][]float32
}

var _ Optimizer = (*SGD)(nil)

// Step applies one SGD update.
func (o *SGD) Step(params []*Param, lr float64) {
	if o.vel == nil {
		o.vel = make([][]float32, len(params))
		for i, p := range params {
			o.vel[i] = make([]float32, p.Value.Len())
		}
	}
	mustSameParams("SGD", len(o.vel), params)
	for i, p := range params {
		if p.Frozen {
			continue
		}
		wd := 0.0
		if Decayed(p) {
			wd = o.WeightDecay
		}
		kernels.SGDMomentum(p.Value.Data, p.Grad.Data, o.vel[i], float32(lr), float32(o.Momentum), float32(wd))
	}
}

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter 2019):
// m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; w −= lr·(m̂/(√v̂ + Eps) +
// WeightDecay·w), with the bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
// at step t = 1, 2, … Weight decay applies only to the parameters Decayed
// selects (weights and adapters). The step t counts the optimizer's
// updates, frozen parameters' included: a parameter unfrozen after some
// steps resumes its own moments with that t. Use NewAdamW for the usual
// defaults.
type AdamW struct {
	Beta1, Beta2 float64
	Eps          float64
	WeightDecay  float64

	t    int
	m, v [][]float32
}

var _ Optimizer = (*AdamW)(nil)

// NewAdamW returns AdamW with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and the given
// weight decay.
func NewAdamW(weightDecay float64) *AdamW {
	return &AdamW{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: weightDecay}
}

// Step applies one AdamW update.
func (o *AdamW) Step(params []*Param, lr float64) {
	if o.m == nil {
		o.m = make([][]float32, len(params))
		o.v = make([][]float32, len(params))
		for i, p := range params {
			o.m[i] = make([]float32, p.Value.Len())
			o.v[i] = make([]float32, p.Value.Len())
		}
	}
	mustSameParams("AdamW", len(o.m), params)
	o.t++
	c1 := 1 / (1 - math.Pow(o.Beta1, float64(o.t)))
	c2 := 1 / (1 - math.Pow(o.Beta2, float64(o.t)))
	for i, p := range params {
		if p.Frozen {
			continue
		}
		wd := 0.0
		if Decayed(p) {
			wd = o.WeightDecay
		}
		kernels.AdamW(p.Value.Data, p.Grad.Data, o.m[i], o.v[i], float32(lr),
			float32(o.Beta1), float32(o.Beta2), float32(o.Eps), float32(wd), float32(c1), float32(c2))
	}
}

// Steps returns the number of updates applied so far.
func (o *AdamW) Steps() int { return o.t }

func mustSameParams(op string, n int, params []*Param) {
	if n != len(params) {
		panic(fmt.Sprintf("nn: %s.Step: %d parameters after %d on the first step", op, len(params), n))
	}
}
