package trainer

import (
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Layer is a layer program of a Sequential model. Implementations are
// registered program types (trainer.Dense, trainer.ReLU, …).
type Layer interface {
	// Build returns the network layer for inputs of width in, drawing
	// from b's random sources, and its output width.
	Build(b *Builder, in Width) (nn.Layer, Width, error)
}

// Width is the number of features flowing between two layers, with the
// key path of the field that set it ("model.layers[3].units"); the path
// is empty while the width is still the model's input's.
type Width struct {
	N    int
	Path string
}

// source describes where the width comes from, for error messages.
func (w Width) source() string {
	if w.Path == "" {
		return "the input features"
	}
	return w.Path
}

// Builder carries what layer programs need while a network is built: the
// key path of the layer being built, the model-level defaults and the
// seeded random sources. All layers of one network share the two
// sources, drawing in layer order.
type Builder struct {
	// Path is the key path of the layer being built, "model.layers[3]".
	Path string

	defaults   Defaults
	init, drop *rand.Rand
	mixes      []*nn.Mix // the mixing weights of a supernet's decisions (supernet.go)
}

// newBuilder returns the builder of a network seeded with seed, at the
// key path model, with the model-level defaults d.
func newBuilder(seed uint64, d Defaults) *Builder {
	return &Builder{Path: "model", defaults: d, init: nn.NewRand(seed, 1), drop: nn.NewRand(seed, 2)}
}

// Defaults returns the model-level values that layer fields left empty
// take.
func (b *Builder) Defaults() Defaults { return b.defaults }

// InitRand returns the source weight initializations draw from.
func (b *Builder) InitRand() *rand.Rand { return b.init }

// DropoutRand returns the source dropout masks draw from.
func (b *Builder) DropoutRand() *rand.Rand { return b.drop }

// Errorf returns an ErrProgram error at the key path of the current layer
// followed by field (none if empty).
func (b *Builder) Errorf(field, format string, args ...any) error {
	path := b.Path
	if field != "" {
		path += "." + field
	}
	return fmt.Errorf("%w: %s: %s", ErrProgram, path, fmt.Sprintf(format, args...))
}

// buildLayers builds layers, the list at b.Path+"."+key, from width in,
// and returns them chained with their output width.
func buildLayers(b *Builder, key string, layers []Layer, in Width) (*nn.Sequential, Width, error) {
	parent := b.Path
	defer func() { b.Path = parent }()
	built := make([]nn.Layer, 0, len(layers))
	w := in
	for i, l := range layers {
		b.Path = fmt.Sprintf("%s.%s[%d]", parent, key, i)
		if l == nil {
			return nil, w, b.Errorf("", "missing layer")
		}
		nl, out, err := l.Build(b, w)
		if err != nil {
			return nil, w, err
		}
		built = append(built, nl)
		w = out
	}
	return nn.NewSequential(built...), w, nil
}

// Dense is a fully connected layer of Units outputs. Decoded programs
// (and symbolic.New) take the declared default, a bias; in a Go literal a
// false Bias means none. Init left empty (nil, null in a file) takes the
// model's init (Sequential.Init, glorot_uniform unless set there). Quant
// left empty takes the model's quantizer (Sequential.Quant, FP32 unless
// set there); trainer.FP32 keeps the layer in fp32 under a model-level
// quantizer, trainer.Int8 or trainer.Ternary quantizes it (nn.QuantDense).
type Dense struct {
	Units int       `min:"1" max:"65536" sym:",required" doc:"output width"`
	Bias  bool      `default:"true" doc:"add a learned bias"`
	Init  *string   `sym:"init" enum:"he_uniform,glorot_uniform,he_normal,torch_linear" doc:"weight initialization: he_uniform or he_normal before relu and gelu, glorot_uniform before tanh and at the output, torch_linear as PyTorch's nn.Linear (weights and bias uniform in ±1/√in); empty takes the model's init"`
	Quant Quantizer `sym:"quant" doc:"the weights' quantizer (trainer.FP32, trainer.Int8, trainer.Ternary); empty takes the model's quant"`
}

// Build returns an nn.Dense of width in → Units, or an nn.QuantDense
// when its quantizer (its own or the model's) quantizes.
func (d Dense) Build(b *Builder, in Width) (nn.Layer, Width, error) {
	var init nn.Init
	switch name := inherit(d.Init, b.defaults.Init); name {
	case "he_uniform":
		init = nn.HeUniform
	case "glorot_uniform":
		init = nn.GlorotUniform
	case "he_normal":
		init = nn.HeNormal
	case "torch_linear":
		init = nn.TorchLinear
	default:
		return nil, in, b.Errorf("init", "want one of he_uniform, glorot_uniform, he_normal, torch_linear, got %q", name)
	}
	if d.Units < 1 || d.Units > 65536 {
		return nil, in, b.Errorf("units", "want int in [1, 65536], got %d", d.Units)
	}
	out := Width{N: d.Units, Path: b.Path + ".units"}
	qc, quantized, err := quantConfig(inheritProgram(d.Quant, b.defaults.Quant), b.Path+".quant")
	if err != nil {
		return nil, in, err
	}
	if quantized {
		return nn.NewQuantDense(in.N, d.Units, d.Bias, init, b.init, qc), out, nil
	}
	if !d.Bias {
		return nn.NewDenseNoBias(in.N, d.Units, init, b.init), out, nil
	}
	return nn.NewDense(in.N, d.Units, init, b.init), out, nil
}

// Activation is an activation function named by Activation: relu, gelu
// (the exact erf form) or tanh. Left empty (nil, null in a file) it is
// the model's activation (Sequential.Activation), so one model field, or
// one search decision on it, sets every activation layer that does not
// name its own.
type Activation struct {
	Activation *string `sym:"activation" enum:"relu,gelu,tanh" doc:"relu, gelu or tanh; empty takes the model's activation"`
}

// Build returns an nn.ReLU, nn.GELU or nn.Tanh.
func (a Activation) Build(b *Builder, in Width) (nn.Layer, Width, error) {
	switch name := inherit(a.Activation, b.defaults.Activation); name {
	case "relu":
		return new(nn.ReLU), in, nil
	case "gelu":
		return new(nn.GELU), in, nil
	case "tanh":
		return new(nn.Tanh), in, nil
	default:
		return nil, in, b.Errorf("activation", "want one of relu, gelu, tanh, got %q", name)
	}
}

// ReLU is the rectified linear unit, max(x, 0).
type ReLU struct{}

// Build returns an nn.ReLU.
func (ReLU) Build(_ *Builder, in Width) (nn.Layer, Width, error) { return new(nn.ReLU), in, nil }

// GELU is the Gaussian error linear unit in its exact (erf) form.
type GELU struct{}

// Build returns an nn.GELU.
func (GELU) Build(_ *Builder, in Width) (nn.Layer, Width, error) { return new(nn.GELU), in, nil }

// Tanh is the hyperbolic tangent.
type Tanh struct{}

// Build returns an nn.Tanh.
func (Tanh) Build(_ *Builder, in Width) (nn.Layer, Width, error) { return new(nn.Tanh), in, nil }

// Identity passes its input through; a search space uses it for a layer
// that may be left out.
type Identity struct{}

// Build returns an nn.Identity.
func (Identity) Build(_ *Builder, in Width) (nn.Layer, Width, error) { return nn.Identity{}, in, nil }

// LayerNorm normalizes each row to zero mean and unit variance, then
// applies a learned gain and bias, each optional.
type LayerNorm struct {
	Gain bool `default:"true" doc:"learn a per-feature gain (else 1)"`
	Bias bool `default:"true" doc:"learn a per-feature bias (else 0)"`
}

// Build returns an nn.LayerNorm of width in.
func (l LayerNorm) Build(_ *Builder, in Width) (nn.Layer, Width, error) {
	return nn.NewLayerNormAffine(in.N, 0, l.Gain, l.Bias), in, nil
}

// Dropout zeroes each input with probability P in training and scales the
// others by 1/(1−P); evaluation is the identity.
type Dropout struct {
	P float64 `min:"0" max:"0.95" default:"0.1" doc:"drop probability"`
}

// Build returns an nn.Dropout.
func (d Dropout) Build(b *Builder, in Width) (nn.Layer, Width, error) {
	if !(d.P >= 0 && d.P <= 0.95) {
		return nil, in, b.Errorf("p", "want float in [0, 0.95], got %v", d.P)
	}
	return nn.NewDropout(d.P, b.drop), in, nil
}

// Residual adds its input to the output of Body, which must keep the
// input's width.
type Residual struct {
	Body []Layer `sym:",required" doc:"the layers whose output is added to the input"`
}

// Build returns an nn.Residual around the built body.
func (r Residual) Build(b *Builder, in Width) (nn.Layer, Width, error) {
	body, out, err := buildLayers(b, "body", r.Body, in)
	if err != nil {
		return nil, in, err
	}
	if out.N != in.N {
		return nil, in, fmt.Errorf("%w: %s: the residual body's output width is %d, its input's is %d (set by %s); they must be equal", ErrProgram, out.Path, out.N, in.N, in.source())
	}
	return nn.NewResidual(body), in, nil
}
