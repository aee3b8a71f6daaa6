package nn

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// LayerNorm normalizes each row to zero mean and unit variance and applies
// a learned gain and bias: y = gain·(x − μ)/√(σ² + Eps) + bias, with μ
// and σ² the row's mean and (biased) variance. Its parameters are "gain"
// (RoleGain, starting at 1) and "bias" (RoleBias, starting at 0); neither
// is weight-decayed.
type LayerNorm struct {
	Features   int
	Eps        float32
	Gain, Bias Param

	xhat tensor.Buffer // normalized input of the last Forward
	rstd []float32     // 1/√(σ²+eps) per row
	y    tensor.Buffer
	dx   tensor.Buffer
	ps   []*Param
}

var _ Layer = (*LayerNorm)(nil)

// DefaultLayerNormEps is the Eps NewLayerNorm uses when given 0.
const DefaultLayerNormEps = 1e-5

// NewLayerNorm returns a layer normalizing rows of the given width. An
// eps of 0 means DefaultLayerNormEps.
func NewLayerNorm(features int, eps float32) *LayerNorm {
	return NewLayerNormAffine(features, eps, true, true)
}

// NewLayerNormAffine is NewLayerNorm with the learned gain and bias each
// optional: without gain the gain stays 1, without bias the bias stays 0,
// and neither is then a parameter (with neither, the layer only
// normalizes).
func NewLayerNormAffine(features int, eps float32, gain, bias bool) *LayerNorm {
	if features <= 0 {
		panic(fmt.Sprintf("nn: NewLayerNorm(%d): features must be positive", features))
	}
	if eps == 0 {
		eps = DefaultLayerNormEps
	}
	l := &LayerNorm{
		Features: features, Eps: eps,
		Gain: Param{Name: "gain", Value: tensor.New(features), Grad: tensor.New(features), Role: RoleGain},
		Bias: Param{Name: "bias", Value: tensor.New(features), Grad: tensor.New(features), Role: RoleBias},
	}
	for i := range l.Gain.Value.Data {
		l.Gain.Value.Data[i] = 1
	}
	l.xhat.Cols, l.y.Cols, l.dx.Cols = features, features, features
	if gain {
		l.ps = append(l.ps, &l.Gain)
	}
	if bias {
		l.ps = append(l.ps, &l.Bias)
	}
	return l
}

// Forward normalizes each row of x.
func (l *LayerNorm) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	tensor.MustCols("LayerNorm.Forward", x, l.Features)
	rows, n := x.Shape[0], l.Features
	xh, y := l.xhat.Rows(rows), l.y.Rows(rows)
	if cap(l.rstd) < rows {
		l.rstd = make([]float32, rows)
	}
	l.rstd = l.rstd[:rows]
	g, b := l.Gain.Value.Data, l.Bias.Value.Data
	for i := 0; i < rows; i++ {
		xr := x.Data[i*n : i*n+n]
		var sum float64
		for _, v := range xr {
			sum += float64(v)
		}
		mu := sum / float64(n)
		var ss float64
		for _, v := range xr {
			d := float64(v) - mu
			ss += d * d
		}
		rstd := 1 / math.Sqrt(ss/float64(n)+float64(l.Eps))
		l.rstd[i] = float32(rstd)
		hr, yr := xh.Data[i*n:i*n+n], y.Data[i*n:i*n+n]
		for j, v := range xr {
			h := float32((float64(v) - mu) * rstd)
			hr[j] = h
			yr[j] = g[j]*h + b[j]
		}
	}
	return y
}

// Backward sets the gain and bias gradients and returns
// dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·gain.
func (l *LayerNorm) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	tensor.MustCols("LayerNorm.Backward", dy, l.Features)
	rows, n := dy.Shape[0], l.Features
	if rows != len(l.rstd) {
		panic(fmt.Sprintf("nn: LayerNorm.Backward: gradient of %d rows after a Forward of %d", rows, len(l.rstd)))
	}
	xh := l.xhat.Rows(rows)
	dg, db := l.Gain.Grad.Data, l.Bias.Grad.Data
	clear(dg)
	clear(db)
	for i := 0; i < rows; i++ {
		dr, hr := dy.Data[i*n:i*n+n], xh.Data[i*n:i*n+n]
		for j, v := range dr {
			dg[j] += v * hr[j]
			db[j] += v
		}
	}
	if !needDX {
		return nil
	}
	dx := l.dx.Rows(rows)
	g := l.Gain.Value.Data
	for i := 0; i < rows; i++ {
		dr, hr, xr := dy.Data[i*n:i*n+n], xh.Data[i*n:i*n+n], dx.Data[i*n:i*n+n]
		var s1, s2 float64
		for j, v := range dr {
			d := float64(v * g[j])
			s1 += d
			s2 += d * float64(hr[j])
		}
		m1, m2 := s1/float64(n), s2/float64(n)
		r := float64(l.rstd[i])
		for j, v := range dr {
			d := float64(v * g[j])
			xr[j] = float32(r * (d - m1 - float64(hr[j])*m2))
		}
	}
	return dx
}

// Params returns the gain ("gain") and bias ("bias"), those it has.
func (l *LayerNorm) Params() []*Param { return l.ps }
