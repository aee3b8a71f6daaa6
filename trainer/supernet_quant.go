package trainer

import (
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// quantChoice reports whether the candidates are Dense layers differing
// only in their quantizers (the same Units, Bias and Init; at least two
// candidates, not all with the same Quant): a quantizer choice, whose
// candidates share one latent fp32 weight matrix.
func quantChoice(b *Builder, cands []Layer) bool {
	if len(cands) < 2 {
		return false
	}
	first, ok := cands[0].(Dense)
	if !ok {
		return false
	}
	differ := false
	for _, c := range cands[1:] {
		d, ok := c.(Dense)
		if !ok || d.Units != first.Units || d.Bias != first.Bias || inherit(d.Init, b.defaults.Init) != inherit(first.Init, b.defaults.Init) {
			return false
		}
		if d.Quant != first.Quant {
			differ = true
		}
	}
	return differ
}

// sharedMixed is the mixed operation of a quantizer choice: candidates
// (an nn.Dense or nn.QuantDense each) that compute with the same shadow
// weights, those of candidate 0, each quantizing them its own way, as
// FBNet-v2's widths share one matrix. Its parameters are the shared ones
// ("w", "b"); their gradient is the sum over the candidates of each
// one's (straight-through) gradient given its share wₖ·dy of the output
// gradient.
type sharedMixed struct {
	mixed  *nn.Mixed
	shared []*nn.Param   // candidate 0's parameters
	others [][]*nn.Param // those of candidates 1…, whose values are shared
}

var _ nn.Layer = (*sharedMixed)(nil)

// newSharedMixed makes the candidates share candidate 0's parameter
// values and mixes them by mix; ok is false when their parameters do not
// line up (then they are left untouched).
func newSharedMixed(cands []nn.Layer, widths []int, mix *nn.Mix) (*sharedMixed, bool) {
	shared := cands[0].Params()
	others := make([][]*nn.Param, 0, len(cands)-1)
	for _, c := range cands[1:] {
		ps := c.Params()
		if len(ps) != len(shared) {
			return nil, false
		}
		for j, p := range ps {
			if p.Name != shared[j].Name || !sameShape(p.Value, shared[j].Value) {
				return nil, false
			}
		}
		others = append(others, ps)
	}
	for _, ps := range others {
		for j, p := range ps {
			p.Value = shared[j].Value
		}
	}
	return &sharedMixed{mixed: nn.NewMixed(cands, widths, mix), shared: shared, others: others}, true
}

func sameShape(a, b *tensor.Tensor) bool {
	if len(a.Shape) != len(b.Shape) {
		return false
	}
	for i := range a.Shape {
		if a.Shape[i] != b.Shape[i] {
			return false
		}
	}
	return true
}

// Forward returns Σₖ wₖ yₖ, every yₖ computed from the shared weights.
func (s *sharedMixed) Forward(x *tensor.Tensor, train bool) *tensor.Tensor {
	return s.mixed.Forward(x, train)
}

// Backward adds the mixing weights' gradient to the Mix, sets the shared
// parameters' gradient to the candidates' sum and returns dx.
func (s *sharedMixed) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	dx := s.mixed.Backward(dy, needDX)
	for _, ps := range s.others {
		for j, p := range ps {
			g := s.shared[j].Grad.Data
			for i, v := range p.Grad.Data {
				g[i] += v
			}
		}
	}
	return dx
}

// Params returns the shared parameters.
func (s *sharedMixed) Params() []*nn.Param { return s.shared }
