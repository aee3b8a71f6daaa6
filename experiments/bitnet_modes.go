package experiments

import (
	"fmt"
	"strings"

	"github.com/c2602f9e/goglove/trainer"
)

// BitNetMode is how the BitNet experiment stores a network's linear
// layers: full precision, or ternary with one of two weight scales.
type BitNetMode string

// The modes of the BitNet experiment.
const (
	// BitNetFP32 trains in full precision (trainer.FP32).
	BitNetFP32 BitNetMode = "fp32"
	// BitNetAbsMean quantizes the weights to {−1, 0, 1}·β with β the mean
	// of |W| (trainer.Ternary, scale absmean), as BitNet b1.58 does.
	BitNetAbsMean BitNetMode = "absmean"
	// BitNetAbsMedian is BitNetAbsMean with β the median of |W|.
	BitNetAbsMedian BitNetMode = "absmedian"
)

// BitNetModes returns the modes of the protocol, full precision first.
func BitNetModes() []BitNetMode { return []BitNetMode{BitNetFP32, BitNetAbsMean, BitNetAbsMedian} }

// ternary reports whether m quantizes to ternary weights.
func (m BitNetMode) ternary() bool { return m == BitNetAbsMean || m == BitNetAbsMedian }

// quantizer returns the quantizer program of the mode, applied to every
// linear layer.
func (m BitNetMode) quantizer() (trainer.Quantizer, error) {
	switch m {
	case BitNetFP32:
		return trainer.FP32{}, nil
	case BitNetAbsMean:
		return trainer.Ternary{Scale: "absmean"}, nil
	case BitNetAbsMedian:
		return trainer.Ternary{Scale: "absmedian"}, nil
	}
	names := make([]string, 0, 3)
	for _, m := range BitNetModes() {
		names = append(names, string(m))
	}
	return nil, fmt.Errorf("experiments: bitnet: modes: %q is not a mode; want %s", string(m), strings.Join(names, ", "))
}

// bitnetModel returns the protocol's network: 784-H-H-10 with ReLU, every
// dense layer (the output layer too) quantized by q.
func bitnetModel(width int, q trainer.Quantizer) trainer.Model {
	return trainer.MLP{Hidden: []int{width, width}, Activation: "relu", Quant: q}
}
