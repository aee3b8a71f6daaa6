package merge

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/spectral"
)

// weights returns the indices of net's weight matrices (2-D parameters
// of RoleWeight).
func weights(net *nn.Sequential) []int {
	var out []int
	for i, p := range net.Params() {
		if p.Role == nn.RoleWeight && len(p.Value.Shape) == 2 {
			out = append(out, i)
		}
	}
	return out
}

// decompose returns the SVD of the weight matrix p as out×in, the
// transpose of a dense layer's in×out W.
func decompose(p *nn.Param) (*spectral.SVD, error) {
	in, out := p.Value.Shape[0], p.Value.Shape[1]
	s, err := spectral.Decompose(out, in, spectral.Transpose(in, out, p.Value.Data))
	if err != nil {
		return nil, fmt.Errorf("merge: %s: %w", p.Name, err)
	}
	return s, nil
}

// SingularValuesMaxDiff returns the largest difference between a
// singular value of a weight matrix of a and the same singular value of
// the same matrix of b, over all weight matrices: 0, up to rounding,
// when b is a permutation of a.
func SingularValuesMaxDiff(a, b *nn.Sequential) (float64, error) {
	if err := sameParams(a, b); err != nil {
		return 0, err
	}
	pa, pb := a.Params(), b.Params()
	var worst float64
	for _, i := range weights(a) {
		sa, err := decompose(pa[i])
		if err != nil {
			return 0, err
		}
		sb, err := decompose(pb[i])
		if err != nil {
			return 0, err
		}
		for k, v := range sa.Values {
			worst = math.Max(worst, math.Abs(v-sb.Values[k]))
		}
	}
	return worst, nil
}

// TopAlignment returns the mean over the weight matrices of the mean
// |cos| between the i-th singular vectors of a's matrix and of b's, for
// i < k, left (on the output units; spectral.Alignment of the matrices
// taken as out×in) and right (on the input units) alike: near 1 when
// b's hidden units are aligned with a's and their top directions agree.
func TopAlignment(a, b *nn.Sequential, k int) (float64, error) {
	if err := sameParams(a, b); err != nil {
		return 0, err
	}
	if k < 1 {
		return 0, fmt.Errorf("%w: k: want ≥ 1, got %d", ErrOptions, k)
	}
	pa, pb := a.Params(), b.Params()
	var sum float64
	n := 0
	for _, i := range weights(a) {
		sa, err := decompose(pa[i])
		if err != nil {
			return 0, err
		}
		sb, err := decompose(pb[i])
		if err != nil {
			return 0, err
		}
		al := spectral.Alignment(sa, sb, k)
		var s float64
		for i, v := range al {
			s += v + math.Abs(dot(sa.Right(i), sb.Right(i)))
		}
		sum += s / float64(2*len(al))
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: the networks have no weight matrix", ErrMismatch)
	}
	return sum / float64(n), nil
}

func dot(x, y []float64) float64 {
	var s float64
	for i, v := range x {
		s += v * y[i]
	}
	return s
}
