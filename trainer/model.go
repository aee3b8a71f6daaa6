package trainer

import "github.com/c2602f9e/goglove/trainer/nn"

// Model is the network of a Classifier. Implementations are registered
// program types.
type Model interface {
	// Network returns a freshly initialized network from features inputs
	// to one logit per class, deterministic given seed.
	Network(features, classes int, seed uint64) (*nn.Sequential, error)
}

// MLP is a multi-layer perceptron: per hidden width, a dense layer, an
// optional LayerNorm, the activation and optional dropout; then a dense
// output layer. Weights start He-uniform before relu and gelu,
// Glorot-uniform before tanh and in the output layer (see nn.MLPConfig).
type MLP struct {
	Hidden     []int   `min:"1" max:"65536" default:"[256, 256]" doc:"hidden layer widths; empty gives a linear model"`
	Activation string  `enum:"relu,gelu,tanh" default:"relu" doc:"hidden activation; gelu is the exact erf form"`
	LayerNorm  bool    `sym:"layernorm" doc:"LayerNorm after each hidden dense layer"`
	Dropout    float64 `min:"0" max:"0.95" doc:"dropout probability after each hidden activation; 0 is off"`
}

// Network builds the MLP.
func (m MLP) Network(features, classes int, seed uint64) (*nn.Sequential, error) {
	return nn.MLPConfig{
		In: features, Out: classes, Hidden: m.Hidden,
		Activation: nn.Activation(m.Activation), LayerNorm: m.LayerNorm,
		Dropout: m.Dropout, Seed: seed,
	}.Network()
}
