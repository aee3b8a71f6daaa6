package kernels

import "fmt"

// MaxQuantK is the largest inner dimension GemmS8S8 and GemmTernaryS8
// accept: 131072·127² < 2³¹, and the ternary kernels' sums scaled by up
// to 64 stay below 131072·2·64·127 < 2³¹.
const MaxQuantK = 131072

// S8Weights is a k×n int8 weight matrix packed for GemmS8S8 on the path
// that packed it. It is immutable and safe for concurrent use.
type S8Weights struct{ packed }

// TernaryWeights is a k×n ternary weight matrix packed for GemmTernaryS8
// on the path that packed it. It is immutable and safe for concurrent use.
type TernaryWeights struct{ packed }

// packed is a weight matrix in the compute layout of one path.
type packed struct {
	k, n int
	path *qpath
	data []byte
	// offset is o of the package documentation: the packed codes are
	// u = w + offset and the kernels subtract offset·rowsum(A).
	offset int32
}

// Dims returns k and n, the rows and columns of the weight matrix.
func (w *packed) Dims() (k, n int) { return w.k, w.n }

// Path names the path the matrix is packed for.
func (w *packed) Path() string { return w.path.name }

// PackS8 packs the k×n row-major int8 matrix w (len(w) ≥ k·n) for
// GemmS8S8 on the active path. It returns an error naming the first value
// outside [−127, 127] or a bad shape.
func PackS8(w []int8, k, n int) (*S8Weights, error) {
	return activeQ.packS8(w, k, n)
}

// PackTernary packs the k×n row-major matrix w of codes in {−1, 0, 1}
// (len(w) ≥ k·n) for GemmTernaryS8 on the active path. It returns an error
// naming the first value outside {−1, 0, 1} or a bad shape.
func PackTernary(w []int8, k, n int) (*TernaryWeights, error) {
	return activeQ.packTernary(w, k, n)
}

// GemmS8S8 sets C = A·W, with A m×k int8 activations in [−127, 127]
// (leading dimension lda), W packed by PackS8 and C m×n int32 (leading
// dimension ldc). The result is exact. Slices too short for their shape
// are a programmer error and panic. It is safe for concurrent use on
// disjoint C and does not allocate in steady state.
func GemmS8S8(m int, a []int8, lda int, w *S8Weights, c []int32, ldc int) {
	checkQGemm("GemmS8S8", m, a, lda, &w.packed, c, ldc)
	w.path.gemm(false, m, a, lda, &w.packed, c, ldc)
}

// GemmTernaryS8 sets C = A·W, with A m×k int8 activations in [−127, 127]
// (leading dimension lda), W packed by PackTernary and C m×n int32
// (leading dimension ldc). The result is exact. Slices too short for their
// shape are a programmer error and panic. It is safe for concurrent use on
// disjoint C and does not allocate in steady state.
func GemmTernaryS8(m int, a []int8, lda int, w *TernaryWeights, c []int32, ldc int) {
	checkQGemm("GemmTernaryS8", m, a, lda, &w.packed, c, ldc)
	w.path.gemm(true, m, a, lda, &w.packed, c, ldc)
}

// QPath names the integer kernel path on this machine: "avx512vnni",
// "avx2" or "go".
func QPath() string { return activeQ.name }

// checkQGemm panics unless A and C hold the matrices their shapes and
// leading dimensions describe.
func checkQGemm(op string, m int, a []int8, lda int, w *packed, c []int32, ldc int) {
	if m < 0 {
		panic(fmt.Sprintf("kernels: %s: negative m=%d", op, m))
	}
	if m == 0 {
		return
	}
	if w.k > 0 {
		if lda < w.k {
			panic(fmt.Sprintf("kernels: %s: lda=%d < k=%d", op, lda, w.k))
		}
		if need := (m-1)*lda + w.k; len(a) < need {
			panic(fmt.Sprintf("kernels: %s: len(A)=%d < %d", op, len(a), need))
		}
	}
	if w.n > 0 {
		if ldc < w.n {
			panic(fmt.Sprintf("kernels: %s: ldc=%d < n=%d", op, ldc, w.n))
		}
		if need := (m-1)*ldc + w.n; len(c) < need {
			panic(fmt.Sprintf("kernels: %s: len(C)=%d < %d", op, len(c), need))
		}
	}
}

// checkPack returns an error unless w holds a k×n matrix with every value
// in [lo, hi].
func checkPack(op string, w []int8, k, n int, lo, hi int8) error {
	if k < 0 || n < 0 {
		return fmt.Errorf("kernels: %s: negative shape k=%d n=%d", op, k, n)
	}
	if k > MaxQuantK {
		return fmt.Errorf("kernels: %s: k=%d > MaxQuantK=%d", op, k, MaxQuantK)
	}
	if len(w) < k*n {
		return fmt.Errorf("kernels: %s: len(w)=%d < k·n=%d", op, len(w), k*n)
	}
	for i, v := range w[:k*n] {
		if v < lo || v > hi {
			return fmt.Errorf("kernels: %s: w[%d]=%d outside [%d, %d]", op, i, v, lo, hi)
		}
	}
	return nil
}
