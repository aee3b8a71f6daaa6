package kernels

import "fmt"

// Gemm computes C = alpha·op(A)·op(B) + beta·C where op(X) is X or its
// transpose (transA, transB). op(A) is m×k, op(B) is k×n and C is m×n; all
// are row-major with leading dimensions lda, ldb, ldc. When beta is 0, C is
// written without being read (NaNs in C do not propagate).
//
// A dense layer with W stored in×out calls Gemm(false, false, …) for
// Y = X·W, Gemm(true, false, …) for dW = Xᵀ·dY and Gemm(false, true, …) for
// dX = dY·Wᵀ; all four transpose cases run on the same packed kernels.
// Slices too short for their shape and leading dimension are a programmer
// error and panic. Gemm is safe for concurrent use when the outputs are
// disjoint.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	active.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkGemm panics unless the slices hold the matrices their shapes and
// leading dimensions describe: the assembly kernels do not check bounds.
func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels: Gemm: negative shape m=%d n=%d k=%d", m, n, k))
	}
	checkMatrix("A", transA, m, k, a, lda)
	checkMatrix("B", transB, k, n, b, ldb)
	checkMatrix("C", false, m, n, c, ldc)
}

// checkMatrix checks an op(X) of rows×cols stored in x with leading
// dimension ld.
func checkMatrix(name string, trans bool, rows, cols int, x []float32, ld int) {
	if trans {
		rows, cols = cols, rows
	}
	if rows == 0 || cols == 0 {
		return
	}
	if ld < cols {
		panic(fmt.Sprintf("kernels: Gemm: ld%s=%d < %d", name, ld, cols))
	}
	if need := (rows-1)*ld + cols; len(x) < need {
		panic(fmt.Sprintf("kernels: Gemm: len(%s)=%d < %d", name, len(x), need))
	}
}

// checkLen panics unless every slice holds at least n values.
func checkLen(op string, n int, xs ...[]float32) {
	for _, x := range xs {
		if len(x) < n {
			panic(fmt.Sprintf("kernels: %s: slice of length %d < %d", op, len(x), n))
		}
	}
}

// AddBias adds bias (length cols) to every row of the rows×cols matrix x.
// It is safe for concurrent use on disjoint x.
func AddBias(x []float32, rows, cols int, bias []float32) {
	checkLen("AddBias", rows*cols, x)
	checkLen("AddBias", cols, bias)
	active.addBias(x, rows, cols, bias)
}

// SumRows adds the column sums of the rows×cols matrix x to dst (length
// cols): the bias gradient of a dense layer. It is safe for concurrent use
// on disjoint dst.
func SumRows(dst []float32, x []float32, rows, cols int) {
	checkLen("SumRows", rows*cols, x)
	checkLen("SumRows", cols, dst)
	active.sumRows(dst, x, rows, cols)
}

// ReLU sets dst[i] = max(src[i], 0) for i < len(src). It is safe for
// concurrent use on disjoint dst.
func ReLU(dst, src []float32) {
	checkLen("ReLU", len(src), dst)
	active.relu(dst, src)
}

// ReLUGrad sets dx[i] = dy[i] where y[i] > 0, else 0 (y is the ReLU
// output), for i < len(y). It is safe for concurrent use on disjoint dx.
func ReLUGrad(dx, dy, y []float32) {
	checkLen("ReLUGrad", len(y), dx, dy)
	active.reluGrad(dx, dy, y)
}

// Axpy sets y[i] += alpha·x[i] for i < len(x). It is safe for concurrent
// use on disjoint y.
func Axpy(alpha float32, x, y []float32) {
	checkLen("Axpy", len(x), y)
	active.axpy(alpha, x, y)
}

// Scale sets x[i] *= alpha. It is safe for concurrent use on disjoint x.
func Scale(alpha float32, x []float32) {
	active.scale(alpha, x)
}

// SGDMomentum applies one step of SGD with momentum and decoupled-free
// (L2, PyTorch-style) weight decay: g = grad + wd·w; v = mu·v + g;
// w -= lr·v, for i < len(w). It is safe for concurrent use on disjoint w
// and vel.
func SGDMomentum(w, grad, vel []float32, lr, mu, wd float32) {
	checkLen("SGDMomentum", len(w), grad, vel)
	active.sgdMomentum(w, grad, vel, lr, mu, wd)
}

// AdamW applies one AdamW step (Loshchilov & Hutter): m = b1·m + (1-b1)·g;
// v = b2·v + (1-b2)·g²; w -= lr·(m·c1 / (sqrt(v·c2) + eps) + wd·w), where
// c1 = 1/(1-b1^t) and c2 = 1/(1-b2^t) are the bias corrections the caller
// computes for step t. It runs over i < len(w) and is safe for concurrent
// use on disjoint w, m and v.
func AdamW(w, grad, m, v []float32, lr, b1, b2, eps, wd, c1, c2 float32) {
	checkLen("AdamW", len(w), grad, m, v)
	active.adamW(w, grad, m, v, lr, b1, b2, eps, wd, c1, c2)
}

// Tanh sets dst[i] = tanh(src[i]) for i < len(src), in float32 to within
// 2e-6 absolute (activation_go.go describes the approximation); NaN
// propagates and ±Inf give ±1. It is safe for concurrent use on disjoint
// dst.
func Tanh(dst, src []float32) {
	checkLen("Tanh", len(src), dst)
	active.tanh(dst, src)
}

// TanhGrad sets dx[i] = dy[i]·(1 − y[i]²) for i < len(y), y being the Tanh
// output. It is safe for concurrent use on disjoint dx.
func TanhGrad(dx, dy, y []float32) {
	checkLen("TanhGrad", len(y), dx, dy)
	active.tanhGrad(dx, dy, y)
}

// GELU sets dst[i] = src[i]·Φ(src[i]) = x/2·(1 + erf(x/√2)) for
// i < len(src): the exact GELU (PyTorch's default nn.GELU, not its tanh
// approximation), in float32 to within 1e-5·max(1, |x|). NaN propagates,
// GELU(+Inf) = +Inf and GELU(−Inf) = 0. It is safe for concurrent use on
// disjoint dst.
func GELU(dst, src []float32) {
	checkLen("GELU", len(src), dst)
	active.gelu(dst, src)
}

// GELUGrad sets dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])) for i < len(x),
// φ being the standard normal density and x the GELU input. It is safe for
// concurrent use on disjoint dx.
func GELUGrad(dx, dy, x []float32) {
	checkLen("GELUGrad", len(x), dx, dy)
	active.geluGrad(dx, dy, x)
}
