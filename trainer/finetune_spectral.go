package trainer

import (
	"fmt"
	"slices"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/spectral"
)

// LayerSpectrum is the spectral comparison of one fine-tuned matrix with
// its base, both in the out×in orientation (spectral.Transpose of
// nn.Dense's In×Out W).
type LayerSpectrum struct {
	// Path is the target's key path, "layers[2]".
	Path string `json:"layer"`
	// Intruders are the fine-tuned matrix's intruder dimensions.
	Intruders spectral.Intruders `json:"-"`
	// Base, Tuned and Update are the singular values, descending, of W0,
	// of the fine-tuned W and of the update W − W0.
	Base   []float64 `json:"base"`
	Tuned  []float64 `json:"tuned"`
	Update []float64 `json:"update"`
	// UpdateEffectiveRank is the effective rank of W − W0
	// (spectral.EffectiveRank).
	UpdateEffectiveRank float64 `json:"update_effective_rank"`

	tuned *spectral.SVD
}

// analyse decomposes each target's weights before (s.w0) and after
// training (in net) and finds the intruders among the top k left
// singular vectors at threshold eps.
func analyse(s *setup, net *nn.Sequential, k int, eps float64) ([]LayerSpectrum, error) {
	out := make([]LayerSpectrum, 0, len(s.targets))
	for j, i := range s.targets {
		d := net.Layers[i].(*nn.Dense)
		w0 := spectral.Transpose(d.In, d.Out, s.w0[j])
		w := spectral.Transpose(d.In, d.Out, d.W.Value.Data)
		delta := make([]float32, len(w))
		for n := range w {
			delta[n] = w[n] - w0[n]
		}
		path := layerPath(i)
		var svd [3]*spectral.SVD
		for n, m := range [][]float32{w0, w, delta} {
			var err error
			if svd[n], err = spectral.Decompose(d.Out, d.In, m); err != nil {
				return nil, fmt.Errorf("trainer: fine-tune: %s: %w", path, err)
			}
		}
		in, err := spectral.FindIntruders(svd[0], svd[1], k, eps)
		if err != nil {
			return nil, fmt.Errorf("trainer: fine-tune: %s: %w", path, err)
		}
		out = append(out, LayerSpectrum{
			Path: path, Intruders: in,
			Base: svd[0].Values, Tuned: svd[1].Values, Update: svd[2].Values,
			UpdateEffectiveRank: spectral.EffectiveRank(svd[2].Values),
			tuned:               svd[1],
		})
	}
	return out, nil
}

// scaleIntruders returns a copy of net in which each target's singular
// values of its intruder dimensions are multiplied by lambda (the other
// directions kept), the mitigation of Shuttleworth et al.; the layers
// that are not targets are shared with net.
func scaleIntruders(net *nn.Sequential, targets []int, spec []LayerSpectrum, lambda float64) *nn.Sequential {
	layers := slices.Clone(net.Layers)
	for j, i := range targets {
		l := spec[j]
		if l.Intruders.Count == 0 {
			continue
		}
		d := net.Layers[i].(*nn.Dense)
		scale := make([]float64, l.tuned.Rank())
		for n := range scale {
			scale[n] = 1
		}
		for _, n := range l.Intruders.Indices {
			scale[n] = lambda
		}
		w := spectral.Transpose(d.Out, d.In, l.tuned.Reconstruct(scale))
		var c *nn.Dense
		if len(d.Params()) == 1 {
			c = nn.NewDenseNoBias(d.In, d.Out, nn.GlorotUniform, nn.NewRand(0, 0))
		} else {
			c = nn.NewDense(d.In, d.Out, nn.GlorotUniform, nn.NewRand(0, 0))
			copy(c.B.Value.Data, d.B.Value.Data)
		}
		copy(c.W.Value.Data, w)
		layers[i] = c
	}
	return nn.NewSequential(layers...)
}

// IntruderCounts returns the intruder count of each target of f, in
// layer order.
func (f *FineTuned) IntruderCounts() []int {
	out := make([]int, len(f.Layers))
	for i, l := range f.Layers {
		out[i] = l.Intruders.Count
	}
	return out
}
