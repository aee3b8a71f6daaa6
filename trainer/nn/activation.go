package nn

import (
	"math"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// elementwise holds the buffers of a parameter-free element-wise layer.
type elementwise struct {
	in *tensor.Tensor // input of the last Forward
	y  tensor.Buffer
	dx tensor.Buffer
}

func (e *elementwise) out(x *tensor.Tensor) *tensor.Tensor {
	rows, cols := x.Dims()
	e.in = x
	e.y.Cols = cols
	return e.y.Rows(rows)
}

func (e *elementwise) grad(op string, dy *tensor.Tensor) *tensor.Tensor {
	if e.in == nil {
		panic("nn: " + op + " before Forward")
	}
	tensor.MustSameShape(op, dy, e.in)
	rows, cols := dy.Dims()
	e.dx.Cols = cols
	return e.dx.Rows(rows)
}

// ReLU is the rectified linear unit, max(x, 0).
type ReLU struct{ elementwise }

// Forward returns max(x, 0).
func (r *ReLU) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	y := r.out(x)
	kernels.ReLU(y.Data, x.Data)
	return y
}

// Backward passes dy where the output was positive.
func (r *ReLU) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	dx := r.grad("ReLU.Backward", dy)
	if !needDX {
		return nil
	}
	kernels.ReLUGrad(dx.Data, dy.Data, r.y.Rows(dy.Shape[0]).Data)
	return dx
}

// Params returns nil.
func (r *ReLU) Params() []*Param { return nil }

// GELU is the Gaussian error linear unit in its exact form,
// x·Φ(x) = x/2·(1 + erf(x/√2)), as PyTorch's default nn.GELU (not the
// tanh approximation). It is computed in float64 and rounded.
type GELU struct{ elementwise }

// Forward returns x·Φ(x).
func (g *GELU) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	y := g.out(x)
	for i, v := range x.Data {
		f := float64(v)
		y.Data[i] = float32(0.5 * f * (1 + math.Erf(f/math.Sqrt2)))
	}
	return y
}

// Backward multiplies dy by Φ(x) + x·φ(x), φ the standard normal density.
func (g *GELU) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	dx := g.grad("GELU.Backward", dy)
	if !needDX {
		return nil
	}
	const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
	for i, v := range g.in.Data {
		f := float64(v)
		d := 0.5*(1+math.Erf(f/math.Sqrt2)) + f*invSqrt2Pi*math.Exp(-0.5*f*f)
		dx.Data[i] = dy.Data[i] * float32(d)
	}
	return dx
}

// Params returns nil.
func (g *GELU) Params() []*Param { return nil }

// Tanh is the hyperbolic tangent, computed in float64 and rounded.
type Tanh struct{ elementwise }

// Forward returns tanh(x).
func (t *Tanh) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	y := t.out(x)
	for i, v := range x.Data {
		y.Data[i] = float32(math.Tanh(float64(v)))
	}
	return y
}

// Backward multiplies dy by 1 − tanh²(x).
func (t *Tanh) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	dx := t.grad("Tanh.Backward", dy)
	if !needDX {
		return nil
	}
	y := t.y.Rows(dy.Shape[0]).Data
	for i, v := range y {
		dx.Data[i] = dy.Data[i] * (1 - v*v)
	}
	return dx
}

// Params returns nil.
func (t *Tanh) Params() []*Param { return nil }

var (
	_ Layer = (*ReLU)(nil)
	_ Layer = (*GELU)(nil)
	_ Layer = (*Tanh)(nil)
)
