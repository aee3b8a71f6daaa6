package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// LoRA is a low-rank adapter over a frozen dense layer (Hu et al. 2021):
// in the paper's out×in orientation the adapted weight is
// W = W0 + γ·B·A, with A of Rank×In and B of Out×Rank, and the layer
// computes Y = X·W0ᵀ + b + γ·(X·Aᵀ)·Bᵀ (Dense stores W0 transposed, as
// In×Out, so the first term is X·Dense.W). The dense update B·A is never
// formed while training: a step costs two thin products more than the
// base layer, O(rows·Rank·(In+Out)).
//
// A starts uniform in ±1/√In and B at zero, so a fresh adapter leaves
// the base's outputs unchanged. Its parameters are "lora_a" and "lora_b"
// (RoleAdapter) and, when the bias trains, the base layer's "b"
// (RoleBias); the base weights W0 are not parameters at all, so no
// optimizer can move them, and their gradient is never computed.
//
// A LoRA layer shares W0 and b with the Dense it was built on; training
// the bias changes that Dense's bias. It is not safe for concurrent use.
type LoRA struct {
	// Base is the frozen layer; its W holds W0 (In×Out).
	Base *Dense
	// Rank is r, the adapter's rank.
	Rank int
	// Gamma is the scale γ of the update (α/r, or α/√r for rsLoRA; see
	// LoRAScale).
	Gamma float64
	// A is Rank×In and B is Out×Rank, row-major.
	A, B Param

	x      *tensor.Tensor // input of the last Forward
	h      tensor.Buffer  // X·Aᵀ, rows×Rank
	dh     tensor.Buffer  // γ·dY·B, rows×Rank
	y, dx  tensor.Buffer
	ps     []*Param
	biases bool // the base's bias trains
}

var _ Layer = (*LoRA)(nil)

// LoRAScale returns the adapter scale γ of rank r and alpha α: α/r, or
// α/√r with rsLoRA (Kalajdzievski 2023), which keeps the update's
// magnitude from vanishing as the rank grows.
func LoRAScale(alpha float64, rank int, rsLoRA bool) float64 {
	if rsLoRA {
		return alpha / math.Sqrt(float64(rank))
	}
	return alpha / float64(rank)
}

// NewLoRA returns a rank-r adapter with scale gamma over base, drawing A
// from rng; trainBias makes the base's bias a parameter (it stays fixed
// otherwise). It panics if rank is not in [1, min(In, Out)] or gamma is
// not finite, programmer errors.
func NewLoRA(base *Dense, rank int, gamma float64, trainBias bool, rng *rand.Rand) *LoRA {
	if base == nil || rank < 1 || rank > min(base.In, base.Out) {
		panic(fmt.Sprintf("nn: NewLoRA: rank %d out of [1, min(in, out)] for %v", rank, denseShape(base)))
	}
	if math.IsNaN(gamma) || math.IsInf(gamma, 0) {
		panic(fmt.Sprintf("nn: NewLoRA: gamma %v is not finite", gamma))
	}
	l := &LoRA{
		Base: base, Rank: rank, Gamma: gamma,
		A: Param{Name: "lora_a", Value: tensor.New(rank, base.In), Grad: tensor.New(rank, base.In), Role: RoleAdapter},
		B: Param{Name: "lora_b", Value: tensor.New(base.Out, rank), Grad: tensor.New(base.Out, rank), Role: RoleAdapter},
	}
	fillUniform(l.A.Value.Data, 1/math.Sqrt(float64(base.In)), rng)
	l.h.Cols, l.dh.Cols, l.y.Cols, l.dx.Cols = rank, rank, base.Out, base.In
	l.ps = []*Param{&l.A, &l.B}
	if trainBias && !base.noBias {
		l.biases = true
		l.ps = append(l.ps, &Param{Name: "b", Value: base.B.Value, Grad: base.B.Grad, Role: RoleBias})
	}
	return l
}

func denseShape(d *Dense) string {
	if d == nil {
		return "a nil Dense"
	}
	return fmt.Sprintf("a %d→%d Dense", d.In, d.Out)
}

// Forward computes X·W0 + b + γ·(X·Aᵀ)·Bᵀ.
func (l *LoRA) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	d := l.Base
	tensor.MustCols("LoRA.Forward", x, d.In)
	rows := x.Shape[0]
	y := l.y.Rows(rows)
	kernels.Gemm(false, false, rows, d.Out, d.In, 1, x.Data, d.In, d.W.Value.Data, d.Out, 0, y.Data, d.Out)
	if !d.noBias {
		kernels.AddBias(y.Data, rows, d.Out, d.B.Value.Data)
	}
	h := l.h.Rows(rows)
	kernels.Gemm(false, true, rows, l.Rank, d.In, 1, x.Data, d.In, l.A.Value.Data, d.In, 0, h.Data, l.Rank)
	kernels.Gemm(false, true, rows, d.Out, l.Rank, float32(l.Gamma), h.Data, l.Rank, l.B.Value.Data, l.Rank, 1, y.Data, d.Out)
	l.x = x
	return y
}

