package nn

import "github.com/c2602f9e/goglove/trainer/tensor"

// Identity passes its input through unchanged, in training and evaluation.
type Identity struct{}

var _ Layer = Identity{}

// Forward returns x.
func (Identity) Forward(x *tensor.Tensor, train bool) *tensor.Tensor { return x }

// Backward returns dy when needDX, else nil.
func (Identity) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	return dy
}

// Params returns nil.
func (Identity) Params() []*Param { return nil }

// Residual adds its input to the output of its body: y = x + Body(x). The
// body must keep the width of its input. Its parameters are the body's,
// named "body.layers[i].name", with their roles and frozen flags.
type Residual struct {
	Body *Sequential

	in     *tensor.Tensor // input of the last Forward
	y      tensor.Buffer
	dx     tensor.Buffer
	params []*Param
}

var _ Layer = (*Residual)(nil)

// NewResidual returns the residual block around body.
func NewResidual(body *Sequential) *Residual {
	if body == nil {
		panic("nn: NewResidual: nil body")
	}
	r := &Residual{Body: body}
	for _, p := range body.Params() {
		named := *p
		named.Name = "body." + p.Name
		r.params = append(r.params, &named)
	}
	return r
}

// Forward returns x + Body(x).
func (r *Residual) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	b := r.Body.Forward(x, train)
	tensor.MustSameShape("Residual.Forward", b, x)
	rows, cols := x.Dims()
	r.in = x
	r.y.Cols = cols
	y := r.y.Rows(rows)
	for i, v := range x.Data {
		y.Data[i] = v + b.Data[i]
	}
	return y
}

// Backward sets the body's gradients from dy and returns dy + the body's
// input gradient when needDX.
func (r *Residual) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if r.in == nil {
		panic("nn: Residual.Backward before Forward")
	}
	tensor.MustSameShape("Residual.Backward", dy, r.in)
	db := r.Body.Backward(dy, needDX)
	if !needDX {
		return nil
	}
	rows, cols := dy.Dims()
	r.dx.Cols = cols
	dx := r.dx.Rows(rows)
	for i, v := range dy.Data {
		dx.Data[i] = v + db.Data[i]
	}
	return dx
}

// Params returns the body's parameters, named "body.layers[i].name". They
// share their tensors with the body's layers.
func (r *Residual) Params() []*Param { return r.params }
