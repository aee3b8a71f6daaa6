package nn

import (
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
// tanh approximation). It runs on kernels.GELU and kernels.GELUGrad, in
// float32 to within 1e-5·max(1, |x|) of the float64 function.
type GELU struct{ elementwise }

// Forward returns x·Φ(x).
func (g *GELU) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	y := g.out(x)
	kernels.GELU(y.Data, x.Data)
	return y
}

// Backward multiplies dy by Φ(x) + x·φ(x), φ the standard normal density.
func (g *GELU) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	dx := g.grad("GELU.Backward", dy)
	if !needDX {
		return nil
	}
	kernels.GELUGrad(dx.Data, dy.Data, g.in.Data)
	return dx
}

// Params returns nil.
func (g *GELU) Params() []*Param { return nil }

// Tanh is the hyperbolic tangent, on kernels.Tanh (float32, within 2e-6
// of the float64 function) and kernels.TanhGrad.
type Tanh struct{ elementwise }

// Forward returns tanh(x).
func (t *Tanh) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	y := t.out(x)
	kernels.Tanh(y.Data, x.Data)
	return y
}

// Backward multiplies dy by 1 − tanh²(x).
func (t *Tanh) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	dx := t.grad("Tanh.Backward", dy)
	if !needDX {
		return nil
	}
	kernels.TanhGrad(dx.Data, dy.Data, t.y.Rows(dy.Shape[0]).Data)
	return dx
}

// Params returns nil.
func (t *Tanh) Params() []*Param { return nil }

var (
	_ Layer = (*ReLU)(nil)
	_ Layer = (*GELU)(nil)
	_ Layer = (*Tanh)(nil)
)
