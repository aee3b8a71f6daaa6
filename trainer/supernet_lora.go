package trainer

import (
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// maskedLoRA is the relaxation of a choice between LoRA ranks r₁…r_K of
// one target layer: one adapter of the largest rank R whose rank
// components are masked per candidate,
//
//	Y = X·W0 + b + Σⱼ cⱼ (X·Aⱼᵀ)·Bⱼᵀ,  cⱼ = Σₖ wₖ γₖ [j < rₖ],
//
// Aⱼ the j-th row of A (R×In) and Bⱼ the j-th column of B (Out×R), γₖ
// the scale of rank rₖ. With one-hot weights on candidate k it is the
// rank-rₖ LoRA whose factors are the first rₖ components of A and B.
type maskedLoRA struct {
	lora   *nn.LoRA // the rank-R adapter: its A, B, base and parameters
	ranks  []int
	gammas []float64
	mix    *nn.Mix

	c      []float32 // cⱼ of the last Forward
	x      *tensor.Tensor
	h, hs  tensor.Buffer // X·Aᵀ and its columns scaled by c
	dhs    tensor.Buffer
	y, dx  tensor.Buffer
	biases bool
}

var _ nn.Layer = (*maskedLoRA)(nil)

func newMaskedLoRA(base *nn.Dense, l LoRA, ranks []int, mix *nn.Mix, rng *rand.Rand) *maskedLoRA {
	r := 0
	for _, k := range ranks {
		r = max(r, k)
	}
	m := &maskedLoRA{lora: nn.NewLoRA(base, r, nn.LoRAScale(l.Alpha, r, l.RSLoRA), l.Bias, rng), ranks: ranks, mix: mix,
		c: make([]float32, r), biases: l.Bias && len(base.Params()) > 1}
	for _, k := range ranks {
		m.gammas = append(m.gammas, nn.LoRAScale(l.Alpha, k, l.RSLoRA))
	}
	m.h.Cols, m.hs.Cols, m.dhs.Cols, m.y.Cols, m.dx.Cols = r, r, r, base.Out, base.In
	return m
}

// Forward computes X·W0 + b + Σⱼ cⱼ (X·Aⱼᵀ)·Bⱼᵀ.
func (m *maskedLoRA) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	d, l := m.lora.Base, m.lora
	tensor.MustCols("maskedLoRA.Forward", x, d.In)
	rows, r := x.Shape[0], l.Rank
	clear(m.c)
	for k, rk := range m.ranks {
		for j := range rk {
			m.c[j] += float32(m.mix.W[k] * m.gammas[k])
		}
	}
	y := m.y.Rows(rows)
	kernels.Gemm(false, false, rows, d.Out, d.In, 1, x.Data, d.In, d.W.Value.Data, d.Out, 0, y.Data, d.Out)
	if len(d.Params()) > 1 {
		kernels.AddBias(y.Data, rows, d.Out, d.B.Value.Data)
	}
	h, hs := m.h.Rows(rows), m.hs.Rows(rows)
	kernels.Gemm(false, true, rows, r, d.In, 1, x.Data, d.In, l.A.Value.Data, d.In, 0, h.Data, r)
	for i, v := range h.Data[:rows*r] {
		hs.Data[i] = v * m.c[i%r]
	}
	kernels.Gemm(false, true, rows, d.Out, r, 1, hs.Data, r, l.B.Value.Data, r, 1, y.Data, d.Out)
	m.x = x
	return y
}

