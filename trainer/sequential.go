package trainer

import (
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Sequential is a model written out layer by layer: Layers run in order
// from the input features to one logit per class. Each layer is told its
// input width; the last width must be the number of classes. Errors name
// the key path in the Classifier, such as model.layers[3].units.
//
// Activation and Init are model-level defaults: a layer field of the same
// name left empty (nil) takes the model's value, Residual bodies included,
// and a value set on the layer overrides it. Decoded programs (and
// symbolic.New) take the declared defaults, relu and glorot_uniform; in a
// Go literal a nil Activation or Init stands for the same values. Quant is
// a model-level default of the same kind, a program: a Dense whose quant
// is left empty takes it (FP32 when it is nil too).
type Sequential struct {
	Activation *string `sym:"activation" enum:"relu,gelu,tanh" default:"relu" doc:"the activation of every layer whose activation is left empty (trainer.Activation)"`
	Init       *string `sym:"init" enum:"he_uniform,glorot_uniform,he_normal,torch_linear" default:"glorot_uniform" doc:"the weight initialization of every layer whose init is left empty (trainer.Dense)"`
	// Quant is the quantizer of every Dense whose quant is left empty; nil
	// is FP32.
	Quant Quantizer `sym:"quant" doc:"the quantizer of every layer whose quant is left empty (trainer.Dense): trainer.FP32 (the default), trainer.Int8, trainer.Ternary"`
	// FP32First and FP32Last keep layers[0] and the last of Layers in
	// fp32, when it is a Dense whose quant is left empty: under a
	// quantizing model quant, the first and last linear layers of the
	// usual model stay full precision. A quant set on the layer wins.
	FP32First bool    `sym:"fp32_first" doc:"keep the first layer (layers[0], a trainer.Dense naming no quant) in fp32 under the model's quant"`
	FP32Last  bool    `sym:"fp32_last" doc:"keep the last layer (a trainer.Dense naming no quant) in fp32 under the model's quant"`
	Layers    []Layer `sym:",required" doc:"the layers from the input to the logits (trainer.Dense, trainer.Activation, trainer.ReLU, trainer.GELU, trainer.Tanh, trainer.LayerNorm, trainer.Dropout, trainer.Identity, trainer.Residual)"`
}

// Network builds the layers for features inputs and classes outputs.
func (s Sequential) Network(features, classes int, seed uint64) (*nn.Sequential, error) {
	if features <= 0 || classes <= 0 {
		return nil, fmt.Errorf("%w: model: want positive input and output widths, got %d and %d", ErrProgram, features, classes)
	}
	defaults, err := s.Defaults()
	if err != nil {
		return nil, err
	}
	b := newBuilder(seed, defaults)
	net, out, err := buildLayers(b, "layers", s.keptFP32(), Width{N: features})
	if err != nil {
		return nil, err
	}
	if out.N != classes {
		path := out.Path
		if path == "" {
			path = "model.layers"
		}
		return nil, fmt.Errorf("%w: %s: the last layer's width is %d, want %d (the number of classes)", ErrProgram, path, out.N, classes)
	}
	return net, nil
}

// keptFP32 returns s.Layers with the first and last layer set to FP32 as
// FP32First and FP32Last ask, when it is a Dense naming no quant; s.Layers
// itself is not modified.
func (s Sequential) keptFP32() []Layer {
	n := len(s.Layers)
	if n == 0 || !s.FP32First && !s.FP32Last {
		return s.Layers
	}
	layers := slices.Clone(s.Layers)
	keep := func(i int) {
		if d, ok := layers[i].(Dense); ok && d.Quant == nil {
			d.Quant = FP32{}
			layers[i] = d
		}
	}
	if s.FP32First {
		keep(0)
	}
	if s.FP32Last {
		keep(n - 1)
	}
	return layers
}
