package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Dense is a fully connected layer, Y = X·W + b, with W stored [in×out]
// row-major and b of length out. Its parameters are "w" (RoleWeight) and
// "b" (RoleBias); "w" alone when built by NewDenseNoBias.
type Dense struct {
	In, Out int
	W, B    Param

	x  *tensor.Tensor // input of the last Forward
	y  tensor.Buffer
	dx tensor.Buffer
	ps []*Param

	noBias bool // B stays zero and is not a parameter
}

var _ Layer = (*Dense)(nil)

// NewDense returns an in→out dense layer with weights drawn by init from
// rng and biases zero (drawn under TorchLinear). It panics if in or out is not positive.
func NewDense(in, out int, init Init, rng *rand.Rand) *Dense {
	return newDense(in, out, true, init, rng)
}

// NewDenseNoBias returns an in→out dense layer without a bias, Y = X·W,
// with weights drawn by init from rng (the same draws as NewDense). Its
// only parameter is "w". It panics if in or out is not positive.
func NewDenseNoBias(in, out int, init Init, rng *rand.Rand) *Dense {
	return newDense(in, out, false, init, rng)
}

func newDense(in, out int, bias bool, init Init, rng *rand.Rand) *Dense {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: NewDense(%d, %d): sizes must be positive", in, out))
	}
	d := &Dense{
		In: in, Out: out,
		W: Param{Name: "w", Value: tensor.New(in, out), Grad: tensor.New(in, out), Role: RoleWeight},
		B: Param{Name: "b", Value: tensor.New(out), Grad: tensor.New(out), Role: RoleBias},
	}
	var b []float32
	if bias {
		b = d.B.Value.Data
	}
	init.fill(d.W.Value.Data, b, in, out, rng)
	d.y.Cols, d.dx.Cols = out, in
	d.ps = []*Param{&d.W, &d.B}
	if !bias {
		d.ps, d.noBias = d.ps[:1], true
	}
	return d
}

// Forward computes X·W + b.
func (d *Dense) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	tensor.MustCols("Dense.Forward", x, d.In)
	rows := x.Shape[0]
	y := d.y.Rows(rows)
	kernels.Gemm(false, false, rows, d.Out, d.In, 1, x.Data, d.In, d.W.Value.Data, d.Out, 0, y.Data, d.Out)
	if !d.noBias {
		kernels.AddBias(y.Data, rows, d.Out, d.B.Value.Data)
	}
	d.x = x
	return y
}

// Backward sets dW = Xᵀ·dY and db = column sums of dY, and returns
// dX = dY·Wᵀ when needDX.
func (d *Dense) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	tensor.MustCols("Dense.Backward", dy, d.Out)
	rows := dy.Shape[0]
	if d.x == nil || d.x.Shape[0] != rows {
		panic(fmt.Sprintf("nn: Dense.Backward: gradient of %d rows after a Forward of %v", rows, d.x))
	}
	kernels.Gemm(true, false, d.In, d.Out, rows, 1, d.x.Data, d.In, dy.Data, d.Out, 0, d.W.Grad.Data, d.Out)
	if !d.noBias {
		clear(d.B.Grad.Data)
		kernels.SumRows(d.B.Grad.Data, dy.Data, rows, d.Out)
	}
	if !needDX {
		return nil
	}
	dx := d.dx.Rows(rows)
	kernels.Gemm(false, true, rows, d.In, d.Out, 1, dy.Data, d.Out, d.W.Value.Data, d.Out, 0, dx.Data, d.In)
	return dx
}

// Params returns W ("w") and b ("b"), or only W without a bias.
func (d *Dense) Params() []*Param { return d.ps }
