package trainer

import (
	"errors"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Quantizer is a quantizer program: how a Dense layer stores its weights
// and computes with them (trainer.FP32, trainer.Int8, trainer.Ternary).
// A Dense whose quant is left empty takes the model's (Sequential.Quant),
// FP32 unless set there.
type Quantizer interface {
	// QuantConfig returns the configuration of the quantized layer
	// (nn.QuantDense), or ok = false for fp32 weights (an nn.Dense). An
	// error is a *QuantFieldError naming the field at fault.
	QuantConfig() (c nn.QuantConfig, ok bool, err error)
}

// QuantFieldError is a quantizer field with a value it does not accept;
// the layer that uses the quantizer prefixes its key path.
type QuantFieldError struct {
	Field, Msg string
}

func (e *QuantFieldError) Error() string { return e.Field + ": " + e.Msg }

// FP32 is no quantization: float32 weights, 32 bits each. A layer names it
// to stay in fp32 under a model-level quantizer.
type FP32 struct{}

// QuantConfig returns ok = false.
func (FP32) QuantConfig() (nn.QuantConfig, bool, error) { return nn.QuantConfig{}, false, nil }

// Int8 quantizes weights to int8 codes in [−127, 127] by their absmax,
// one scale per tensor (Per "tensor", the default; "" in Go) or per output
// unit (Per "row"), and the layer's input to 8 bits by the absmax of each
// row, after a parameter-free LayerNorm when Norm is set.
type Int8 struct {
	Per  string `enum:"tensor,row" default:"tensor" doc:"one absmax scale per weight matrix (tensor) or per output unit (row)"`
	Norm bool   `doc:"normalize the layer's input (a LayerNorm without gain or bias) before quantizing it"`
}

// QuantConfig returns the int8 configuration.
func (q Int8) QuantConfig() (nn.QuantConfig, bool, error) {
	c := nn.QuantConfig{Format: nn.Int8Tensor, Norm: q.Norm}
	switch q.Per {
	case "", "tensor":
	case "row":
		c.Format = nn.Int8Row
	default:
		return c, false, &QuantFieldError{Field: "per", Msg: fmt.Sprintf("want one of tensor, row, got %q", q.Per)}
	}
	return c, true, nil
}

// Ternary quantizes weights to {−1, 0, 1}·β, β the mean (Scale
// "absmean", the default; "" in Go) or the median ("absmedian") of |W|
// over the matrix, as BitNet b1.58 does; the layer's input goes through a
// parameter-free LayerNorm and 8-bit absmax quantization per row.
type Ternary struct {
	Scale string `enum:"absmean,absmedian" default:"absmean" doc:"β, the weights' scale: the mean (absmean) or the median (absmedian) of |W|"`
}

// QuantConfig returns the ternary configuration.
func (q Ternary) QuantConfig() (nn.QuantConfig, bool, error) {
	c := nn.QuantConfig{Format: nn.TernaryAbsMean, Norm: true}
	switch q.Scale {
	case "", "absmean":
	case "absmedian":
		c.Format = nn.TernaryAbsMedian
	default:
		return c, false, &QuantFieldError{Field: "scale", Msg: fmt.Sprintf("want one of absmean, absmedian, got %q", q.Scale)}
	}
	return c, true, nil
}

// quantConfig resolves q (FP32 when nil) at the key path path; errors are
// ErrProgram errors naming the quantizer's field.
func quantConfig(q Quantizer, path string) (nn.QuantConfig, bool, error) {
	if q == nil {
		return nn.QuantConfig{}, false, nil
	}
	c, ok, err := q.QuantConfig()
	if err != nil {
		var fe *QuantFieldError
		if errors.As(err, &fe) {
			return c, false, fmt.Errorf("%w: %s.%s: %s", ErrProgram, path, fe.Field, fe.Msg)
		}
		return c, false, fmt.Errorf("%w: %s: %w", ErrProgram, path, err)
	}
	return c, ok, nil
}
