package nn

import "github.com/c2602f9e/goglove/trainer/tensor"

// Layer is one step of a network with an explicit backward pass.
type Layer interface {
	// Forward returns the layer's output for the batch x (rows×features).
	// train selects training behaviour (dropout masks). The output is
	// owned by the layer and valid until its next Forward.
	Forward(x *tensor.Tensor, train bool) *tensor.Tensor
	// Backward takes dy, the loss gradient with respect to the output of
	// the last Forward, sets the gradients of the layer's parameters, and
	// returns the gradient with respect to its input — or nil when needDX
	// is false (the first layer), skipping that work.
	Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor
	// Params returns the layer's parameters (nil if it has none).
	Params() []*Param
}
