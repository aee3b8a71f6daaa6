package trainer

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Mixed is a relaxed categorical decision of a supernet (see Supernet):
// the layer is a mixture of Candidates weighted by the mixing weights of
// decision number Decision. Several Mixed layers may share a decision (a
// model-level activation choice mixes every activation layer). Two kinds
// are built:
//
//   - candidates that are all Dense layers differing only in Units (a
//     width choice, none quantized) share the widest one's weights,
//     masked per column (nn.MaskedDense, FBNet-v2 style);
//   - candidates that are all Dense layers differing only in Quant (a
//     quantizer choice) share one latent fp32 weight matrix (and bias):
//     each candidate quantizes the same shadow weights, and their
//     gradient is the sum of the candidates' straight-through gradients;
//   - any other candidates (Dense, Identity, Residual, activations, …)
//     are built side by side, each with weights of its own, and their
//     outputs summed, zero-padded to the widest (nn.Mixed).
//
// A Mixed layer builds only inside a supernet.
type Mixed struct {
	Decision   int     `min:"0" doc:"the index of the decision in the supernet"`
	Candidates []Layer `sym:",required" doc:"the candidate layers"`
}

// Build returns the mixed layer and the widest candidate's width.
func (m Mixed) Build(b *Builder, in Width) (nn.Layer, Width, error) {
	if m.Decision < 0 || m.Decision >= len(b.mixes) {
		return nil, in, b.Errorf("decision", "want a decision of the supernet (it has %d), got %d", len(b.mixes), m.Decision)
	}
	mix := b.mixes[m.Decision]
	if len(m.Candidates) != len(mix.W) {
		return nil, in, b.Errorf("candidates", "decision %d has %d candidates, got %d", m.Decision, len(mix.W), len(m.Candidates))
	}
	if units, widest, ok := widthChoice(b, m.Candidates); ok {
		parent := b.Path
		b.Path = parent + ".candidates[" + fmt.Sprint(indexOf(units, widest.Units)) + "]"
		l, out, err := widest.Build(b, in)
		b.Path = parent
		if err != nil {
			return nil, in, err
		}
		if d, ok := l.(*nn.Dense); ok {
			return nn.NewMaskedDense(d, units, mix), out, nil
		}
		return nil, in, b.Errorf("candidates", "a width choice built a %T, want a dense layer", l)
	}
	parent := b.Path
	defer func() { b.Path = parent }()
	layers := make([]nn.Layer, len(m.Candidates))
	widths := make([]int, len(m.Candidates))
	out := in
	for k, c := range m.Candidates {
		b.Path = fmt.Sprintf("%s.candidates[%d]", parent, k)
		if c == nil {
			return nil, in, b.Errorf("", "missing layer")
		}
		l, w, err := c.Build(b, in)
		if err != nil {
			return nil, in, err
		}
		layers[k], widths[k] = l, w.N
		if w.N > out.N || k == 0 {
			out = w
		}
	}
	if quantChoice(b, m.Candidates) {
		if l, ok := newSharedMixed(layers, widths, mix); ok {
			return l, out, nil
		}
	}
	return nn.NewMixed(layers, widths, mix), out, nil
}

// widthChoice reports whether the candidates are unquantized Dense
// layers differing only in Units, and returns the widths and the widest.
func widthChoice(b *Builder, cands []Layer) ([]int, Dense, bool) {
	var first, widest Dense
	units := make([]int, len(cands))
	for k, c := range cands {
		d, ok := c.(Dense)
		if !ok {
			return nil, Dense{}, false
		}
		if _, quantized, err := quantConfig(inheritProgram(d.Quant, b.defaults.Quant), ""); err != nil || quantized {
			return nil, Dense{}, false
		}
		if k == 0 {
			first, widest = d, d
		}
		if d.Bias != first.Bias || inherit(d.Init, b.defaults.Init) != inherit(first.Init, b.defaults.Init) || d.Quant != first.Quant {
			return nil, Dense{}, false
		}
		if d.Units < 1 {
			return nil, Dense{}, false
		}
		units[k] = d.Units
		if d.Units > widest.Units {
			widest = d
		}
	}
	return units, widest, len(cands) > 1
}

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
