package trainer

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Model is the network of a Classifier. Implementations are registered
// program types (trainer.Sequential, trainer.MLP).
type Model interface {
	// Network returns a freshly initialized network from features inputs
	// to one logit per class, deterministic given seed.
	Network(features, classes int, seed uint64) (*nn.Sequential, error)
}

// MLP is a multi-layer perceptron, a short form of a Sequential: per
// hidden width, a dense layer, an optional LayerNorm, the activation and
// optional dropout; then a dense output layer. Weights start He-uniform
// before relu and gelu, Glorot-uniform before tanh and in the output
// layer. Network builds the Sequential that Expand returns, so both give
// the same network for the same seed.
type MLP struct {
	Hidden     []int   `min:"1" max:"65536" default:"[256, 256]" doc:"hidden layer widths; empty gives a linear model"`
	Activation string  `enum:"relu,gelu,tanh" default:"relu" doc:"hidden activation; gelu is the exact erf form"`
	LayerNorm  bool    `sym:"layernorm" doc:"LayerNorm after each hidden dense layer"`
	Dropout    float64 `min:"0" max:"0.95" doc:"dropout probability after each hidden activation; 0 is off"`
	// Quant, FP32First and FP32Last are passed on to the Sequential (see
	// Sequential.Quant): the quantizer of every dense layer, and whether
	// the first and the last (the output layer) stay in fp32.
	Quant     Quantizer `sym:"quant" doc:"the quantizer of every dense layer (trainer.FP32, the default, trainer.Int8, trainer.Ternary)"`
	FP32First bool      `sym:"fp32_first" doc:"keep the first dense layer in fp32 under quant"`
	FP32Last  bool      `sym:"fp32_last" doc:"keep the output layer in fp32 under quant"`
}

// Expand returns the Sequential m stands for, with an output layer of
// classes units. It fails, naming the key path, on a field out of range.
func (m MLP) Expand(classes int) (Sequential, error) {
	var act Layer
	init := "he_uniform"
	switch m.Activation {
	case "relu":
		act = ReLU{}
	case "gelu":
		act = GELU{}
	case "tanh":
		act, init = Tanh{}, "glorot_uniform"
	default:
		return Sequential{}, fmt.Errorf("%w: model.activation: want one of relu, gelu, tanh, got %q", ErrProgram, m.Activation)
	}
	if !(m.Dropout >= 0 && m.Dropout <= 0.95) {
		return Sequential{}, fmt.Errorf("%w: model.dropout: want float in [0, 0.95], got %v", ErrProgram, m.Dropout)
	}
	var layers []Layer
	for i, h := range m.Hidden {
		if h < 1 || h > 65536 {
			return Sequential{}, fmt.Errorf("%w: model.hidden[%d]: want int in [1, 65536], got %d", ErrProgram, i, h)
		}
		layers = append(layers, Dense{Units: h, Bias: true, Init: new(init)})
		if m.LayerNorm {
			layers = append(layers, LayerNorm{Gain: true, Bias: true})
		}
		layers = append(layers, act)
		if m.Dropout > 0 {
			layers = append(layers, Dropout{P: m.Dropout})
		}
	}
	layers = append(layers, Dense{Units: classes, Bias: true, Init: new("glorot_uniform")})
	return Sequential{Quant: m.Quant, FP32First: m.FP32First, FP32Last: m.FP32Last, Layers: layers}, nil
}

// Network builds the Sequential m expands to.
func (m MLP) Network(features, classes int, seed uint64) (*nn.Sequential, error) {
	s, err := m.Expand(classes)
	if err != nil {
		return nil, err
	}
	return s.Network(features, classes, seed)
}
