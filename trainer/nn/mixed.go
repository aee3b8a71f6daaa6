package nn

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Mix holds the mixing weights of one relaxed decision of a supernet and
// the loss gradient with respect to them. Several layers may share one
// Mix (a model-level activation mixes every activation layer): each adds
// its part to Grad in Backward, so the caller zeroes Grad before a
// backward pass. A Mix is not safe for concurrent use.
type Mix struct {
	// W holds one weight per candidate (normally summing to 1).
	W []float64
	// Grad accumulates dLoss/dW over the layers that share the Mix.
	Grad []float64
}

// NewMix returns the Mix of n candidates, with uniform weights.
func NewMix(n int) *Mix {
	m := &Mix{W: make([]float64, n), Grad: make([]float64, n)}
	for i := range m.W {
		m.W[i] = 1 / float64(n)
	}
	return m
}

// ZeroGrad zeroes Grad.
func (m *Mix) ZeroGrad() { clear(m.Grad) }

// Mixed is the mixed operation of a choice between layers: y = Σₖ wₖ
// yₖ, yₖ the output of candidate k, zero-padded to the widest candidate's
// width (a narrower candidate fills the first columns, as a masked width
// does). With one-hot weights its output is the chosen candidate's,
// padded. Its parameters are the candidates', named "candidates[k].name".
type Mixed struct {
	Candidates []Layer
	Widths     []int // the output width of each candidate
	Mix        *Mix

	out    int
	ys     []*tensor.Tensor
	y      tensor.Buffer
	dyk    tensor.Buffer
	dx     tensor.Buffer
	params []*Param
}

var _ Layer = (*Mixed)(nil)

// NewMixed returns the mixture of the candidates, whose output widths are
// widths, weighted by mix. It panics when the lengths disagree.
func NewMixed(candidates []Layer, widths []int, mix *Mix) *Mixed {
	if len(candidates) == 0 || len(candidates) != len(widths) || mix == nil || len(mix.W) != len(candidates) {
		panic(fmt.Sprintf("nn: NewMixed: %d candidates, %d widths, a mix of %d", len(candidates), len(widths), len(mix.W)))
	}
	m := &Mixed{Candidates: candidates, Widths: widths, Mix: mix, ys: make([]*tensor.Tensor, len(candidates))}
	for k, c := range candidates {
		m.out = max(m.out, widths[k])
		for _, p := range c.Params() {
			named := *p
			named.Name = fmt.Sprintf("candidates[%d].%s", k, p.Name)
			m.params = append(m.params, &named)
		}
	}
	m.y.Cols = m.out
	return m
}

// Forward returns Σₖ wₖ yₖ, each yₖ zero-padded to the widest width.
func (m *Mixed) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	rows := x.Shape[0]
	y := m.y.Rows(rows)
	y.Zero()
	for k, c := range m.Candidates {
		yk := c.Forward(x, train)
		m.ys[k] = yk
		w, u := float32(m.Mix.W[k]), m.Widths[k]
		tensor.MustCols("Mixed.Forward", yk, u)
		for r := range rows {
			dst, src := y.Data[r*m.out:r*m.out+u], yk.Data[r*u:(r+1)*u]
			for j, v := range src {
				dst[j] += w * v
			}
		}
	}
	return y
}

// Backward adds Σ dy·yₖ to the Mix's gradient of each candidate k and
// returns Σₖ candidateₖ.Backward(wₖ dy) (dy cut to candidate k's width).
func (m *Mixed) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	rows := dy.Shape[0]
	var dx *tensor.Tensor
	for k, c := range m.Candidates {
		yk, u, w := m.ys[k], m.Widths[k], float32(m.Mix.W[k])
		m.dyk.Cols = u
		dyk := m.dyk.Rows(rows)
		var g float64
		for r := range rows {
			src, out := dy.Data[r*m.out:r*m.out+u], yk.Data[r*u:(r+1)*u]
			for j, v := range src {
				g += float64(v) * float64(out[j])
				dyk.Data[r*u+j] = w * v
			}
		}
		m.Mix.Grad[k] += g
		dxk := c.Backward(dyk, needDX)
		if !needDX {
			continue
		}
		if dx == nil {
			m.dx.Cols = dxk.Shape[1]
			dx = m.dx.Rows(rows)
			copy(dx.Data, dxk.Data[:rows*m.dx.Cols])
			continue
		}
		for i := range dx.Data[:rows*m.dx.Cols] {
			dx.Data[i] += dxk.Data[i]
		}
	}
	return dx
}

// Params returns the candidates' parameters.
func (m *Mixed) Params() []*Param { return m.params }

// MaskedDense is the mixed operation of a choice between widths of one
// dense layer (FBNet-v2 style): one Dense of the widest width, whose
// output column j is scaled by the total weight of the widths above j,
// mⱼ = Σ_{k: uₖ > j} wₖ, so a width choice costs one matrix product. With
// one-hot weights it is the Dense of the chosen width whose weights are
// the first columns of the shared ones, zero-padded. Its parameters are
// the Dense's.
type MaskedDense struct {
	Dense *Dense
	Units []int // the candidate widths
	Mix   *Mix

	z    *tensor.Tensor
	mask []float32
	y    tensor.Buffer
	dz   tensor.Buffer
}

var _ Layer = (*MaskedDense)(nil)

// NewMaskedDense returns the width mixture of d (whose Out is the widest
// of units) weighted by mix. It panics when the sizes disagree.
func NewMaskedDense(d *Dense, units []int, mix *Mix) *MaskedDense {
	widest := 0
	for _, u := range units {
		widest = max(widest, u)
		if u < 1 {
			panic(fmt.Sprintf("nn: NewMaskedDense: width %d", u))
		}
	}
	if d == nil || mix == nil || len(mix.W) != len(units) || d.Out != widest {
		panic(fmt.Sprintf("nn: NewMaskedDense: widths %v, a mix of %d, a dense of %d outputs", units, len(mix.W), d.Out))
	}
	m := &MaskedDense{Dense: d, Units: units, Mix: mix, mask: make([]float32, widest)}
	m.y.Cols, m.dz.Cols = widest, widest
	return m
}

// Forward returns (X·W + b) scaled per column by the mask.
func (m *MaskedDense) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	clear(m.mask)
	for k, u := range m.Units {
		w := float32(m.Mix.W[k])
		for j := range u {
			m.mask[j] += w
		}
	}
	z := m.Dense.Forward(x, train)
	m.z = z
	rows, out := z.Shape[0], m.Dense.Out
	y := m.y.Rows(rows)
	for r := range rows {
		for j := range out {
			y.Data[r*out+j] = z.Data[r*out+j] * m.mask[j]
		}
	}
	return y
}

// Backward adds to the Mix's gradient of width k the sum of dy·z over
// the first uₖ columns and back-propagates dy scaled by the mask.
func (m *MaskedDense) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	rows, out := dy.Shape[0], m.Dense.Out
	col := make([]float64, out) // Σ_rows dy·z per column
	dz := m.dz.Rows(rows)
	for r := range rows {
		for j := range out {
			v := dy.Data[r*out+j]
			col[j] += float64(v) * float64(m.z.Data[r*out+j])
			dz.Data[r*out+j] = v * m.mask[j]
		}
	}
	for k, u := range m.Units {
		var g float64
		for j := range u {
			g += col[j]
		}
		m.Mix.Grad[k] += g
	}
	return m.Dense.Backward(dz, needDX)
}

// Params returns the Dense's parameters.
func (m *MaskedDense) Params() []*Param { return m.Dense.Params() }