// Backward sets dB = dYᵀ·(h⊙c), dA = ((dY·B)⊙c)ᵀ·X and the bias's
// gradient when it trains, adds Σ_{j<rₖ} γₖ Σ (dY·B)ⱼ hⱼ to the mix's
// gradient of each candidate k, and returns dX.
func (m *maskedLoRA) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	d, l := m.lora.Base, m.lora
	rows, r := dy.Shape[0], l.Rank
	if m.x == nil || m.x.Shape[0] != rows {
		panic(fmt.Sprintf("trainer: maskedLoRA.Backward: gradient of %d rows after a Forward of %v", rows, m.x))
	}
	h, hs, dhs := m.h.Rows(rows), m.hs.Rows(rows), m.dhs.Rows(rows)
	kernels.Gemm(true, false, d.Out, r, rows, 1, dy.Data, d.Out, hs.Data, r, 0, l.B.Grad.Data, r)
	kernels.Gemm(false, false, rows, r, d.Out, 1, dy.Data, d.Out, l.B.Value.Data, r, 0, dhs.Data, r)
	gc := make([]float64, r)
	for i, v := range dhs.Data[:rows*r] {
		gc[i%r] += float64(v) * float64(h.Data[i])
		dhs.Data[i] = v * m.c[i%r] // now dh
	}
	for k, rk := range m.ranks {
		var g float64
		for j := range rk {
			g += gc[j]
		}
		m.mix.Grad[k] += m.gammas[k] * g
	}
	kernels.Gemm(true, false, r, d.In, rows, 1, dhs.Data, r, m.x.Data, d.In, 0, l.A.Grad.Data, d.In)
	if m.biases {
		clear(d.B.Grad.Data)
		kernels.SumRows(d.B.Grad.Data, dy.Data, rows, d.Out)
	}
	if !needDX {
		return nil
	}
	dx := m.dx.Rows(rows)
	kernels.Gemm(false, true, rows, d.In, d.Out, 1, dy.Data, d.Out, d.W.Value.Data, d.Out, 0, dx.Data, d.In)
	kernels.Gemm(false, false, rows, d.In, r, 1, dhs.Data, r, l.A.Value.Data, d.In, 1, dx.Data, d.In)
	return dx
}

// Params returns the rank-R adapter's parameters ("lora_a", "lora_b",
// and "b" when the bias trains).
func (m *maskedLoRA) Params() []*nn.Param { return m.lora.Params() }

// rankChoice is the fine-tune method of a rank supernet: the LoRA's
// settings with a masked adapter of the largest of Ranks over each
// target, mixed by Mix.
type rankChoice struct {
	LoRA
	Ranks []int
	Mix   *nn.Mix
}

// Adapt returns the masked adapter over d.
func (c rankChoice) Adapt(d *nn.Dense, path string, rng *rand.Rand) (nn.Layer, error) {
	for _, r := range c.Ranks {
		if r < 1 || r > min(d.In, d.Out) {
			return nil, fmt.Errorf("%w: method.rank: candidate %d does not fit %s, a %d→%d layer; want 1 to %d", ErrProgram, r, path, d.In, d.Out, min(d.In, d.Out))
		}
	}
	return newMaskedLoRA(d, c.LoRA, c.Ranks, c.Mix, rng), nil
}

// NewFineTuneSupernet builds the supernet of a LoRA fine-tune f whose
// method's rank is a choice between ranks (decision 0 of the supernet,
// one mixing weight per rank): every target layer gets one adapter of
// the largest rank with its rank components masked per candidate (see
// Supernet). base is the trained model f.Base stands for; the
// supernet trains on the task's training split and measures its
// validation split, which must not be empty. Only the adapters, the
// targets' biases (if the method trains them) and the head train.
func NewFineTuneSupernet(f FineTune, base *Trained, ranks []int, o SupernetOptions) (*Supernet, error) {
	f = f.withDefaults()
	l, ok := f.Method.(LoRA)
	if !ok {
		return nil, fmt.Errorf("%w: method: a rank supernet needs a trainer.LoRA, got %T", ErrProgram, f.Method)
	}
	if len(ranks) < 1 {
		return nil, fmt.Errorf("%w: method.rank: want at least one candidate rank", ErrProgram)
	}
	if base == nil || base.Net == nil || base.Program == nil {
		return nil, fmt.Errorf("%w: base: want a trained network with its program", ErrProgram)
	}
	splits, err := f.Task.Load()
	if err != nil {
		return nil, fmt.Errorf("trainer: task: %w", err)
	}
	if splits.Train == nil || splits.Val == nil || splits.Train.N == 0 || splits.Val.N == 0 {
		return nil, fmt.Errorf("%w: task: a rank supernet wants training and validation data (the rank is fitted on the validation split)", ErrProgram)
	}
	if splits.Train.Features != base.Features {
		return nil, fmt.Errorf("%w: task: %d features, the base takes %d", ErrProgram, splits.Train.Features, base.Features)
	}
	mix := nn.NewMix(len(ranks))
	f.Method = rankChoice{LoRA: l, Ranks: ranks, Mix: mix}
	s, err := f.setUp(base, splits.Train.Classes)
	if err != nil {
		return nil, err
	}
	return newSupernetOf(s.net, []*nn.Mix{mix}, splits, o)
}