// Backward sets dB = γ·dYᵀ·(X·Aᵀ), dA = (γ·dY·B)ᵀ·X and, when the bias
// trains, db = column sums of dY; it returns dX = dY·W0 + γ·dY·B·A in
// the paper's orientation when needDX.
func (l *LoRA) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	d := l.Base
	tensor.MustCols("LoRA.Backward", dy, d.Out)
	rows := dy.Shape[0]
	if l.x == nil || l.x.Shape[0] != rows {
		panic(fmt.Sprintf("nn: LoRA.Backward: gradient of %d rows after a Forward of %v", rows, l.x))
	}
	g := float32(l.Gamma)
	h := l.h.Rows(rows)
	kernels.Gemm(true, false, d.Out, l.Rank, rows, g, dy.Data, d.Out, h.Data, l.Rank, 0, l.B.Grad.Data, l.Rank)
	dh := l.dh.Rows(rows)
	kernels.Gemm(false, false, rows, l.Rank, d.Out, g, dy.Data, d.Out, l.B.Value.Data, l.Rank, 0, dh.Data, l.Rank)
	kernels.Gemm(true, false, l.Rank, d.In, rows, 1, dh.Data, l.Rank, l.x.Data, d.In, 0, l.A.Grad.Data, d.In)
	if l.biases {
		clear(d.B.Grad.Data)
		kernels.SumRows(d.B.Grad.Data, dy.Data, rows, d.Out)
	}
	if !needDX {
		return nil
	}
	dx := l.dx.Rows(rows)
	kernels.Gemm(false, true, rows, d.In, d.Out, 1, dy.Data, d.Out, d.W.Value.Data, d.Out, 0, dx.Data, d.In)
	kernels.Gemm(false, false, rows, d.In, l.Rank, 1, dh.Data, l.Rank, l.A.Value.Data, d.In, 1, dx.Data, d.In)
	return dx
}

// Params returns A ("lora_a") and B ("lora_b"), and the base's bias ("b")
// when it trains.
func (l *LoRA) Params() []*Param { return l.ps }

// Delta returns the update γ·B·A as an Out×In row-major matrix, the
// paper's orientation (that of spectral.Decompose's input).
func (l *LoRA) Delta() []float32 {
	d := l.Base
	out := make([]float32, d.Out*d.In)
	kernels.Gemm(false, false, d.Out, d.In, l.Rank, float32(l.Gamma), l.B.Value.Data, l.Rank, l.A.Value.Data, d.In, 0, out, d.In)
	return out
}

// Merged returns a new Dense with W = W0 + γ·(B·A)ᵀ (In×Out, Dense's
// orientation) and a copy of the bias: the adapted layer as one matrix,
// computing what the adapter computes, for inference and saving. The
// adapter and its base are unchanged.
func (l *LoRA) Merged() *Dense {
	d := l.Base
	m := &Dense{
		In: d.In, Out: d.Out,
		W:      Param{Name: "w", Value: d.W.Value.Clone(), Grad: tensor.New(d.In, d.Out), Role: RoleWeight},
		B:      Param{Name: "b", Value: d.B.Value.Clone(), Grad: tensor.New(d.Out), Role: RoleBias},
		noBias: d.noBias,
	}
	kernels.Gemm(true, true, d.In, d.Out, l.Rank, float32(l.Gamma), l.A.Value.Data, d.In, l.B.Value.Data, l.Rank, 1, m.W.Value.Data, d.Out)
	m.y.Cols, m.dx.Cols = d.Out, d.In
	m.ps = []*Param{&m.W, &m.B}
	if m.noBias {
		m.ps = m.ps[:1]
	}
	return m
}

// Freeze sets Frozen on the parameters of params that keep selects and
// returns how many it froze. Optimizers skip frozen parameters (see
// Param.Frozen); give it the Params the optimizer is given, such as a
// network's own, to train only the rest (the trunk of a network under
// full fine-tuning, say, with the layers that are not targets frozen).
func Freeze(params []*Param, keep ParamFilter) int {
	n := 0
	for _, p := range params {
		if keep(p) {
			p.Frozen = true
			n++
		}
	}
	return n
}
