package experiments

import (
	"fmt"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/trainer"
)

// BitNetQuantizerNames returns the names of the quantizers a BitNet
// search chooses from, in the order of its candidates (see
// BitNetQuantizer).
func BitNetQuantizerNames() []string { return []string{"fp32", "int8", "absmean", "absmedian"} }

// BitNetQuantizer returns the quantizer program of a name of
// BitNetQuantizerNames: trainer.FP32, trainer.Int8 with one scale per
// matrix, trainer.Ternary with the absmean or the absmedian scale.
func BitNetQuantizer(name string) (trainer.Quantizer, error) {
	switch name {
	case "fp32":
		return trainer.FP32{}, nil
	case "int8":
		return trainer.Int8{Per: "tensor"}, nil
	case "absmean", "absmedian":
		return trainer.Ternary{Scale: name}, nil
	}
	return nil, fmt.Errorf("experiments: bitnet: quantizer %q: want one of fp32, int8, absmean, absmedian", name)
}

// BitNetLayerSpace returns a define-by-run search space over the
// protocol's network, 784-H-H-10 with ReLU, that chooses the quantizer of
// each linear layer on its own, so that a search can find which layers
// bear quantization (the first and the last are often said to need more
// bits). Its decisions, in order: width (H: 64, 128 or 256) and
// model.layers[0].quant, model.layers[2].quant and model.layers[4].quant
// (each one of BitNetQuantizerNames, the candidates' labels), 192
// programs. Each program trains
// epochs epochs with the protocol's optimizer (AdamW, lr 1e-3, no weight
// decay), batch and seed, on the standardized Fashion-MNIST with the last
// 5,000 training images held out, so that a search selects on
// val_accuracy and leaves the test images alone.
//
// Search it from Go with search.Run (its trials' programs are
// *trainer.Classifier values; run each with its Run method), or decode a
// DNA with its Decode method.
func BitNetLayerSpace(epochs int) (*space.DefineByRun[*trainer.Classifier], error) {
	if epochs < 1 || epochs > 100000 {
		return nil, fmt.Errorf("experiments: bitnet: epochs: %d is out of range; want 1 to 100000", epochs)
	}
	return space.Trace(func(h *space.Decider) *trainer.Classifier {
		width := space.Choose(h, "width", 64, 128, 256)
		dense := func(i, units int, init string) trainer.Dense {
			name := space.Choose(h, fmt.Sprintf("quant%d", i), BitNetQuantizerNames()...)
			q, err := BitNetQuantizer(name)
			if err != nil {
				panic(err) // unreachable: the names are BitNetQuantizerNames'
			}
			return trainer.Dense{Units: units, Bias: true, Init: new(init), Quant: q}
		}
		layers := []trainer.Layer{
			dense(0, width, "he_uniform"), trainer.ReLU{},
			dense(1, width, "he_uniform"), trainer.ReLU{},
			dense(2, 10, "glorot_uniform"),
		}
		return &trainer.Classifier{
			Data:      trainer.FashionMNIST{Validation: 5000, Standardize: true},
			Model:     trainer.Sequential{Activation: new("relu"), Init: new("glorot_uniform"), Quant: trainer.FP32{}, Layers: layers},
			Optimizer: trainer.AdamW{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
			Epochs:    epochs,
			Batch:     BitNetBatch,
			Seed:      BitNetSeed,
			Schedule:  "constant",
		}
	})
}
