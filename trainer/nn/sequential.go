package nn

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Sequential chains layers: the output of each is the input of the next.
// Its parameters are named after the layers' places, "layers[i].name",
// with the layers' roles and frozen flags.
type Sequential struct {
	Layers []Layer
	params []*Param
}

var _ Layer = (*Sequential)(nil)

// NewSequential returns the chain of the given layers.
func NewSequential(layers ...Layer) *Sequential {
	s := &Sequential{Layers: layers}
	for i, l := range layers {
		for _, p := range l.Params() {
			named := *p
			named.Name = fmt.Sprintf("layers[%d].%s", i, p.Name)
			s.params = append(s.params, &named)
		}
	}
	return s
}

// Forward runs the layers in order.
func (s *Sequential) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	for _, l := range s.Layers {
		x = l.Forward(x, train)
	}
	return x
}

// Backward runs the layers' backward passes in reverse order; the first
// layer is asked for its input gradient only when needDX.
func (s *Sequential) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Backward(dy, i > 0 || needDX)
	}
	return dy
}

// Params returns every layer's parameters, named "layers[i].name", in
// layer order. The Params share their tensors with the layers.
func (s *Sequential) Params() []*Param { return s.params }

// Param returns the parameter with the given full name, or nil.
func (s *Sequential) Param(name string) *Param {
	for _, p := range s.params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// NumParams returns the number of scalar parameters.
func (s *Sequential) NumParams() int {
	n := 0
	for _, p := range s.params {
		n += p.Value.Len()
	}
	return n
}
