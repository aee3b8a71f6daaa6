package spectral

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// SVD is the thin singular value decomposition W = U·diag(σ)·Vᵀ of a
// Rows×Cols matrix, in float64. It is immutable once made.
type SVD struct {
	Rows, Cols int
	// Values are the singular values σ, descending, min(Rows, Cols) of
	// them.
	Values []float64
	u, v   *mat.Dense // Rows×r and Cols×r, r = len(Values)
}

// Decompose returns the thin SVD of the rows×cols row-major matrix w.
// It returns an error for a bad shape, a non-finite entry, or a
// factorization that does not converge.
func Decompose(rows, cols int, w []float32) (*SVD, error) {
	if rows <= 0 || cols <= 0 {
		return nil, fmt.Errorf("spectral: Decompose: want a positive shape, got %d×%d", rows, cols)
	}
	if len(w) != rows*cols {
		return nil, fmt.Errorf("spectral: Decompose: %d×%d matrix needs %d values, got %d", rows, cols, rows*cols, len(w))
	}
	data := make([]float64, len(w))
	for i, x := range w {
		f := float64(x)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("spectral: Decompose: entry (%d, %d) is %v", i/cols, i%cols, x)
		}
		data[i] = f
	}
	var f mat.SVD
	if !f.Factorize(mat.NewDense(rows, cols, data), mat.SVDThin) {
		return nil, fmt.Errorf("spectral: Decompose: the %d×%d SVD did not converge", rows, cols)
	}
	s := &SVD{Rows: rows, Cols: cols, Values: f.Values(nil), u: new(mat.Dense), v: new(mat.Dense)}
	f.UTo(s.u)
	f.VTo(s.v)
	return s, nil
}

// Rank returns the number of singular values, min(Rows, Cols).
func (s *SVD) Rank() int { return len(s.Values) }

// Left returns a copy of the i-th left singular vector u_i (Rows values).
func (s *SVD) Left(i int) []float64 { return mat.Col(nil, i, s.u) }

// Right returns a copy of the i-th right singular vector v_i (Cols
// values).
func (s *SVD) Right(i int) []float64 { return mat.Col(nil, i, s.v) }

// Reconstruct returns Σ_i scale[i]·σ_i·u_i·v_iᵀ as a Rows×Cols row-major
// float32 matrix. A nil scale is all ones (the matrix decomposed, up to
// rounding); otherwise it has one factor per singular value, and another
// length is a programmer error that panics. Scaling the
// singular values of chosen directions (intruder dimensions by λ = 0.5,
// say) is how their effect is damped after training.
func (s *SVD) Reconstruct(scale []float64) []float32 {
	r := s.Rank()
	if scale != nil && len(scale) != r {
		panic(fmt.Sprintf("spectral: Reconstruct: want %d scale factors, got %d", r, len(scale)))
	}
	us := mat.NewDense(s.Rows, r, nil)
	us.Copy(s.u)
	for j := 0; j < r; j++ {
		f := s.Values[j]
		if scale != nil {
			f *= scale[j]
		}
		for i := 0; i < s.Rows; i++ {
			us.Set(i, j, us.At(i, j)*f)
		}
	}
	var w mat.Dense
	w.Mul(us, s.v.T())
	out := make([]float32, s.Rows*s.Cols)
	for i := 0; i < s.Rows; i++ {
		for j := 0; j < s.Cols; j++ {
			out[i*s.Cols+j] = float32(w.At(i, j))
		}
	}
	return out
}

// Transpose returns the cols×rows transpose of the rows×cols row-major
// matrix w.
func Transpose(rows, cols int, w []float32) []float32 {
	t := make([]float32, rows*cols)
	for i := 0; i < rows; i++ {
		for j, x := range w[i*cols : i*cols+cols] {
			t[j*rows+i] = x
		}
	}
	return t
}
