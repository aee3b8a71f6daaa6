package spectral

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Intruders are the intruder dimensions of a fine-tuned matrix: among its
// top K left singular vectors, those whose largest |cosine| with every
// left singular vector of the pre-trained matrix is below Eps — new
// high-ranking directions, unlike any the pre-trained matrix had.
type Intruders struct {
	K   int
	Eps float64
	// Count is len(Indices).
	Count int
	// Indices are the intruders' ranks among the fine-tuned matrix's
	// singular vectors (0 is the largest), ascending.
	Indices []int
	// MaxCos holds, for each of the top K vectors of the fine-tuned
	// matrix, its largest |cosine| with a left singular vector of the
	// pre-trained one.
	MaxCos []float64
}

// FindIntruders compares tuned with base, two decompositions of matrices
// of one shape: k is how many of tuned's top singular vectors are
// examined (clamped to its rank), eps the similarity threshold in (0, 1].
// The paper's values are k = 10 and eps = 0.5.
func FindIntruders(base, tuned *SVD, k int, eps float64) (Intruders, error) {
	if base.Rows != tuned.Rows || base.Cols != tuned.Cols {
		return Intruders{}, fmt.Errorf("spectral: FindIntruders: base is %d×%d, tuned is %d×%d", base.Rows, base.Cols, tuned.Rows, tuned.Cols)
	}
	if k < 1 {
		return Intruders{}, fmt.Errorf("spectral: FindIntruders: k: want ≥ 1, got %d", k)
	}
	if !(eps > 0 && eps <= 1) {
		return Intruders{}, fmt.Errorf("spectral: FindIntruders: eps: want a value in (0, 1], got %v", eps)
	}
	k = min(k, tuned.Rank())
	// cos[j][i] = u_base_jᵀ·u_tuned_i: the singular vectors are unit
	// vectors.
	var cos mat.Dense
	cos.Mul(base.u.T(), tuned.u.Slice(0, tuned.Rows, 0, k))
	in := Intruders{K: k, Eps: eps, MaxCos: make([]float64, k)}
	rows, _ := cos.Dims()
	for i := 0; i < k; i++ {
		best := 0.0
		for j := 0; j < rows; j++ {
			best = max(best, math.Abs(cos.At(j, i)))
		}
		in.MaxCos[i] = best
		if best < eps {
			in.Indices = append(in.Indices, i)
		}
	}
	in.Count = len(in.Indices)
	return in, nil
}

// EffectiveRank returns exp(H), H the Shannon entropy of the normalized
// spectrum σ_i/Σσ (Roy & Vetterli 2007): 1 for a rank-one matrix, n for
// n equal singular values, 0 for an all-zero spectrum.
func EffectiveRank(values []float64) float64 {
	var sum float64
	for _, v := range values {
		sum += math.Abs(v)
	}
	if sum == 0 {
		return 0
	}
	var h float64
	for _, v := range values {
		if p := math.Abs(v) / sum; p > 0 {
			h -= p * math.Log(p)
		}
	}
	return math.Exp(h)
}

// Alignment returns |cos| between the i-th left singular vectors of a and
// b for i < k (clamped to the smaller rank): how far a transformation
// such as a permutation of hidden units lines up the two matrices' top
// directions. a and b must have the same number of rows; other shapes
// are a programmer error that panics.
func Alignment(a, b *SVD, k int) []float64 {
	if a.Rows != b.Rows {
		panic(fmt.Sprintf("spectral: Alignment: %d rows against %d", a.Rows, b.Rows))
	}
	k = min(k, a.Rank(), b.Rank())
	out := make([]float64, max(k, 0))
	for i := range out {
		out[i] = math.Abs(mat.Dot(a.u.ColView(i), b.u.ColView(i)))
	}
	return out
}
