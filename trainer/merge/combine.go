package merge

import (
	"fmt"
	"math"
	"slices"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Average returns a new network whose every parameter is the weighted
// mean Σ w_k θ_k / Σ w_k of the networks' (nil weights: the plain mean).
// The networks must have the same parameters; weights must be finite,
// one per network, with a positive sum.
func Average(nets []*nn.Sequential, weights []float64) (*nn.Sequential, error) {
	if err := sameParams(nets...); err != nil {
		return nil, err
	}
	w, err := normalized(len(nets), weights)
	if err != nil {
		return nil, err
	}
	out, err := Clone(nets[0])
	if err != nil {
		return nil, err
	}
	ps := out.Params()
	for i, p := range ps {
		for j := range p.Value.Data {
			var s float64
			for k, n := range nets {
				s += w[k] * float64(n.Params()[i].Value.Data[j])
			}
			p.Value.Data[j] = float32(s)
		}
	}
	releaseCodes(out)
	return out, nil
}

// Interpolate returns (1−λ)·θ_a + λ·θ_b as a new network: a at λ = 0, b
// at λ = 1. λ outside [0, 1] extrapolates.
func Interpolate(a, b *nn.Sequential, lambda float64) (*nn.Sequential, error) {
	if math.IsNaN(lambda) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("%w: lambda: want a finite number, got %v", ErrOptions, lambda)
	}
	if err := sameParams(a, b); err != nil {
		return nil, err
	}
	out, err := Clone(a)
	if err != nil {
		return nil, err
	}
	interpolateInto(out, a, b, lambda)
	return out, nil
}

// interpolateInto sets dst's parameters to (1−λ)·a + λ·b (its quantized
// layers quantizing them afresh).
func interpolateInto(dst, a, b *nn.Sequential, lambda float64) {
	defer releaseCodes(dst)
	pa, pb := a.Params(), b.Params()
	for i, p := range dst.Params() {
		va, vb := pa[i].Value.Data, pb[i].Value.Data
		for j := range p.Value.Data {
			p.Value.Data[j] = float32((1-lambda)*float64(va[j]) + lambda*float64(vb[j]))
		}
	}
}

// normalized returns weights divided by their sum (uniform when nil).
func normalized(n int, weights []float64) ([]float64, error) {
	if weights == nil {
		w := make([]float64, n)
		for i := range w {
			w[i] = 1 / float64(n)
		}
		return w, nil
	}
	if len(weights) != n {
		return nil, fmt.Errorf("%w: weights: %d weights for %d models", ErrOptions, len(weights), n)
	}
	var sum float64
	for i, v := range weights {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: weights[%d]: want a finite number, got %v", ErrOptions, i, v)
		}
		sum += v
	}
	if !(sum > 0) {
		return nil, fmt.Errorf("%w: weights: want a positive sum, got %v", ErrOptions, sum)
	}
	w := make([]float64, n)
	for i, v := range weights {
		w[i] = v / sum
	}
	return w, nil
}

// TaskArithmetic returns base + scale·Σ_k (θ_k − base) as a new network
// (Ilharco et al. 2023): the task vectors of models fine-tuned from one
// base, added. The networks must have base's parameters.
func TaskArithmetic(base *nn.Sequential, nets []*nn.Sequential, scale float64) (*nn.Sequential, error) {
	if math.IsNaN(scale) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("%w: scale: want a finite number, got %v", ErrOptions, scale)
	}
	if len(nets) == 0 {
		return nil, fmt.Errorf("%w: models: want at least one model besides the base", ErrOptions)
	}
	if err := sameParams(append([]*nn.Sequential{base}, nets...)...); err != nil {
		return nil, err
	}
	out, err := Clone(base)
	if err != nil {
		return nil, err
	}
	for i, p := range out.Params() {
		b := base.Params()[i].Value.Data
		for j := range p.Value.Data {
			var d float64
			for _, n := range nets {
				d += float64(n.Params()[i].Value.Data[j]) - float64(b[j])
			}
			p.Value.Data[j] = float32(float64(b[j]) + scale*d)
		}
	}
	releaseCodes(out)
	return out, nil
}

// TIES returns the TIES merge (Yadav et al. 2023) of networks fine-tuned
// from base, as a new network: each model's delta θ_k − base is trimmed
// to its density fraction of entries largest in magnitude (over all its
// parameters), each entry's sign is elected as the sign of the sum of
// the trimmed deltas, and the entry's merged delta is the mean of the
// trimmed deltas that agree with it (zero when none does); the result is
// base + scale·merged. density is in (0, 1].
func TIES(base *nn.Sequential, nets []*nn.Sequential, density, scale float64) (*nn.Sequential, error) {
	if !(density > 0 && density <= 1) {
		return nil, fmt.Errorf("%w: density: want a fraction in (0, 1], got %v", ErrOptions, density)
	}
	if math.IsNaN(scale) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("%w: scale: want a finite number, got %v", ErrOptions, scale)
	}
	if len(nets) == 0 {
		return nil, fmt.Errorf("%w: models: want at least one model besides the base", ErrOptions)
	}
	if err := sameParams(append([]*nn.Sequential{base}, nets...)...); err != nil {
		return nil, err
	}
	bp := base.Params()
	deltas := make([][]float32, len(nets)) // each model's delta, flattened
	for k, n := range nets {
		for i, p := range n.Params() {
			for j, v := range p.Value.Data {
				deltas[k] = append(deltas[k], v-bp[i].Value.Data[j])
			}
		}
		trim(deltas[k], density)
	}
	out, err := Clone(base)
	if err != nil {
		return nil, err
	}
	off := 0
	for i, p := range out.Params() {
		b := bp[i].Value.Data
		for j := range p.Value.Data {
			var sum float64
			for _, d := range deltas {
				sum += float64(d[off+j])
			}
			var agree float64
			cnt := 0
			for _, d := range deltas {
				if v := float64(d[off+j]); v != 0 && (v > 0) == (sum > 0) && sum != 0 {
					agree += v
					cnt++
				}
			}
			merged := 0.0
			if cnt > 0 {
				merged = agree / float64(cnt)
			}
			p.Value.Data[j] = float32(float64(b[j]) + scale*merged)
		}
		off += len(p.Value.Data)
	}
	releaseCodes(out)
	return out, nil
}

// trim zeroes all but the ⌈density·n⌉ entries of d largest in magnitude
// (ties at the threshold kept).
func trim(d []float32, density float64) {
	keep := int(math.Ceil(density * float64(len(d))))
	if keep >= len(d) {
		return
	}
	mag := make([]float32, len(d))
	for i, v := range d {
		mag[i] = float32(math.Abs(float64(v)))
	}
	slices.Sort(mag)
	thr := mag[len(d)-keep]
	for i, v := range d {
		if float32(math.Abs(float64(v))) < thr {
			d[i] = 0
		}
	}
}
