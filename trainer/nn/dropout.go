package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Dropout zeroes each input with probability P during training and scales
// the survivors by 1/(1−P) (inverted dropout), so that evaluation is the
// identity. Masks are drawn from its own seeded source: the same seed gives
// the same masks.
type Dropout struct {
	P float64

	rng  *rand.Rand
	mask tensor.Buffer // 0 or 1/(1−P) per element of the last training Forward
	y    tensor.Buffer
	dx   tensor.Buffer
	in   *tensor.Tensor
	pass bool // the last Forward was the identity
}

var _ Layer = (*Dropout)(nil)

// NewDropout returns a dropout layer with drop probability p in [0, 1)
// drawing its masks from rng.
func NewDropout(p float64, rng *rand.Rand) *Dropout {
	if !(p >= 0 && p < 1) {
		panic(fmt.Sprintf("nn: NewDropout(%g): want a probability in [0, 1)", p))
	}
	return &Dropout{P: p, rng: rng}
}

// Forward returns x unchanged at evaluation (or when P is 0); in training
// it drops and rescales.
func (d *Dropout) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	d.in = x
	d.pass = !train || d.P == 0
	if d.pass {
		return x
	}
	rows, cols := x.Dims()
	d.mask.Cols, d.y.Cols = cols, cols
	m, y := d.mask.Rows(rows), d.y.Rows(rows)
	scale := float32(1 / (1 - d.P))
	p := float32(d.P)
	for i, v := range x.Data {
		if d.rng.Float32() < p {
			m.Data[i], y.Data[i] = 0, 0
		} else {
			m.Data[i], y.Data[i] = scale, v*scale
		}
	}
	return y
}

// Backward applies the mask of the last Forward to dy.
func (d *Dropout) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if d.in == nil {
		panic("nn: Dropout.Backward before Forward")
	}
	tensor.MustSameShape("Dropout.Backward", dy, d.in)
	if !needDX {
		return nil
	}
	if d.pass {
		return dy
	}
	rows, cols := dy.Dims()
	d.dx.Cols = cols
	dx := d.dx.Rows(rows)
	m := d.mask.Rows(rows).Data
	for i, v := range dy.Data {
		dx.Data[i] = v * m[i]
	}
	return dx
}

// Params returns nil.
func (d *Dropout) Params() []*Param { return nil }
