package nn

import "github.com/c2602f9e/goglove/trainer/tensor"

// Param is one named parameter of a layer or model: its value, the
// gradient of the last Backward, and whether weight decay applies to it.
type Param struct {
	// Name is the parameter's name: "w", "b", "gain" in a layer; prefixed
	// with the layer's place ("layers[2].w") in a Sequential.
	Name string
	// Value holds the float32 master weights; its shape is the parameter's.
	Value *tensor.Tensor
	// Grad has Value's shape and holds the gradient of the last Backward
	// (overwritten, not accumulated).
	Grad *tensor.Tensor
	// Decay reports whether optimizers apply weight decay: true for weight
	// matrices, false for biases and normalization gains.
	Decay bool
}

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
