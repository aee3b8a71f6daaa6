package trainer

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// CheckpointOptions are the options of NewCheckpointWith.
type CheckpointOptions struct {
	// Shadow also stores the fp32 shadow weights of quantized layers,
	// under the parameter's own name ("layers[0].w"), so that training
	// could go on from them; by default only their codes and scales are
	// stored, which is what the model needs for inference.
	Shadow bool
}

// Suffixes of the tensors that store a quantized layer's weight parameter
// ("layers[0].w.codes", "layers[0].w.scales").
const (
	// CodesSuffix names the codes of a quantized weight matrix: ternary
	// codes packed base 3, five a byte (nn.PackTernary), as a U8 tensor of
	// shape [ceil(in·out/5)]; int8 codes as an I8 tensor of shape
	// [in, out].
	CodesSuffix = ".codes"
	// ScalesSuffix names its scales, an F32 tensor: [1] (β, or the
	// tensor's absmax) or [out] (int8 per row).
	ScalesSuffix = ".scales"
)

// NewCheckpointWith is NewCheckpoint with options. The weight parameter
// of a quantized layer (nn.QuantDense) is stored as two tensors, its
// codes (name + CodesSuffix) and scales (name + ScalesSuffix), exactly as
// the size_bits metric counts them; its fp32 shadow weights only with
// o.Shadow.
func NewCheckpointWith(program symbolic.Value, net *nn.Sequential, metrics map[string]float64, version string, o CheckpointOptions) (*checkpoint.Checkpoint, error) {
	if net == nil {
		return nil, errors.New("trainer: NewCheckpoint: nil network")
	}
	ckpt, err := newCheckpointMeta(program, net, metrics, version)
	if err != nil {
		return nil, err
	}
	quant := quantByWeight(net)
	for _, p := range net.Params() {
		if q := quant[p.Value]; q != nil {
			ckpt.Tensors = append(ckpt.Tensors, quantTensors(p.Name, q)...)
			if !o.Shadow {
				continue
			}
		}
		ckpt.Tensors = append(ckpt.Tensors, checkpoint.Tensor{
			Name:  p.Name,
			Shape: slices.Clone(p.Value.Shape),
			Data:  slices.Clone(p.Value.Data),
		})
	}
	return ckpt, nil
}

// quantByWeight maps the weight tensor of each quantized layer of net to
// the layer (a parameter of net shares its tensor with the layer's).
func quantByWeight(net *nn.Sequential) map[*tensor.Tensor]*nn.QuantDense {
	m := make(map[*tensor.Tensor]*nn.QuantDense)
	for _, q := range nn.QuantLayers(net) {
		m[q.W.Value] = q
	}
	return m
}

// quantTensors returns the codes and scales tensors of q, whose weight
// parameter is named name.
func quantTensors(name string, q *nn.QuantDense) []checkpoint.Tensor {
	codes := q.Codes()
	ct := checkpoint.Tensor{Name: name + CodesSuffix}
	if q.Config.Format.Ternary() {
		ct.Dtype, ct.Bytes = checkpoint.DtypeU8, nn.PackTernary(nil, codes)
		ct.Shape = []int{len(ct.Bytes)}
	} else {
		ct.Dtype, ct.Shape = checkpoint.DtypeI8, []int{q.In, q.Out}
		ct.Bytes = make([]byte, len(codes))
		for i, c := range codes {
			ct.Bytes[i] = byte(c)
		}
	}
	scales := q.Scales()
	return []checkpoint.Tensor{ct, {Name: name + ScalesSuffix, Shape: []int{len(scales)}, Data: slices.Clone(scales)}}
}

// loadQuant sets the quantized layer q, whose weight parameter is named
// name, from the tensors byName: its codes and scales, fixed for
// inference (nn.QuantDense.SetCodes); or, when the shadow weights are
// stored too, those, checked to give the stored codes and scales.
func loadQuant(name string, q *nn.QuantDense, byName map[string]*checkpoint.Tensor) error {
	ct, ok := byName[name+CodesSuffix]
	if !ok {
		return fmt.Errorf("%w: the codes %q of the quantized parameter %q are missing", ErrCheckpoint, name+CodesSuffix, name)
	}
	st, ok := byName[name+ScalesSuffix]
	if !ok {
		return fmt.Errorf("%w: the scales %q of the quantized parameter %q are missing", ErrCheckpoint, name+ScalesSuffix, name)
	}
	codes := make([]int8, q.In*q.Out)
	if q.Config.Format.Ternary() {
		want := []int{nn.PackedTernaryLen(len(codes))}
		if ct.Dtype != checkpoint.DtypeU8 || !slices.Equal(ct.Shape, want) {
			return fmt.Errorf("%w: tensor %q is %s %v, want U8 %v (%d ternary codes packed five a byte)", ErrCheckpoint, ct.Name, dtypeName(ct.Dtype), ct.Shape, want, len(codes))
		}
		if err := nn.UnpackTernary(codes, ct.Bytes); err != nil {
			return fmt.Errorf("%w: tensor %q: %w", ErrCheckpoint, ct.Name, err)
		}
	} else {
		if want := []int{q.In, q.Out}; ct.Dtype != checkpoint.DtypeI8 || !slices.Equal(ct.Shape, want) {
			return fmt.Errorf("%w: tensor %q is %s %v, want I8 %v", ErrCheckpoint, ct.Name, dtypeName(ct.Dtype), ct.Shape, want)
		}
		for i, b := range ct.Bytes {
			codes[i] = int8(b)
		}
	}
	if want := []int{q.ScaleCount()}; st.Dtype != "" || !slices.Equal(st.Shape, want) {
		return fmt.Errorf("%w: tensor %q is %s %v, want F32 %v", ErrCheckpoint, st.Name, dtypeName(st.Dtype), st.Shape, want)
	}
	if err := q.SetCodes(codes, st.Data); err != nil {
		return fmt.Errorf("%w: tensors %q and %q: %w", ErrCheckpoint, ct.Name, st.Name, err)
	}
	shadow, ok := byName[name]
	if !ok {
		return nil
	}
	if shadow.Dtype != "" || !slices.Equal(shadow.Shape, q.W.Value.Shape) {
		return fmt.Errorf("%w: tensor %q is %s %v, the model's parameter F32 %v", ErrCheckpoint, name, dtypeName(shadow.Dtype), shadow.Shape, q.W.Value.Shape)
	}
	copy(q.W.Value.Data, shadow.Data)
	q.ReleaseCodes()
	if !slices.Equal(q.Codes(), codes) || !slices.Equal(q.Scales(), st.Data) {
		return fmt.Errorf("%w: the shadow weights %q do not quantize to the stored codes and scales", ErrCheckpoint, name)
	}
	return nil
}

// dtypeName returns d's name, F32 for the zero Dtype.
func dtypeName(d checkpoint.Dtype) string {
	if d == "" {
		return string(checkpoint.DtypeF32)
	}
	return string(d)
}

// checkShadows returns an ErrCheckpoint error naming the first quantized
// parameter of ckpt whose codes are stored without their fp32 shadow
// weights: a cache entry written before entries kept them, which must not
// stand for a model trained now.
func checkShadows(ckpt *checkpoint.Checkpoint) error {
	names := make(map[string]bool, len(ckpt.Tensors))
	for _, t := range ckpt.Tensors {
		names[t.Name] = true
	}
	for _, t := range ckpt.Tensors {
		if p, ok := strings.CutSuffix(t.Name, CodesSuffix); ok && !names[p] {
			return fmt.Errorf("%w: the quantized parameter %q is stored without its shadow weights", ErrCheckpoint, p)
		}
	}
	return nil
}
