package trainer

import (
	"fmt"

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
// Go literal a nil Activation or Init stands for the same values.
type Sequential struct {
	Activation *string `sym:"activation" enum:"relu,gelu,tanh" default:"relu" doc:"the activation of every layer whose activation is left empty (trainer.Activation)"`
	Init       *string `sym:"init" enum:"he_uniform,glorot_uniform" default:"glorot_uniform" doc:"the weight initialization of every layer whose init is left empty (trainer.Dense)"`
	Layers     []Layer `sym:",required" doc:"the layers from the input to the logits (trainer.Dense, trainer.Activation, trainer.ReLU, trainer.GELU, trainer.Tanh, trainer.LayerNorm, trainer.Dropout, trainer.Identity, trainer.Residual)"`
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
	net, out, err := buildLayers(b, "layers", s.Layers, Width{N: features})
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
