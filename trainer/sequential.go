package trainer

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Sequential is a model written out layer by layer: Layers run in order
// from the input features to one logit per class. Each layer is told its
// input width; the last width must be the number of classes. Errors name
// the key path in the Classifier, such as model.layers[3].units.
type Sequential struct {
	Layers []Layer `sym:",required" doc:"the layers from the input to the logits (trainer.Dense, trainer.ReLU, trainer.GELU, trainer.Tanh, trainer.LayerNorm, trainer.Dropout, trainer.Identity, trainer.Residual)"`
}

// Network builds the layers for features inputs and classes outputs.
func (s Sequential) Network(features, classes int, seed uint64) (*nn.Sequential, error) {
	if features <= 0 || classes <= 0 {
		return nil, fmt.Errorf("%w: model: want positive input and output widths, got %d and %d", ErrProgram, features, classes)
	}
	b := newBuilder(seed)
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
